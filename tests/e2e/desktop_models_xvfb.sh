#!/usr/bin/env bash
# Desktop studio under Xvfb, model steps: score.model + dedup.semantic with a tiny random-weight
# BERT-style model that torch exports now (tests/models/export_tiny_bert.py), through the dlopen'ed
# ONNX Runtime. Checks that the Report view's embedding map is drawn by the GL 3.3 shader renderer
# and that its region of a screenshot holds coloured points, and that the exported files equal
# `winnow run` byte for byte.
#   desktop_models_xvfb.sh STUDIO WINNOW OUTDIR      (exit 0 pass, 1 fail, 77 skipped)
set -u
STUDIO="$1" CLI="$2" OUT="$3"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$HERE/xvfb_lib.sh"
xvfb_require
rm -rf "$OUT" && mkdir -p "$OUT/studio" "$OUT/cli"
MODELS="$OUT/models"
/usr/bin/python3 "$ROOT/tests/models/export_tiny_bert.py" "$MODELS" >"$OUT/export.log" 2>&1 ||
  { echo "SKIP: exporting the tiny model with torch failed (python3-torch / python3-onnx?): $(tail -3 "$OUT/export.log")"; exit 77; }

# The data: the reference texts as chats, then each again in upper case (the same tokens for the
# uncased vocabulary: semantic duplicates); the pipeline of tests/e2e/model_e2e.js.
/usr/bin/python3 - "$MODELS/reference.json" "$OUT/chats.jsonl" "$OUT/pipeline.json" <<'PY'
import json, sys
texts = json.load(open(sys.argv[1]))["texts"]
with open(sys.argv[2], "w") as f:
    for t in texts + [t.upper() for t in texts]:
        f.write(json.dumps({"messages": [{"role": "user", "content": t}, {"role": "assistant", "content": "ok"}]}) + "\n")
json.dump({"version": 1, "name": "model-e2e", "seed": 11, "steps": [
    {"id": "cls", "type": "score.model", "params": {"model": "classifier.onnx", "tokenizer": "vocab.txt", "field": "user", "batch_size": 4}},
    {"id": "sem", "type": "dedup.semantic", "params": {"model": "tiny_bert.onnx", "tokenizer": "vocab.txt", "view": "user",
     "threshold": 0.999, "keep": "highest_score", "score_from": "cls", "batch_size": 5}}]}, open(sys.argv[3], "w"), indent=2)
PY

(cd "$MODELS" && "$CLI" run "$OUT/pipeline.json" "$OUT/chats.jsonl" -o "$OUT/cli" >/dev/null 2>"$OUT/cli.log")
rc=$?
if [ $rc -gt 1 ] && grep -q "model_runtime_missing\|ONNX Runtime" "$OUT/cli.log"; then
  echo "SKIP: the native ONNX Runtime is missing: $(cat "$OUT/cli.log")"; exit 77
fi

# In the models folder: run, export, show the Report view; the status file saying the map is drawn
# is the signal.
studio_shot "$MODELS" "$OUT/desktop_models.png" "grep -q '\"renderer\"' '$OUT/status.json'" -- \
  "$STUDIO" "$OUT/chats.jsonl" --pipeline "$OUT/pipeline.json" --run --export --view Report --out "$OUT/studio" \
  --status-file "$OUT/status.json" --size 1400x860

[ -f "$OUT/status.json" ] && cat "$OUT/status.json"
[ $rc -le 1 ] && ok "winnow run exited with $rc" || bad "winnow run exited with $rc: $(cat "$OUT/cli.log")"
grep -q '"run":"done"' "$OUT/status.json" 2>/dev/null && ok "the run finished in the desktop studio" || bad "the run did not finish"
if [ -f "$OUT/desktop_models.png" ]; then
  node -e '
    const fs = require("fs");
    const st = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
    const m = st.map || {};
    if (m.renderer !== "gl3" || m.error) { console.log("FAIL  the map renderer is " + m.renderer + " " + (m.error || "")); process.exit(1); }
    console.log("ok    the embedding map is drawn by the GL 3.3 shader renderer (" + m.points + " points)");
    const rs = require(process.argv[1]).regionStats(fs.readFileSync(process.argv[2]), m.rect);
    const pass = m.points === 16 && rs.marked >= 8 * 40 && rs.hues >= 4;
    console.log((pass ? "ok    " : "FAIL  ") + "the map region is not blank: " + JSON.stringify(rs));
    process.exit(pass ? 0 : 1);' "$HERE/png_stats.js" "$OUT/desktop_models.png" "$OUT/status.json" || fail=1
else
  bad "no screenshot was taken"
fi
same_outputs "$OUT/studio" "$OUT/cli"
exit $fail
