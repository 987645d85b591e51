#!/usr/bin/env bash
# The test command: everything a change must pass.
#
# Formatting, lints, the workspace's tests (pipeline unit and regression tests, every chapter's
# correctness tests), instruction-count claims on freshly counted benchmarks, the workflow
# linters, the labs graded both ways, and a headless-browser check of the built book.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
bash scripts/setup.sh test

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test"
cargo test --workspace --quiet

step "instruction-count claims on fresh callgrind runs"
cargo run --quiet -p pipeline --bin book -- instr-check

step "labs: every reference solution reaches its target, every starting code misses it"
cargo run --quiet -p pipeline --bin lab -- grade --dir labs/solutions --expect pass --no-wall
cargo run --quiet -p pipeline --bin lab -- grade --dir labs/starter --expect fail --no-wall

step "workflows: actionlint and zizmor"
actionlint
zizmor --offline --quiet .github/workflows/

step "book from saved results, checked in headless Chromium"
cargo run --quiet -p pipeline --bin book -- build
node scripts/browser-check/check.mjs book

step "PDF and EPUB from saved results; the EPUB validated by epubcheck"
cargo run --quiet -p pipeline --bin book -- offline
# Debian's /usr/bin/epubcheck is the jar itself, which runs only where binfmt knows jars.
if [[ -f /usr/share/java/epubcheck.jar ]]; then
    java -jar /usr/share/java/epubcheck.jar book/book.epub
else
    epubcheck book/book.epub
fi

step "all checks passed"
