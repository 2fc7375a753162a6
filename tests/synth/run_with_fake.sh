#!/usr/bin/env bash
# Starts tests/synth/fake_provider.py on a free port of 127.0.0.1, runs a test binary with
# WINNOW_FAKE_PROVIDER=http://127.0.0.1:PORT, stops the fake (by its PID) and returns the test's code.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(mktemp)"
/usr/bin/python3 "$HERE/fake_provider.py" 0 > "$OUT" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -f "$OUT"' EXIT
for _ in $(seq 1 100); do grep -q '^PORT ' "$OUT" && break; sleep 0.1; done
PORT="$(sed -n 's/^PORT //p' "$OUT")"
if [ -z "$PORT" ]; then echo "the fake provider did not start"; exit 1; fi
WINNOW_FAKE_PROVIDER="http://127.0.0.1:$PORT" "$@"
