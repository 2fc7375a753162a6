#!/usr/bin/env bash
# Runs the native CLI and the wasm CLI (under Node) on the same inputs and requires byte-identical
# outputs: `convert` to every format, and `run` of the sft-default preset (every output file). Usage: native_wasm_compare.sh NATIVE_WINNOW WASM_WINNOW_JS
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
# The sft-default preset end to end (every step of it: pii.scrub, CLD2, MinHash, split): each output
# file byte-identical. On the shared datasets when present, else on the committed golden inputs.
runs=("$ROOT"/tests/golden/pipeline/*/input.jsonl)
if [ -d "$SHARED" ]; then
  runs=("$SHARED/llamafactory/alpaca_en_demo.json" "$SHARED/llamafactory/alpaca_zh_demo.json"
        "$SHARED/llamafactory/glaive_toolcall_en_demo.json" "$SHARED/oasst/en_100_tree.jsonl"
        "$SHARED/llamafactory/c4_demo.jsonl")
fi
for in in "${runs[@]}"; do
  rm -rf "$T/rn" "$T/rw"
  "$NATIVE" run "$ROOT/assets/presets/sft-default.json" "$in" -o "$T/rn" -q
  rn=$?
  node "$WASM" run "$ROOT/assets/presets/sft-default.json" "$in" -o "$T/rw" -q
  rw=$?
  same=1
  [ $rn = $rw ] || same=0
  [ -n "$(ls "$T/rn" 2>/dev/null)" ] || same=0
  for f in "$T"/rn/*; do
    cmp -s "$f" "$T/rw/$(basename "$f")" || { same=0; echo "  differs: $(basename "$f")"; }
  done
  [ "$(ls "$T/rn" | wc -l)" = "$(ls "$T/rw" | wc -l)" ] || same=0
  if [ $same = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "DIFFERENT: sft-default on $in (exit $rn vs $rw)"
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
