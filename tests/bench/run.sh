#!/usr/bin/env bash
# Runs every benchmark in tests/bench/ (each prints its own table). Not part of the test run:
# these machines are shared and noisy, so numbers are read by people, never asserted.
set -uo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for b in "$DIR"/*_bench.sh; do
  echo "==== $(basename "$b")"
  bash "$b" || echo "(benchmark $(basename "$b") failed with exit code $?)"
done
