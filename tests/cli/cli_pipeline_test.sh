#!/usr/bin/env bash
# CLI tests of the pipeline verbs: run (file and preset name), dedup, split, stats, card, scrub,
# filter — exit codes, output files, a bad pipeline's message, and `run` equal to the golden case.
# Usage: cli_pipeline_test.sh WINNOW_COMMAND... (native binary, or node .../winnow.js)
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"  # ROOT, W, T, check, finish
G="$ROOT/tests/golden/pipeline"

for v in run scrub dedup filter split stats card; do
  "${W[@]}" "$v" --help > "$T/h_$v.txt" 2>&1
  check "$v --help exits 0" test $? -eq 0
done

# run: the golden dedup case through the CLI gives the golden files byte for byte (exit 1: rows rejected).
cp "$G/dedup_messages/input.jsonl" "$T/input.jsonl"
"${W[@]}" run "$G/dedup_messages/pipeline.json" "$T/input.jsonl" -o "$T/run" -q
check "run exits 1 when rows are rejected" test $? -eq 1
for f in kept.jsonl rejected.jsonl annotations.jsonl report.json README.md; do
  check "run $f equals the golden file" cmp -s "$T/run/$f" "$G/dedup_messages/expected/$f"
done
# --annotations overrides the pipeline's: "all" gives a line per row read as an example, "none" no file.
"${W[@]}" run "$G/dedup_messages/pipeline.json" "$T/input.jsonl" -o "$T/run_all" -q --annotations all
rows=$(wc -l < "$T/input.jsonl")
check "--annotations all: one line per input row" test "$(wc -l < "$T/run_all/annotations.jsonl")" -eq "$rows"
check "--annotations all: dropped rows carry their step" grep -q '"verdict":"dropped","step":"dedup.exact"' "$T/run_all/annotations.jsonl"
check "--annotations all: kept.jsonl unchanged" cmp -s "$T/run_all/kept.jsonl" "$G/dedup_messages/expected/kept.jsonl"
"${W[@]}" run "$G/dedup_messages/pipeline.json" "$T/input.jsonl" -o "$T/run_none" -q --annotations none
check "--annotations none: no annotations.jsonl" test ! -e "$T/run_none/annotations.jsonl"
"${W[@]}" run "$G/dedup_messages/pipeline.json" "$T/input.jsonl" -o "$T/run_bad" -q --annotations some 2> "$T/ann.err"
check "--annotations some exits 2" test $? -eq 2

# a bad pipeline: exit 2 and a message naming the key and the allowed ones
echo '{"version":1,"name":"x","steps":[{"type":"split","params":{"ratio":1}}]}' > "$T/bad.json"
"${W[@]}" run "$T/bad.json" "$T/input.jsonl" -o "$T/bad" 2> "$T/bad.err"
check "bad pipeline exits 2" test $? -eq 2
check "bad pipeline message names the key" grep -q '"ratio"' "$T/bad.err"
check "bad pipeline message lists allowed keys" grep -q 'ratios' "$T/bad.err"

# split: three files whose rows add up to kept.jsonl
"${W[@]}" split "$G/time_split/input.jsonl" -o "$T/split" --method time --by created_at --ratios 0.7,0.15,0.15 -q
check "split exits 0" test $? -eq 0
total=$(cat "$T/split/train.jsonl" "$T/split/validation.jsonl" "$T/split/test.jsonl" | wc -l)
check "split files hold every kept row" test "$total" -eq "$(wc -l < "$T/split/kept.jsonl")"
check "time split: 15 train rows" test "$(wc -l < "$T/split/train.jsonl")" -eq 15

# dedup: near duplicates of the golden input removed
"${W[@]}" dedup "$T/input.jsonl" -o "$T/dedup" --mode near --threshold 0.7 -q
check "dedup exits 1 (rows removed)" test $? -eq 1
check "dedup rejects carry near_duplicate" grep -q '"reason":"near_duplicate"' "$T/dedup/rejected.jsonl"
# --normalize: rows equal but for case are exact duplicates by default, distinct with lower-casing off.
printf '%s\n' '{"instruction":"Name a colour.","output":"Red"}' '{"instruction":"NAME A COLOUR.","output":"RED"}' \
  '{"instruction":"Name a colour!","output":"Red"}' > "$T/case.jsonl"
"${W[@]}" dedup "$T/case.jsonl" -o "$T/case_default" --mode exact -q
check "dedup --mode exact: the upper-case copy is a duplicate by default" test "$(wc -l < "$T/case_default/kept.jsonl")" -eq 2
"${W[@]}" dedup "$T/case.jsonl" -o "$T/case_nolower" --mode exact --normalize nfkc,whitespace -q
check "dedup --normalize nfkc,whitespace keeps it (case counts)" test "$(wc -l < "$T/case_nolower/kept.jsonl")" -eq 3
"${W[@]}" dedup "$T/case.jsonl" -o "$T/case_punct" --mode exact --normalize nfkc,lowercase,whitespace,punctuation -q
check "dedup --normalize with punctuation: all three are one" test "$(wc -l < "$T/case_punct/kept.jsonl")" -eq 1
check "the report shows the normalization used" grep -q '"punctuation": *true' "$T/case_punct/report.json"
"${W[@]}" dedup "$T/case.jsonl" -o "$T/case_bad" --normalize lowercase,stemming -q 2> "$T/bad.err"
check "dedup --normalize with an unknown kind is a usage error naming it" grep -q 'unknown kind "stemming"' "$T/bad.err"
"${W[@]}" dedup "$T/case.jsonl" -o "$T/case_flag" --mode exact --exact-params '{"action":"flag"}' -q
check "dedup --exact-params action flag keeps every row" test "$(wc -l < "$T/case_flag/kept.jsonl")" -eq 3

# stats / card
"${W[@]}" stats "$T/input.jsonl" > "$T/stats.txt"
check "stats prints the row count" grep -q "^rows     10" "$T/stats.txt"
"${W[@]}" card --report "$T/run/report.json" -o "$T/card.md"
check "card re-renders a saved report identically" cmp -s "$T/card.md" "$T/run/README.md"
# A card of raw files describes them as they are: it names the input, not outputs that do not exist.
"${W[@]}" card "$T/input.jsonl" -o "$T/raw_card.md"
check "card of raw files lists the input as its data file" grep -q '^    - "input.jsonl"$' "$T/raw_card.md"
check "card of raw files says no pipeline was run" grep -q "no cleaning pipeline was run" "$T/raw_card.md"
check "card of raw files does not claim cleaning or outputs" test "$(grep -c -e 'cleaned with Winnow' -e 'kept.jsonl' -e 'How it was cleaned' "$T/raw_card.md")" -eq 0

# scrub / filter: one-step pipelines of the pii / filters steps
"${W[@]}" scrub "$T/input.jsonl" -o "$T/scrub" -q
rc=$?
check "scrub runs (exit 0 or 1)" test $rc -le 1
check "scrub report names pii.scrub" grep -q '"type": "pii.scrub"' "$T/scrub/report.json"
"${W[@]}" filter "$T/input.jsonl" -o "$T/filter" -q
rc=$?
check "filter runs (exit 0 or 1)" test $rc -le 1
check "filter report names filter.quality" grep -q '"type": "filter.quality"' "$T/filter/report.json"

finish
