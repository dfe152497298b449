#!/usr/bin/env bash
# mnsim journal export: health records are written owner-only (0600),
# whole or not at all, and never over an existing file without --force;
# for CSV every target is checked before any is written.
. "$(dirname "$0")/lib.sh"
umask 022
DB="$TMPD/j.db"
run journal init --db "$DB"; expect_rc 0
run journal add person --db "$DB" --code P001; expect_rc 0
run journal add session --db "$DB" --person P001 --at 2027-01-04T10:00 --needle-length "1 mm" --zones cheek; expect_rc 0
mode() { stat -c %a "$1"; }
# JSON: 0600, refused when the file exists, replaced with --force (0600).
run journal export --db "$DB" -o "$TMPD/e.json"; expect_rc 0
checks=$((checks + 1)); [ "$(mode "$TMPD/e.json")" = 600 ] || fail "JSON export is $(mode "$TMPD/e.json"), not 600"
echo old > "$TMPD/e.json"; chmod 644 "$TMPD/e.json"
run journal export --db "$DB" -o "$TMPD/e.json"; expect_rc 1; expect_err "exports never overwrite without --force"
checks=$((checks + 1)); [ "$(cat "$TMPD/e.json")" = old ] || fail "JSON export overwrote a file"
run journal export --db "$DB" -o "$TMPD/e.json" --force; expect_rc 0
checks=$((checks + 1)); [ "$(mode "$TMPD/e.json")" = 600 ] && grep -q mnsim_journal "$TMPD/e.json" || fail "--force did not replace it owner-only"
# CSV: an existing target refuses the whole export; nothing is written.
mkdir "$TMPD/csv"; echo keep > "$TMPD/csv/session.csv"; chmod 644 "$TMPD/csv/session.csv"
run journal export --db "$DB" --format csv -o "$TMPD/csv"; expect_rc 1
expect_err "session.csv exists; exports never overwrite without --force (nothing was written)"
checks=$((checks + 1)); [ "$(cat "$TMPD/csv/session.csv")" = keep ] || fail "CSV export overwrote session.csv"
checks=$((checks + 1)); [ "$(ls "$TMPD/csv")" = session.csv ] || fail "CSV export wrote files before refusing: $(ls "$TMPD/csv")"
run journal export --db "$DB" --format csv -o "$TMPD/csv" --force; expect_rc 0
checks=$((checks + 1)); grep -q '^1,P001,2027-01-04T10:00' "$TMPD/csv/session.csv" || fail "--force did not replace session.csv"
for k in person consent device session photo followup; do
  checks=$((checks + 1)); [ "$(mode "$TMPD/csv/$k.csv")" = 600 ] || fail "$k.csv is $(mode "$TMPD/csv/$k.csv"), not 600"
done
# Something that is not a regular file is never written, even with --force.
rm "$TMPD/csv/person.csv"; mkfifo "$TMPD/csv/person.csv"
run journal export --db "$DB" --format csv -o "$TMPD/csv" --force; expect_rc 1; expect_err "person.csv is a FIFO: mnsim writes only regular files"
rm "$TMPD/csv/person.csv"
ln -s /dev/null "$TMPD/null.json"
run journal export --db "$DB" -o "$TMPD/null.json" --force; expect_rc 1; expect_err "symbolic link"
# Into a new directory: made owner-only.
run journal export --db "$DB" --format csv -o "$TMPD/new"; expect_rc 0
checks=$((checks + 1)); [ "$(mode "$TMPD/new")" = 700 ] || fail "the new directory is $(mode "$TMPD/new"), not 700"
finish
