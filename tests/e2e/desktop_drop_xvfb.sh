#!/usr/bin/env bash
# Desktop studio under Xvfb: files dropped on the window by a real XDND drag source (xdnd_drop, an
# Xlib client speaking XDND version 5 to GLFW's drop target). The studio starts with no file; the
# status file must show nothing loaded. Then a path that does not exist (with spaces, so the URI is
# percent-encoded) is dropped: the studio must show its "cannot open" message for that path, keep
# running and load nothing; a folder must end in a load error naming it. Then the dataset is
# dropped: the status file must name it as the input, with all its rows loaded (999 for
# alpaca_en_demo.json) and no load error, and a screenshot of the window with the table drawn must
# not be blank (drop_missing.png shows the message, for people). xdnd_drop must also fail, with its
# message, when no window has the title.
#   desktop_drop_xvfb.sh STUDIO XDND_DROP DATA ROWS OUTDIR      (exit 0 pass, 1 fail, 77 skipped)
set -u
STUDIO="$1" DROP="$2" DATA="$3" ROWS="$4" OUT="$5"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/xvfb_lib.sh"
[ -f "$DATA" ] || { echo "SKIP: $DATA is absent (../shared/data is not on this machine)"; exit 77; }
xvfb_require

# The whole session runs inside one virtual X server: this script again, under xvfb-run.
if [ -z "${WINNOW_DROP_IN_X:-}" ]; then
  rm -rf "$OUT" && mkdir -p "$OUT"
  WINNOW_DROP_IN_X=1 exec xvfb-run -a -s "-screen 0 1400x860x24" bash "${BASH_SOURCE[0]}" "$@"
fi

TITLE="Winnow studio"
STATUS="$OUT/status.json"
DATA_ABS="$(realpath "$DATA")"
MISSING="$OUT/no such file.jsonl"

# status EXPR: evaluates the JavaScript expression EXPR over the status JSON `s` and prints it.
status() { node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$STATUS" "$1" 2>/dev/null; }
# wait_status EXPR SECONDS: until EXPR is true in the status file; fails if the studio exits first.
wait_status() {
  local until=$((SECONDS + $2))
  while [ $SECONDS -lt $until ]; do
    kill -0 $pid 2>/dev/null || return 2
    [ "$(status "$1")" = true ] && return 0
    sleep 0.2
  done
  return 1
}

(cd "$OUT" && exec "$STUDIO" --status-file "$STATUS" --size 1400x860) >"$OUT/studio.log" 2>&1 &
pid=$!

# ---- 1. started with no file: nothing is loaded ----
if wait_status 's.frames >= 0' 60; then
  [ "$(status 's.load + "|" + s.input + "|" + s.rows')" = "idle||0" ] &&
    ok "the studio started with nothing loaded" || bad "the studio has something loaded before any drop: $(cat "$STATUS")"
else
  bad "the studio wrote no status file (or exited): $(cat "$OUT/studio.log")"
fi

# The drag source fails loudly when there is no target (so its exit 0 below means something).
"$DROP" --name "No such window" --timeout 1 "$DATA_ABS" >"$OUT/drop_nowindow.log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'no viewable window titled "No such window"' "$OUT/drop_nowindow.log" &&
  ok "xdnd_drop without a target: $(cat "$OUT/drop_nowindow.log")" || bad "xdnd_drop without a target exited with $rc: $(cat "$OUT/drop_nowindow.log")"

# ---- 2. a path that does not exist: the studio's message, no crash ----
"$DROP" --name "$TITLE" --timeout 30 "$MISSING" >"$OUT/drop_missing.log" 2>&1
rc=$?
cat "$OUT/drop_missing.log"
[ $rc = 0 ] && ok "XDND drop of a missing path completed (enter, position, status, drop, data, finished)" ||
  bad "xdnd_drop of the missing path exited with $rc"
export MISSING
if wait_status 's.toast.includes("cannot open " + process.env.MISSING)' 30; then
  ok "the studio says: $(status 's.toast')"
else
  bad "no 'cannot open $MISSING' message in the status: $(cat "$STATUS" 2>/dev/null)"
fi
kill -0 $pid 2>/dev/null && ok "the studio is still running" || bad "the studio exited after the bad drop: $(cat "$OUT/studio.log")"
[ "$(status 's.load + "|" + s.input + "|" + s.rows')" = "idle||0" ] &&
  ok "nothing was loaded from the missing path" || bad "a load started from the missing path: $(cat "$STATUS")"
sleep 0.5
import -window root "$OUT/drop_missing.png"  # the message as drawn, for a person to look at

# ---- 3. a path that opens but cannot be read (a directory: as root, a mode-000 file still reads) ----
mkdir -p "$OUT/a folder"
export FOLDER="$OUT/a folder"
"$DROP" --name "$TITLE" --timeout 30 "$FOLDER" >"$OUT/drop_folder.log" 2>&1
rc=$?
cat "$OUT/drop_folder.log"
[ $rc = 0 ] && ok "XDND drop of a folder completed" || bad "xdnd_drop of the folder exited with $rc"
if wait_status 's.load === "failed" && s.load_error.includes(process.env.FOLDER)' 30; then
  ok "the load failed with: $(status 's.load_error'); the studio says: $(status 's.toast')"
else
  bad "no load error for the folder: $(cat "$STATUS" 2>/dev/null)"
fi
kill -0 $pid 2>/dev/null && ok "the studio is still running" || bad "the studio exited after the folder drop: $(cat "$OUT/studio.log")"
[ "$(status 's.rows')" = 0 ] && ok "no rows from the folder" || bad "$(status 's.rows') rows from a folder"

# ---- 4. the dataset: it becomes the input and every row is loaded ----
"$DROP" --name "$TITLE" --timeout 30 "$DATA_ABS" >"$OUT/drop_data.log" 2>&1
rc=$?
cat "$OUT/drop_data.log"
[ $rc = 0 ] && ok "XDND drop of $DATA_ABS completed" || bad "xdnd_drop of the dataset exited with $rc"
export DATA_ABS
if wait_status 's.input === process.env.DATA_ABS && s.load === "done"' 120; then
  ok "the dropped file is the input and its load finished"
else
  bad "the dropped file was not loaded: $(cat "$STATUS" 2>/dev/null)"
fi
cat "$STATUS"
[ "$(status 's.rows')" = "$ROWS" ] && ok "$ROWS rows loaded" || bad "$(status 's.rows') rows loaded, expected $ROWS"
[ "$(status 's.load_error + "|" + s.problems')" = "|0" ] && ok "no load error, no problem rows" ||
  bad "load error or problems: $(status 's.load_error') / $(status 's.problems')"
[ "$(status 's.tab')" = "Data" ] && ok "the Data view is shown" || bad "the view is $(status 's.tab'), not Data"

# ---- 5. the window as drawn: the table of the dropped file ----
sleep 1
import -window root "$OUT/drop.png"
kill $pid 2>/dev/null
wait $pid 2>/dev/null
png_not_blank "$OUT/drop.png"
exit $fail
