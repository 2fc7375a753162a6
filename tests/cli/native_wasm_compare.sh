#!/usr/bin/env bash
# Runs the native CLI and the wasm CLI (under Node) on the same inputs and requires byte-identical
# outputs and rejects files. Usage: native_wasm_compare.sh NATIVE_WINNOW WASM_WINNOW_JS
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NATIVE="$1"
WASM="$2"
if [ ! -x "$NATIVE" ]; then
  echo "native CLI $NATIVE not built: build the native tree first (scripts/test.sh does)"
  exit 1
fi
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
inputs=("$ROOT"/tests/golden/io/*/input.*)
SHARED="$ROOT/../shared/data"
if [ -d "$SHARED" ]; then
  inputs+=("$SHARED/llamafactory/glaive_toolcall_en_demo.json" "$SHARED/llamafactory/dpo_en_demo.json"
           "$SHARED/oasst/en_100_tree.jsonl" "$SHARED/gsm8k/test.jsonl")
else
  echo "note: $SHARED absent; comparing on the committed golden inputs only"
fi
pass=0
fail=0
for in in "${inputs[@]}"; do
  for to in alpaca sharegpt messages preference; do
    "$NATIVE" convert "$in" --to "$to" -o "$T/n.jsonl" -r "$T/n.rej" -q
    rn=$?
    node "$WASM" convert "$in" --to "$to" -o "$T/w.jsonl" -r "$T/w.rej" -q
    rw=$?
    if [ $rn = $rw ] && cmp -s "$T/n.jsonl" "$T/w.jsonl" && cmp -s "$T/n.rej" "$T/w.rej"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "DIFFERENT: $in -> $to (exit $rn vs $rw)"
    fi
  done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
