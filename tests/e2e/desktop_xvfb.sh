#!/usr/bin/env bash
# Desktop studio under Xvfb: open a dataset given on the command line, run the sft-default preset,
# export, take a screenshot of the window (import -window root), check it is not blank, and compare
# the exported files byte for byte with `winnow run` on the same file and pipeline.
#   desktop_xvfb.sh STUDIO WINNOW DATA PRESET OUTDIR      (exit 0 pass, 1 fail, 77 skipped)
set -u
STUDIO="$1" CLI="$2" DATA="$3" PRESET="$4" OUT="$5"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -f "$DATA" ] || { echo "SKIP: $DATA is absent (../shared/data is not on this machine)"; exit 77; }
command -v xvfb-run >/dev/null && command -v import >/dev/null ||
  { echo "SKIP: xvfb-run / imagemagick are not installed (apt-get install xvfb imagemagick)"; exit 77; }
rm -rf "$OUT" && mkdir -p "$OUT/studio" "$OUT/cli"

# Inside the X server: start the studio, wait for its status file to say the export happened
# (no time limit: the status file is the signal), screenshot, then end the studio by its PID.
xvfb-run -a -s "-screen 0 1400x860x24" bash -c '
  "$1" "$2" --preset sft-default --run --export --out "$3/studio" --status-file "$3/status.json" --size 1400x860 &
  pid=$!
  until grep -q "\"exported\":[1-9]" "$3/status.json" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.2; done
  sleep 1
  import -window root "$3/desktop.png"
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  exit 0' _ "$STUDIO" "$DATA" "$OUT"

fail=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fail=1; }
[ -f "$OUT/status.json" ] && cat "$OUT/status.json"
grep -q '"run":"done"' "$OUT/status.json" 2>/dev/null && ok "the run finished in the desktop studio" || bad "the run did not finish"
if [ -f "$OUT/desktop.png" ]; then
  node -e '
    const s = require(process.argv[1]).stats(require("fs").readFileSync(process.argv[2]));
    console.log(JSON.stringify(s));
    process.exit(s.colors > 40 && s.dominant < 0.97 ? 0 : 1);' "$HERE/png_stats.js" "$OUT/desktop.png" \
    && ok "desktop.png is not blank" || bad "desktop.png looks blank"
else
  bad "no screenshot was taken"
fi
"$CLI" run "$PRESET" "$DATA" -o "$OUT/cli" >/dev/null 2>"$OUT/cli.log"
rc=$?
[ $rc -le 1 ] && ok "winnow run exited with $rc" || bad "winnow run exited with $rc: $(cat "$OUT/cli.log")"
a="$(cd "$OUT/studio" 2>/dev/null && ls | sort | tr '\n' ' ')"
b="$(cd "$OUT/cli" && ls | sort | tr '\n' ' ')"
[ -n "$a" ] && [ "$a" = "$b" ] && ok "same outputs: $a" || bad "outputs differ: studio [$a] cli [$b]"
for f in $b; do
  cmp -s "$OUT/studio/$f" "$OUT/cli/$f" && ok "$f is byte-identical" || bad "$f differs between the desktop studio and the CLI"
done
exit $fail
