#!/usr/bin/env bash
# Render the book with fresh numbers from this machine.
#
#   scripts/book.sh                     quick mode, every chapter (the default)
#   scripts/book.sh --chapters ch01     only these chapters' benchmarks
#   scripts/book.sh --mode full         publication-length runs
#   scripts/book.sh --saved             no benchmarks: render and build from saved results
#   scripts/book.sh --help              every stage and option
#
# The pipeline (`book`) installs what the benchmarks need (valgrind, the pinned
# gungraun-runner, through scripts/setup.sh bench) before it measures, then runs: measure,
# render, check, build. The book lands in book/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet -p pipeline --bin book -- "$@"
