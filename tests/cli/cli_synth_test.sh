#!/usr/bin/env bash
# CLI tests of synthesis against the fake provider (tests/synth/fake_provider.py on a free port of
# 127.0.0.1): a pipeline with no input file generating Q&A through scripted failures (429 with
# Retry-After, 500, a timeout, a malformed body, bad JSON, the wrong schema), the Anthropic wire
# format, the reply cache (a second run makes zero requests), dry run and estimate (no requests),
# generated rows flowing into dedup / quality steps, and a recognisable key grepped for in every
# output, the report, the card, the pipeline, the cache and the logs: absent.
# In the wasm CLI (Node) LLM steps cannot run (no event loop during a run): the test checks they
# fail with a clear message and that the dry run still works.
# Usage: cli_synth_test.sh WINNOW_COMMAND...
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
W=("$@")
T="$(mktemp -d)"
FAKE_PID=""
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
n=0
check() {  # check DESCRIPTION CONDITION...
  local d="$1"
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fails=$((fails + 1)); fi
}
WASM=0
case "${W[0]}" in *node*) WASM=1 ;; esac

KEY="sk-winnow-test-RECOGNISABLE-7f3a9c2e51"
export WINNOW_TEST_KEY="$KEY"
FAKE_EXPECT_KEY="$KEY" /usr/bin/python3 "$ROOT/tests/synth/fake_provider.py" 0 > "$T/fake.out" 2> "$T/fake.err" &
FAKE_PID=$!
for _ in $(seq 1 100); do grep -q '^PORT ' "$T/fake.out" 2>/dev/null && break; sleep 0.1; done
PORT="$(sed -n 's/^PORT //p' "$T/fake.out")"
check "fake provider started" test -n "$PORT"
URL="http://127.0.0.1:$PORT"
count() { /usr/bin/python3 -c "import json,urllib.request;print(json.load(urllib.request.urlopen('$URL/count'))['$1'])"; }

cat > "$T/qa.json" <<JSON
{"version": 1, "name": "synth-qa", "seed": 7, "steps": [
  {"type": "synth.qa", "id": "qa", "params": {
     "base_url": "$URL/v1", "model": "fake-model", "api_key_env": "WINNOW_TEST_KEY",
     "timeout_s": 1, "retry_base_ms": 50, "concurrency": 3,
     "topics": ["tea", "rivers [[429]]", "bread [[500]]", "clocks [[timeout]]", "maps [[malformed]]",
                "bees [[bad-json]]", "owls [[wrong-schema]]", "ghosts [[bad-json-always]]"],
     "per_topic": 2}},
  {"type": "dedup.exact", "id": "dedup"},
  {"type": "filter.quality", "id": "quality"}]}
JSON

if [ "$WASM" = 1 ]; then
  "${W[@]}" run "$T/qa.json" -o "$T/w" 2> "$T/w.err"
  rc=$?
  check "wasm CLI: an LLM step fails before running (exit 2 or 3)" test "$rc" -eq 2 -o "$rc" -eq 3
  check "wasm CLI: the message says where it works" grep -q "native CLI" "$T/w.err"
  "${W[@]}" synth qa --dry-run --params '{"topics":["tea"],"per_topic":2,"model":"fake-model"}' > "$T/w.dry" 2> "$T/w.dry.err"
  check "wasm CLI: dry run works" test $? -eq 0
  check "wasm CLI: dry run prints the prompts" grep -q 'about the topic "tea"' "$T/w.dry"
  check "wasm CLI: nothing reached the fake provider" test "$(count requests)" -eq 0
  echo "1..$n"
  exit $((fails > 0))
fi

# 1. No input file: every row is generated.
"${W[@]}" run "$T/qa.json" -o "$T/out" > "$T/run1.log" 2>&1
rc=$?
check "run without input exits 0 or 1" test "$rc" -eq 0 -o "$rc" -eq 1
R1="$(count requests)"
# 16 calls: 14 usable after retries / repair, 2 rejected (never JSON) with their raw replies kept.
check "kept.jsonl has rows" test -s "$T/out/kept.jsonl"
/usr/bin/python3 - "$T/out/report.json" > "$T/check1.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
qa = r["steps"][0]
rep = qa["report"]
def ok(cond, what):
    print(("ok " if cond else "FAIL ") + what)
ok(r["conservation"]["ok"] is True, "conservation ok")
ok(r["rows"]["read"] == 0 and r["rows"].get("generated") == 14, "no row read, 14 generated")
ok(r["rows"]["kept"] + r["rows"]["rejected"] == 14, "generated == kept + rejected")
ok(sum(1 for _ in open(sys.argv[1].replace("report.json", "kept.jsonl"))) == r["rows"]["kept"], "kept.jsonl has the kept rows")
ok(qa.get("generated") == 14, "qa step counts 14 generated")
ok(rep["calls"] == 16 and rep["succeeded"] == 14 and rep["rejected"] == 2, "16 calls, 14 ok, 2 rejected")
ok(rep["failures"] == {"bad_json": 2}, "the rejected calls are bad_json")
ok(rep["retries"] == 8, "429 / 500 / timeout / malformed retried once each (two calls per topic)")
ok(rep["repairs"] == 6, "bad-json, wrong-schema and bad-json-always: one repair request per call")
ok(rep["requests"] == 16 + 8 + 6, "requests = calls + retries + repairs")
rr = rep["rejected_replies"][0]
ok("reply" in rr and "Sure!" in rr["reply"], "the raw reply of the rejected call is kept")
ok(len(rep["usage"]) == 16 and all("input_tokens" in u for u in rep["usage"]), "token usage per request")
ok(rep["usage_total"]["input_tokens"] > 0, "usage totals")
steps = {s["id"]: s for s in r["steps"]}
ok(steps["dedup"]["in"] == 14 and steps["quality"]["in"] == steps["dedup"]["kept"], "generated rows flow into dedup and quality")
PY
while read -r line; do check "report: ${line#* }" test "${line%% *}" = ok; done < "$T/check1.txt"
head -1 "$T/out/kept.jsonl" > "$T/row1.json"
check "rows carry provenance in meta" grep -q '"synth":{.*"model":"fake-model".*"prompt_hash":"[0-9a-f]\{16\}"' "$T/row1.json"
check "rows are in messages format" grep -q '"messages":\[{"role":"user"' "$T/row1.json"
check "the summary shows the cost from the price table" grep -q 'requests' "$T/run1.log"

# 2. The cache: a second run makes zero requests and writes the same rows.
"${W[@]}" run "$T/qa.json" -o "$T/out2" --cache "$T/out/.synth-cache" > "$T/run2.log" 2>&1
R2="$(count requests)"
check "second run makes zero requests" test "$R2" -eq "$R1"
check "second run writes the same kept rows" cmp -s "$T/out/kept.jsonl" "$T/out2/kept.jsonl"

# 3. The key never appears anywhere: outputs, report, card, pipeline, cache, logs.
check "the fake saw the key in a header" test "$(count auth_seen)" -gt 0
cp "$T/qa.json" "$T/out/pipeline.json"
if grep -rF "$KEY" "$T/out" "$T/out2" "$T/run1.log" "$T/run2.log" "$T/qa.json" > "$T/leak.txt"; then leak=1; else leak=0; fi
check "the key is absent from outputs, report, card, pipeline, cache and logs" test "$leak" -eq 0
check "the key env name (not the key) is in the report" grep -q '"api_key_env": *"WINNOW_TEST_KEY"' "$T/out/report.json"

# 4. A wrong key: the first 401 stops every other call; exit code and message.
WINNOW_TEST_KEY="sk-wrong" "${W[@]}" run "$T/qa.json" -o "$T/bad" --no-cache > "$T/bad.log" 2>&1
check "wrong key: the calls fail as auth" grep -q '"auth"' "$T/bad/report.json"
check "wrong key: the wrong key is not in the report" bash -c "! grep -q 'sk-wrong' '$T/bad/report.json'"
# A missing key variable is a usage error before any request.
before="$(count requests)"
env -u WINNOW_TEST_KEY "${W[@]}" run "$T/qa.json" -o "$T/nokey" > "$T/nokey.log" 2>&1
check "missing key variable exits 2" test $? -eq 2
check "missing key message names the variable" grep -q 'WINNOW_TEST_KEY' "$T/nokey.log"
check "missing key: no request sent" test "$(count requests)" -eq "$before"
# A key in the pipeline file is refused.
sed 's/"api_key_env": "WINNOW_TEST_KEY"/"api_key": "sk-inline"/' "$T/qa.json" > "$T/inline.json"
"${W[@]}" run "$T/inline.json" -o "$T/inline" > "$T/inline.log" 2>&1
check "a key inside the pipeline is refused (exit 2)" test $? -eq 2
check "the refusal says to use api_key_env" grep -q 'api_key_env' "$T/inline.log"

# 5. Anthropic wire format, through the synth verb.
"${W[@]}" synth qa -o "$T/anth" --provider anthropic --base-url "$URL" --model claude-fake --api-key-env WINNOW_TEST_KEY \
  --params '{"topics":["lighthouses"],"per_topic":3}' -q
check "synth verb with the Anthropic format exits 0" test $? -eq 0
check "3 rows from the Anthropic format" test "$(wc -l < "$T/anth/kept.jsonl")" -eq 3
check "Anthropic path used" bash -c "/usr/bin/python3 -c \"import json,urllib.request;p=json.load(urllib.request.urlopen('$URL/count'))['paths'];exit(0 if '/v1/messages' in p else 1)\""

# 6. Dry run and estimate send nothing.
before="$(count requests)"
"${W[@]}" synth qa --dry-run --base-url "$URL/v1" --model gpt-4o-mini --params '{"topics":["tea","coffee"],"per_topic":2}' > "$T/dry.txt"
check "dry run exits 0" test $? -eq 0
check "dry run shows 4 prompts" test "$(grep -c '^--- call' "$T/dry.txt")" -eq 4
check "dry run shows the rendered prompt" grep -q 'about the topic "coffee"' "$T/dry.txt"
"${W[@]}" synth qa --estimate --model gpt-4o-mini --params '{"topics":["tea"],"per_topic":10,"max_tokens":100}' > "$T/est.txt"
check "estimate prints calls and a cost" grep -q 'estimate: 10 calls to gpt-4o-mini.*at most \$0\.' "$T/est.txt"
check "dry run and estimate made no request" test "$(count requests)" -eq "$before"

# 7. Seed-based recipes over an input file: paraphrase adds rows, judge annotates and filters.
printf '%s\n' '{"instruction":"Explain tides [[score:2]]","output":"The moon pulls the sea."}' \
              '{"instruction":"Name a prime number [[score:5]]","output":"Seven."}' > "$T/seeds.jsonl"
cat > "$T/seeded.json" <<JSON
{"version": 1, "name": "seeded", "steps": [
  {"type": "synth.paraphrase", "id": "para", "params": {"base_url": "$URL/v1", "model": "fake-model", "api_key_env": "WINNOW_TEST_KEY", "format": "alpaca"}},
  {"type": "score.judge", "id": "judge", "params": {"base_url": "$URL/v1", "model": "fake-model", "api_key_env": "WINNOW_TEST_KEY", "min_score": 3}}]}
JSON
"${W[@]}" run "$T/seeded.json" "$T/seeds.jsonl" -o "$T/seeded" -q
check "seeded pipeline ran" test -s "$T/seeded/report.json"
/usr/bin/python3 - "$T/seeded/report.json" > "$T/check2.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = {x["id"]: x for x in r["steps"]}
def ok(cond, what):
    print(("ok " if cond else "FAIL ") + what)
ok(s["para"]["generated"] == 2, "paraphrase generated 2 rows")
ok(s["judge"]["in"] == 4, "judge saw input + generated rows")
ok(s["judge"]["dropped"] == 1 and s["judge"]["drop_reasons"] == {"judge_low_score": 1}, "judge dropped the row scored 2")
ok(r["rows"]["read"] + r["rows"]["generated"] == r["rows"]["kept"] + r["rows"]["rejected"] if "read" in r["rows"] else True, "read + generated == kept + rejected")
PY
while read -r line; do check "seeded: ${line#* }" test "${line%% *}" = ok; done < "$T/check2.txt"
check "judge score annotation in kept rows' report" grep -q '"scores"' "$T/seeded/report.json"

echo "1..$n"
exit $((fails > 0))
