#!/usr/bin/env bash
# Installs everything Winnow needs on Debian 12, idempotently (quick the second time):
#   - Debian packages (compilers, emscripten, libraries, chromium, xvfb, python3 oracles);
#   - a deb-src entry derived from the machine's own Debian sources, and the *source* packages the
#     wasm build compiles (re2, simdjson, imgui, cld2), unpacked into build/third_party/ (ignored);
#   - npm packages (playwright-core, tokenizer data, onnxruntime, word lists) into node_modules/ (ignored).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TP="$ROOT/build/third_party"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

APT_PKGS=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev
  emscripten
  libsimdjson-dev nlohmann-json3-dev libre2-dev libxxhash-dev libcld2-dev libcli11-dev
  libimgui-dev libglfw3-dev libgl-dev libx11-dev zlib1g-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  fonts-dejavu-core fonts-droid-fallback unicode-data dpkg-dev
  chromium xvfb xauth imagemagick
  python3 python3-pandas python3-jinja2 jq
  python3-torch python3-onnx python3-numpy
)

# ---- 1. Debian packages ---------------------------------------------------------------------
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null; then missing+=(nodejs); fi
if ! command -v npm >/dev/null; then missing+=(npm); fi
APT_UPDATED=0
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  APT_UPDATED=1
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages: all present"
fi

# ---- 2. deb-src entry and source packages for the wasm build ---------------------------------
SRC_PKGS=(re2 simdjson imgui cld2)
need_src=0
for p in "${SRC_PKGS[@]}"; do [ -f "$TP/src/$p/.winnow-ok" ] || need_src=1; done
if [ $need_src = 1 ]; then
  if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding a deb-src entry derived from the existing Debian sources"
    tmp="$(mktemp)"
    # deb822 files: copy each stanza with Types: deb-src.
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      sed -e 's/^Types:.*/Types: deb-src/' "$f" >> "$tmp"
      echo >> "$tmp"
    done
    if [ -s "$tmp" ]; then
      $SUDO cp "$tmp" /etc/apt/sources.list.d/winnow-src.sources
    fi
    # one-line format: turn "deb " lines into "deb-src " lines.
    if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
      grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$tmp"
      $SUDO cp "$tmp" /etc/apt/sources.list.d/winnow-src.list
    fi
    rm -f "$tmp"
    APT_UPDATED=0
  fi
  if [ $APT_UPDATED = 0 ]; then $SUDO apt-get update -q; fi
  mkdir -p "$TP/dl" "$TP/src"
  for p in "${SRC_PKGS[@]}"; do
    [ -f "$TP/src/$p/.winnow-ok" ] && continue
    log "fetching Debian source package $p"
    rm -rf "$TP/dl/$p" "$TP/src/$p"
    mkdir -p "$TP/dl/$p"
    if (cd "$TP/dl/$p" && apt-get source --download-only -q "$p" >"$TP/dl/$p.log" 2>&1); then
      (cd "$TP/dl/$p" && dpkg-source --no-check -x ./*.dsc "$TP/src/$p" >/dev/null)
    else
      # Some mirrors miss a package's small debian.tar.xz while serving its upstream tarball;
      # the upstream sources are all the wasm build compiles, so unpack those.
      orig="$(ls "$TP/dl/$p"/*.orig.tar.* 2>/dev/null | head -1)"
      if [ -z "$orig" ]; then
        log "apt-get source $p failed:"; cat "$TP/dl/$p.log" >&2; exit 1
      fi
      log "  (Debian packaging of $p unavailable; unpacking its upstream tarball)"
      mkdir -p "$TP/src/$p"
      tar -xf "$orig" -C "$TP/src/$p" --strip-components=1
    fi
    if [ "$p" = re2 ]; then
      # The Debian tarball lacks three generated tables; regenerate them.
      (cd "$TP/src/re2" &&
        perl re2/make_perl_groups.pl > re2/perl_groups.cc &&
        /usr/bin/python3 re2/make_unicode_casefold.py > re2/unicode_casefold.cc &&
        /usr/bin/python3 re2/make_unicode_groups.py > re2/unicode_groups.cc)
    fi
    touch "$TP/src/$p/.winnow-ok"
  done
else
  log "source packages for the wasm build: all present"
fi

# ---- 3. npm packages ---------------------------------------------------------------------------
stamp="$ROOT/node_modules/.winnow-stamp"
if [ ! -f "$stamp" ] || [ "$ROOT/package.json" -nt "$stamp" ]; then
  log "installing npm packages into node_modules/"
  (cd "$ROOT" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error)
  touch "$stamp"
else
  log "npm packages: present"
fi
log "done"
