#!/usr/bin/env bash
# Render the book with fresh numbers from this machine.
#
#   scripts/book.sh                     quick mode, every chapter (the default)
#   scripts/book.sh --chapters ch01     only these chapters' benchmarks
#   scripts/book.sh --mode full         publication-length runs
#   scripts/book.sh --saved             no benchmarks: render and build from saved results
#
# Installs what the benchmarks need (valgrind, the pinned gungraun-runner) on first use, then
# runs the pipeline: run, collect, render, check, build. The book lands in book/.
set -euo pipefail
cd "$(dirname "$0")/.."

saved=false
for arg in "$@"; do
    case "$arg" in
        --saved | build | render | check | help | --help | -h) saved=true ;;
    esac
done
if [[ "$saved" == false ]]; then
    bash scripts/setup.sh bench
fi
cargo run --quiet --release -p pipeline --bin book -- "$@"
