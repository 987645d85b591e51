#!/usr/bin/env bash
# The labs: copy the starting code, and grade what you made of it.
#
#   scripts/lab.sh start                  copy every lab's starting code into labs/mine/
#   scripts/lab.sh grade                  grade every lab in labs/mine/
#   scripts/lab.sh grade lab05            grade one lab
#   scripts/lab.sh grade --dir DIR ...    grade other lab files (a class's submissions)
#   scripts/lab.sh help                   every option
#
# Grading needs valgrind and the pinned gungraun-runner, which scripts/setup.sh bench installs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == grade ]]; then
    bash scripts/setup.sh bench >&2
fi
cargo run --quiet -p pipeline --bin lab -- "$@"
