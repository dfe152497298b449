# Helpers for CLI tests. Source it; call `run ARGS...` then the expect_*
# functions; end with `finish`. MNSIM_WRAP (e.g. valgrind) wraps the command.
set -u
MNSIM=${1:?path to mnsim}
fails=0
checks=0
OUT=$(mktemp) ERR=$(mktemp) TMPD=$(mktemp -d)
trap 'rm -rf "$OUT" "$ERR" "$TMPD"' EXIT
run() {
  ${MNSIM_WRAP:-} "$MNSIM" "$@" >"$OUT" 2>"$ERR"
  RC=$?
  LAST="mnsim $*"
}
fail() { fails=$((fails + 1)); echo "FAIL [$LAST]: $*"; echo "--- stdout"; head -c 2000 "$OUT"; echo "--- stderr"; head -c 2000 "$ERR"; }
expect_rc() { checks=$((checks + 1)); [ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"; }
expect_out() { checks=$((checks + 1)); grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_err() { checks=$((checks + 1)); grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
expect_no_out() { checks=$((checks + 1)); ! grep -qF -- "$1" "$OUT" || fail "stdout has: $1"; }
expect_json() {  # a jq-free check: python validates the JSON and evaluates an expression on it
  checks=$((checks + 1))
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$OUT" "$1" \
    || fail "JSON check failed: $1"
}
finish() { echo "$checks checks, $fails failed"; [ "$fails" -eq 0 ]; }
