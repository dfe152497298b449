#!/usr/bin/env bash
# Run `mnsim check` on tests/bad/NAME.* and require exit code 1 and the
# first error line in NAME.expect. MNSIM_WRAP (e.g. valgrind) may wrap it.
set -u
mnsim=$1 name=$2
dir=tests/bad
input=$(ls "$dir/$name".* | grep -v '\.expect$' | head -n 1)
expect=$(head -n 1 "$dir/$name.expect")
err=$(mktemp)
trap 'rm -f "$err"' EXIT
${MNSIM_WRAP:-} "$mnsim" check "$input" >/dev/null 2>"$err"
rc=$?
if [ "$rc" -ne 1 ]; then
  echo "FAIL: exit code $rc, expected 1"; cat "$err"; exit 1
fi
if ! grep -qF -- "$expect" "$err"; then
  echo "FAIL: expected: $expect"; echo "got:"; cat "$err"; exit 1
fi
echo "ok: $input -> $expect"
