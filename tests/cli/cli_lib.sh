# Shared preamble of the CLI test scripts (sourced): ROOT, the command under test W (the script's
# arguments), a scratch folder T removed on exit, and check / finish for TAP-like output.
#   check DESCRIPTION CONDITION...   runs CONDITION, prints "ok N - ..." or "not ok N - ..."
#   finish                           prints the totals; exits 1 when a check failed
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
W=("$@")
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fails=0
n=0
check() {
  local d="$1"
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fails=$((fails + 1)); fi
}
finish() {
  echo "# $n checks, $((n - fails)) passed, $fails failed"
  exit $((fails > 0))
}
