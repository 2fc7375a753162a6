#!/usr/bin/env bash
# pii.scrub benchmark: MB/s with every detector (native, and wasm under Node) beside a Python `re`
# scrubber of just email / phone / SSN / card (Debian's /usr/bin/python3) on the same corpus, plus
# precision / recall per entity type on assets/pii_eval. Builds pii_bench in build/bench-pii{,-wasm}.
# Corpus: the generator's text (assets/pii_eval/generate.py, markup removed) interleaved with
# real prose from ../shared/data when present (one record per line), about $MB megabytes.
# NATIVE_BUILD / WASM_BUILD name existing build folders to use instead (only the pii_bench target
# is built there; NATIVE_LOCK / WASM_LOCK: a file to flock around that build, for shared trees).
# The ratio to Python is the comparable figure on a loaded machine: both run in the same minute.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${WINNOW_SHARED_DATA:-$ROOT/../shared/data}"
PASSES="${PASSES:-3}"
MB="${MB:-8}"
WORK="$ROOT/build/bench-pii-data"
mkdir -p "$WORK"
CORPUS="$WORK/corpus.txt"

/usr/bin/python3 - "$ROOT" "$DATA" "$CORPUS" "$MB" <<'PY'
import json, os, re, subprocess, sys
root, data, out, mb = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
gen = subprocess.run(["/usr/bin/python3", f"{root}/assets/pii_eval/generate.py", "--seed", "7", "--count", "20000"],
                     check=True, capture_output=True, text=True).stdout.splitlines()
gen = [re.sub(r"\[\[[A-Z0-9_]+:(.*?)\]\]", r"\1", l).replace("\\n", " ") for l in gen if not l.startswith("#")]
prose = []
def add(s):
    if isinstance(s, str) and s.strip():
        prose.append(" ".join(s.split()))
for name in ["llamafactory/alpaca_en_demo.json", "llamafactory/dpo_en_demo.json", "fastchat/dummy_conversation.json"]:
    p = os.path.join(data, name)
    if not os.path.exists(p):
        continue
    for row in json.load(open(p, encoding="utf-8")):
        for k in ("instruction", "input", "output"):
            add(row.get(k))
        for turn in row.get("conversations", []):
            add(turn.get("value"))
p = os.path.join(data, "llamafactory/c4_demo.jsonl")
if os.path.exists(p):
    for line in open(p, encoding="utf-8"):
        add(json.loads(line).get("text"))
lines, size, i = [], 0, 0
target = int(mb * 1e6)
while size < target:
    # Mostly ordinary prose, one generated line (with PII and distractors) in four.
    l = gen[i % len(gen)] if (not prose or i % 4 == 0) else prose[i % len(prose)]
    lines.append(l)
    size += len(l.encode("utf-8")) + 1
    i += 1
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
print(f"corpus: {size/1e6:.1f} MB, {len(lines)} lines ({'with' if prose else 'without'} shared-data prose)")
PY

echo "== Python re scrubber (email / phone / SSN / card only), /usr/bin/python3"
/usr/bin/python3 - "$CORPUS" "$PASSES" <<'PY'
import re, sys, time
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
size = sum(len(l.encode("utf-8")) + 1 for l in lines) / 1e6
patterns = [
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[EMAIL]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[US_SSN]"),
    (re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), "[CREDIT_CARD]"),
    (re.compile(r"(?:\+\d{1,3}[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b"), "[PHONE]"),
]
best, best_cpu = 1e30, 1e30
for _ in range(int(sys.argv[2])):
    t0, c0 = time.perf_counter(), time.process_time()
    for l in lines:
        for rx, ph in patterns:
            l = rx.sub(ph, l)
    best = min(best, time.perf_counter() - t0)
    best_cpu = min(best_cpu, time.process_time() - c0)
print(f"python re  4 patterns      {size / best:8.1f} MB/s wall  {size / best_cpu:8.1f} MB/s cpu")
PY

locked() {  # LOCKFILE command...: runs the command under flock when LOCKFILE is set
  local lock="$1"; shift
  if [ -n "$lock" ]; then flock "$lock" "$@"; else "$@"; fi
}

echo "== native"
NB="${NATIVE_BUILD:-$ROOT/build/bench-pii}"
if [ -z "${NATIVE_BUILD:-}" ]; then
  cmake -S "$ROOT" -B "$NB" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
locked "${NATIVE_LOCK:-}" cmake --build "$NB" --target pii_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" "$NB/tests/bench/pii_bench" --corpus "$CORPUS" --passes "$PASSES"

echo "== wasm (node)"
if ! command -v emcmake >/dev/null; then
  echo "emcmake not found; skipping the wasm run"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
WB="${WASM_BUILD:-$ROOT/build/bench-pii-wasm}"
if [ -z "${WASM_BUILD:-}" ]; then
  emcmake cmake -S "$ROOT" -B "$WB" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
locked "${WASM_LOCK:-}" cmake --build "$WB" --target pii_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" node "$WB/tests/bench/pii_bench.js" --corpus "$CORPUS" --passes "$PASSES"
