#!/usr/bin/env bash
# Run `mnsim check` on tests/bad/NAME.* and require exit code 1 and the
# first error line in NAME.expect. A journal export (NAME journal-import-*)
# is imported into a new journal instead (`mnsim journal import`), with the
# same requirement. MNSIM_WRAP (e.g. valgrind) may wrap it.
# A file too large to keep (the input limits) is made by NAME.gen, a Python
# script that prints it; its .expect holds the error without the file name,
# and the check must take less than a second (unless wrapped).
set -u
mnsim=$1 name=$2
dir=tests/bad
expect=$(head -n 1 "$dir/$name.expect")
err=$(mktemp) tmpd=$(mktemp -d)
trap 'rm -rf "$err" "$tmpd"' EXIT
if [ -f "$dir/$name.gen" ]; then
  input=$tmpd/$name.yaml
  python3 "$dir/$name.gen" >"$input" || { echo "FAIL: $name.gen"; exit 1; }
else
  input=$(ls "$dir/$name".* | grep -v '\.expect$' | head -n 1)
fi
start=$(date +%s%N)
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
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ -f "$dir/$name.gen" ] && [ -z "${MNSIM_WRAP:-}" ] && [ "$ms" -ge 1000 ]; then
  echo "FAIL: took $ms ms, more than 1 s"; head -n 3 "$err"; exit 1
fi
if [ "$rc" -ne 1 ]; then
  echo "FAIL: exit code $rc, expected 1"; cat "$err"; exit 1
fi
if ! grep -qF -- "$expect" "$err"; then
  echo "FAIL: expected: $expect"; echo "got:"; cat "$err"; exit 1
fi
echo "ok: $input -> $expect"
