# Shared by the desktop e2e scripts (desktop_xvfb.sh, desktop_models_xvfb.sh, desktop_drop_xvfb.sh): the skip check for
# Xvfb / ImageMagick, one studio session inside a virtual X server ending in a screenshot, the
# ok / bad reporters, and the byte-for-byte comparison of the studio's exports with the CLI's.
# Source it; the caller sets -u but not -e (a failed check must not stop the script).

XVFB_LIB="${BASH_SOURCE[0]}"
fail=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fail=1; }

# png_not_blank PNG: ok when the screenshot exists and is drawn (more than 40 colours, none
# covering 97 % of it: png_stats.js), with its figures; bad otherwise.
png_not_blank() {
  local png="$1" name
  name="$(basename "$1")"
  if [ ! -f "$png" ]; then
    bad "no screenshot $name was taken"
    return
  fi
  node -e '
    const s = require(process.argv[1]).stats(require("fs").readFileSync(process.argv[2]));
    console.log(JSON.stringify(s));
    process.exit(s.colors > 40 && s.dominant < 0.97 ? 0 : 1);' "$(dirname "$XVFB_LIB")/png_stats.js" "$png" \
    && ok "$name is not blank ($png)" || bad "$name looks blank ($png)"
}

# Exits 77 (skipped, with the reason) when the X server or the screenshot tool is missing.
xvfb_require() {
  command -v xvfb-run >/dev/null && command -v import >/dev/null ||
    { echo "SKIP: xvfb-run / imagemagick are not installed (apt-get install xvfb imagemagick)"; exit 77; }
}

# studio_shot DIR PNG READY -- STUDIO ARGS...: in a fresh 1400x860 X server, starts STUDIO ARGS in
# DIR, waits until the shell condition READY holds (evaluated in the caller's directory, not DIR: use
# absolute paths; no time limit, the studio's status file is the signal) or the studio exits,
# screenshots the screen to PNG, then ends the studio by its PID.
studio_shot() {
  local dir="$1" png="$2" ready="$3"
  shift 4  # the three arguments and the "--"
  xvfb-run -a -s "-screen 0 1400x860x24" bash -c 'source "$1"; shift; _studio_shot_in_x "$@"' _ "$XVFB_LIB" \
    "$dir" "$png" "$ready" "$@"
}
_studio_shot_in_x() {
  local dir="$1" png="$2" ready="$3"
  shift 3
  (cd "$dir" && exec "$@") &
  local pid=$!
  until eval "$ready" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.2; done
  sleep 1
  import -window root "$png"
  kill $pid 2>/dev/null
  wait $pid 2>/dev/null
  return 0
}

# same_outputs STUDIO_DIR CLI_DIR: the same file names in both, each byte-identical.
same_outputs() {
  local a b f
  a="$(cd "$1" 2>/dev/null && ls | sort | tr '\n' ' ')"
  b="$(cd "$2" && ls | sort | tr '\n' ' ')"
  [ -n "$a" ] && [ "$a" = "$b" ] && ok "same outputs: $a" || bad "outputs differ: studio [$a] cli [$b]"
  for f in $b; do
    cmp -s "$1/$f" "$2/$f" && ok "$f is byte-identical" || bad "$f differs between the desktop studio and the CLI"
  done
}
