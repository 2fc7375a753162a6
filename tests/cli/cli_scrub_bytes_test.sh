#!/usr/bin/env bash
# `winnow scrub IN -o OUT` leaves every byte of a JSONL row outside the detected values as it was
# (issue #3): kept.jsonl with each placeholder put back is the input, byte for byte.
# Usage: cli_scrub_bytes_test.sh WINNOW_COMMAND... (native binary, or node .../winnow.js)
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"  # ROOT, W, T, check, finish
G="$ROOT/tests/golden/pii_source_bytes"
P='{"fields": ["messages", "chosen", "rejected", "text", "meta", "tool_calls"]}'

# One email and one phone number only, so each placeholder has one value to put back. A changed
# string is written in minimal escaping (its own \u00e9 would become UTF-8), so escapes sit in the
# strings no value was found in — of the same rows.
cat > "$T/in.jsonl" <<'JSONL'
{ "id" : 3, "messages":[ {"content": "Café — mail jane.doe@example.com", "role": "user"}, {"role":"assistant","content":"Noted \ud83d\ude00"} ], "tags": ["a", "caf\u00e9"] }
{"messages": [{"role": "user", "content": "Mail her"}, {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "send", "arguments": "{\"to\": \"jane.doe@example.com\"}"}}]}]}
{"messages":[{"role":"user","content":"\"no\" PII \/ here"},{"role":"assistant","content":"call +49 30 12345678"}]}
JSONL
"${W[@]}" scrub "$T/in.jsonl" -o "$T/out" -q --params "$P"
check "scrub exits 0" test $? -eq 0
check "scrub replaced the email" grep -q '\[EMAIL\]' "$T/out/kept.jsonl"
check "scrub replaced the email in tool-call arguments" grep -q 'to\\": \\"\[EMAIL\]' "$T/out/kept.jsonl"
sed -e 's/\[EMAIL\]/jane.doe@example.com/g' -e 's/\[PHONE\]/+49 30 12345678/g' "$T/out/kept.jsonl" > "$T/restored.jsonl"
check "every byte outside the placeholders is the input's" cmp -s "$T/restored.jsonl" "$T/in.jsonl"
check "report counts the rows written from source" grep -q '"source": 3' "$T/out/report.json"

# The golden inputs (alpaca instruction + input, glaive function_call) through the CLI: no row re-encoded.
for f in messages sharegpt alpaca; do
  "${W[@]}" scrub "$G/$f.jsonl" -o "$T/g_$f" -q --params "$P"
  check "scrub $f.jsonl exits 0" test $? -eq 0
  check "scrub $f.jsonl re-encodes no row" grep -q '"canonical": 0' "$T/g_$f/report.json"
done

# --row-bytes canonical re-encodes (escapes written as UTF-8); a bad value is a usage error.
"${W[@]}" scrub "$T/in.jsonl" -o "$T/canon" -q --params "$P" --row-bytes canonical
check "scrub --row-bytes canonical exits 0" test $? -eq 0
check "canonical rows are re-encoded" grep -q '"tags":\["a","café"\]' "$T/canon/kept.jsonl"
check "canonical run has no row_bytes report" bash -c "! grep -q '\"row_bytes\"' '$T/canon/report.json'"
"${W[@]}" scrub "$T/in.jsonl" -o "$T/bad" -q --row-bytes raw > "$T/bad.txt" 2>&1
check "--row-bytes raw is refused" test $? -ne 0
check "the refusal names the allowed values" grep -q 'canonical' "$T/bad.txt"
# run keeps re-encoding unless asked.
echo '{"version": 1, "name": "s", "steps": [{"type": "pii.scrub", "params": '"$P"'}]}' > "$T/p.json"
"${W[@]}" run "$T/p.json" "$T/in.jsonl" -o "$T/run" -q
check "run re-encodes by default" cmp -s "$T/run/kept.jsonl" "$T/canon/kept.jsonl"
"${W[@]}" run "$T/p.json" "$T/in.jsonl" -o "$T/run_src" -q --row-bytes source
check "run --row-bytes source keeps the source bytes" cmp -s "$T/run_src/kept.jsonl" "$T/out/kept.jsonl"
finish
