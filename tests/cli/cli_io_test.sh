#!/usr/bin/env bash
# CLI tests of convert / inspect / validate: exit codes, rejects files, refusal to overwrite the
# input, --help on every verb, and outputs equal to the reviewed golden files.
# Usage: cli_io_test.sh WINNOW_COMMAND... (e.g. build/native/native/winnow, or node build/wasm/wasm/winnow.js)
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"  # ROOT, W, T, check, finish
G="$ROOT/tests/golden/io"

# --help everywhere
"${W[@]}" --help > "$T/help.txt" 2>&1
check "--help lists the verbs" grep -q "convert" "$T/help.txt"
for v in convert inspect validate; do
  "${W[@]}" "$v" --help > "$T/h_$v.txt" 2>&1
  check "$v --help exits 0 and documents exit codes" grep -q "Exit codes" "$T/h_$v.txt"
done

# convert: clean input -> exit 0, output equals the golden file, empty rejects file
cp "$G/alpaca_mixed/input.jsonl" "$T/in.jsonl"
"${W[@]}" convert "$T/in.jsonl" --to messages -o "$T/out.jsonl" -q
check "convert clean input exits 0" test $? -eq 0
check "convert output equals golden messages.jsonl" cmp -s "$T/out.jsonl" "$G/alpaca_mixed/expected/messages.jsonl"
check "rejects file next to the output, empty" test -f "$T/out.rejected.jsonl" -a ! -s "$T/out.rejected.jsonl"
check "input untouched" cmp -s "$T/in.jsonl" "$G/alpaca_mixed/input.jsonl"

# convert: broken rows -> exit 1, rejects equal golden
cp "$G/broken_rows/input.jsonl" "$T/broken.jsonl"
"${W[@]}" convert "$T/broken.jsonl" --to text -o "$T/b.jsonl" -r "$T/b.rej.jsonl" 2> "$T/b.err"
check "convert with rejected rows exits 1" test $? -eq 1
check "kept rows equal golden" cmp -s "$T/b.jsonl" "$G/broken_rows/expected/text.jsonl"
sed 's/"file":"[^"]*"/"file":"F"/' "$T/b.rej.jsonl" > "$T/b.rej.norm"
sed 's/"file":"[^"]*"/"file":"F"/' "$G/broken_rows/expected/text.rejected.jsonl" > "$T/g.rej.norm"
check "rejects equal golden (reason, line, offset, raw)" cmp -s "$T/b.rej.norm" "$T/g.rej.norm"
check "summary names the rejects file and reasons" grep -q "parse_error: 1" "$T/b.err"

# convert to JSON array and CSV by extension; CSV reads back
"${W[@]}" convert "$T/in.jsonl" --to alpaca -o "$T/out.csv" -q
check "CSV output has a header row" grep -q "^instruction,input,output" "$T/out.csv"
"${W[@]}" convert "$T/out.csv" --to alpaca -o "$T/back.jsonl" -q
check "CSV reads back" test "$(wc -l < "$T/back.jsonl")" -eq 4
"${W[@]}" convert "$T/in.jsonl" --to sharegpt -o "$T/out.json" -q
check "JSON array output" grep -q '^\[' "$T/out.json"

# gzip input (natively through zlib; the web build inflates in the browser and says so here)
gzip -c "$T/in.jsonl" > "$T/in.jsonl.gz"
"${W[@]}" convert "$T/in.jsonl.gz" --to messages -o "$T/gz.jsonl" -q 2> "$T/gz.err"
gz_rc=$?
if [ "${W[0]}" = node ] || [ "${W[0]}" = /usr/bin/node ]; then
  check "wasm CLI explains that gzip is inflated by the browser" grep -q "DecompressionStream" "$T/gz.err"
else
  check ".gz input converts like the plain file" cmp -s "$T/gz.jsonl" "$G/alpaca_mixed/expected/messages.jsonl"
  head -c 60 "$T/in.jsonl.gz" > "$T/cut.jsonl.gz"
  "${W[@]}" convert "$T/cut.jsonl.gz" --to messages -o "$T/cut.jsonl" -q 2> "$T/cut.err"
  check "truncated .gz is an I/O error (exit 3) with a message" test $? -eq 3 -a -s "$T/cut.err"
fi

# never overwrite the input
"${W[@]}" convert "$T/in.jsonl" --to alpaca -o "$T/in.jsonl" 2> "$T/ow.err"
check "refuses to overwrite its input (exit 2)" test $? -eq 2
check "input still intact after refusal" cmp -s "$T/in.jsonl" "$G/alpaca_mixed/input.jsonl"

# usage errors
"${W[@]}" convert "$T/in.jsonl" --to nonsense -o "$T/x.jsonl" 2> "$T/u.err"
check "unknown format exits 2" test $? -eq 2
check "unknown format message lists the allowed formats" grep -q "alpaca, sharegpt" "$T/u.err"
"${W[@]}" convert "$T/missing.jsonl" --to alpaca -o "$T/x.jsonl" 2> "$T/m.err"
check "missing input exits 3" test $? -eq 3

# inspect / validate
"${W[@]}" inspect "$T/in.jsonl" --json > "$T/i.json"
check "inspect --json exits 0 on a clean file" test $? -eq 0
check "inspect --json reports format and rows" grep -q '"rows": 4' "$T/i.json"
"${W[@]}" inspect "$T/broken.jsonl" > "$T/ib.txt"
check "inspect exits 1 when rows are unreadable" test $? -eq 1
check "inspect shows line and offset of a problem" grep -q "line 2 (offset 30)" "$T/ib.txt"
printf '%s\n' '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"  "}]}' \
  '{"messages":[{"role":"user","content":"a"},{"role":"system","content":"late"},{"role":"user","content":"b"}]}' \
  '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{bad"}}]}]}' > "$T/v.jsonl"
"${W[@]}" validate "$T/v.jsonl" > "$T/v.txt"
check "validate exits 1 on issues" test $? -eq 1
for code in empty_reply system_not_first roles_not_alternating bad_tool_call; do
  check "validate reports $code" grep -q "$code" "$T/v.txt"
done

finish
