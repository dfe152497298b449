#!/usr/bin/env bash
# The fuzz targets' check that the library prints nothing and never exits
# (fuzz.c) must fail a run that does: fuzz_selftest prints or exits between
# fuzz_quiet_begin and fuzz_quiet_end.
set -u
bin=$1 fails=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
check() { # mode, expected rc (0 or "fail"), text expected on stderr
  "$bin" "$1" >/dev/null 2>"$err"
  rc=$?
  if [ "$2" = 0 ] && [ $rc -ne 0 ]; then echo "FAIL: $1 exited $rc"; cat "$err"; fails=$((fails + 1)); fi
  if [ "$2" = fail ] && [ $rc -eq 0 ]; then echo "FAIL: $1 was not caught"; fails=$((fails + 1)); fi
  if [ -n "$3" ] && ! grep -qF -- "$3" "$err"; then echo "FAIL: $1: stderr lacks '$3'"; cat "$err"; fails=$((fails + 1)); fi
}
check quiet 0 ""
check print fail "fuzz: the library printed"
check print fail "a diagnostic the library should have collected"
check printout fail "a line on stdout"
check exit fail "fuzz: the library called exit()"
echo "fuzz selftest: $fails failed"
[ $fails -eq 0 ]
