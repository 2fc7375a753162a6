#!/usr/bin/env bash
# Command (2) of the README: set up, build native and wasm, and run every test suite:
#   native unit + golden + CLI tests, the same core suites compiled to wasm under Node (and the
#   native/wasm byte-identity checks), libFuzzer smoke runs of every reader, and the browser /
#   desktop end-to-end tests. Ends with one line "summary: N passed, M failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc)}"
export NODE_PATH=/usr/share/nodejs
log() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }
PASSED=0
FAILED=0
FAILED_SUITES=()

# run_ctest NAME DIR [ctest args...]: runs ctest, adds its counts to the totals.
run_ctest() {
  local name="$1" dir="$2"
  shift 2
  log "running $name tests ($dir)"
  local out
  out="$(mktemp)"
  ctest --test-dir "$dir" --output-on-failure -j"$JOBS" "$@" 2>&1 | tee "$out"
  local line total failed
  line="$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$out" | tail -1)"
  if [ -z "$line" ]; then
    if grep -q "No tests were found" "$out"; then
      log "$name: no tests found"
      FAILED=$((FAILED + 1))
      FAILED_SUITES+=("$name (no tests found)")
    else
      FAILED=$((FAILED + 1))
      FAILED_SUITES+=("$name (ctest did not finish)")
    fi
  else
    total="$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')"
    failed="$(echo "$line" | sed -E 's/.*tests passed, ([0-9]+) tests failed.*/\1/')"
    PASSED=$((PASSED + total - failed))
    FAILED=$((FAILED + failed))
    [ "$failed" != 0 ] && FAILED_SUITES+=("$name")
  fi
  rm -f "$out"
}

step() {  # step NAME command...: a build step; failure counts as a failed suite
  local name="$1"
  shift
  log "$name"
  if ! "$@"; then
    FAILED=$((FAILED + 1))
    FAILED_SUITES+=("$name")
    return 1
  fi
}

step "setup" bash scripts/setup.sh || { echo "summary: 0 passed, 1 failed"; exit 1; }

# ---- native ----------------------------------------------------------------------------------
if step "configure native" cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=ON >/dev/null &&
   step "build native" cmake --build build/native -j"$JOBS"; then
  run_ctest native build/native
fi

# ---- wasm ------------------------------------------------------------------------------------
if step "configure wasm" emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null &&
   step "build wasm" cmake --build build/wasm -j"$JOBS"; then
  # The threaded web studio (every object compiled with -pthread, so a tree of its own) joins the
  # same dist/: the isolated-page e2e then runs it, the --isolation off one the single-threaded build.
  if step "configure wasm (threaded studio)" emcmake cmake -S . -B build/wasm-mt -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DWINNOW_WASM_THREADS=ON -DWINNOW_BUILD_TESTS=OFF -DWINNOW_DIST_DIR="$ROOT/dist" \
        -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null; then
    step "build wasm (threaded studio)" cmake --build build/wasm-mt --target studio_dist_mt -j"$JOBS"
  fi
  run_ctest wasm build/wasm
fi

# ---- fuzz smoke runs (clang + libFuzzer) -----------------------------------------------------
if step "configure fuzz" env CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DWINNOW_BUILD_FUZZ=ON -DWINNOW_BUILD_STUDIO=OFF -DWINNOW_FUZZ_ONLY=ON >/dev/null &&
   step "build fuzz" cmake --build build/fuzz -j"$JOBS"; then
  run_ctest fuzz build/fuzz -L fuzz
fi

echo
if [ ${#FAILED_SUITES[@]} -gt 0 ]; then
  log "failed: ${FAILED_SUITES[*]}"
fi
echo "summary: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
