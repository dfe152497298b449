#!/usr/bin/env bash
# Run `mnsim check` on tests/bad/NAME.* and require exit code 1 and the
# first error line in NAME.expect. A journal export (NAME journal-import-*)
# is imported into a new journal instead (`mnsim journal import`), with the
# same requirement. MNSIM_WRAP (e.g. valgrind) may wrap it.
set -u
mnsim=$1 name=$2
dir=tests/bad
input=$(ls "$dir/$name".* | grep -v '\.expect$' | head -n 1)
expect=$(head -n 1 "$dir/$name.expect")
err=$(mktemp) tmpd=$(mktemp -d)
trap 'rm -rf "$err" "$tmpd"' EXIT
case $name in
  journal-import-*)
    "$mnsim" journal init --db "$tmpd/j.db" >/dev/null || { echo "FAIL: journal init"; exit 1; }
    ${MNSIM_WRAP:-} "$mnsim" journal import "$input" --db "$tmpd/j.db" >/dev/null 2>"$err"
    rc=$?
    # Nothing of a refused import is kept.
    if [ "$rc" -eq 1 ] && [ "$(sqlite3 "$tmpd/j.db" 'SELECT count(*) FROM person')" != 0 ]; then
      echo "FAIL: a refused import left records"; exit 1
    fi ;;
  *)
    ${MNSIM_WRAP:-} "$mnsim" check "$input" >/dev/null 2>"$err"
    rc=$? ;;
esac
if [ "$rc" -ne 1 ]; then
  echo "FAIL: exit code $rc, expected 1"; cat "$err"; exit 1
fi
if ! grep -qF -- "$expect" "$err"; then
  echo "FAIL: expected: $expect"; echo "got:"; cat "$err"; exit 1
fi
echo "ok: $input -> $expect"
