#!/usr/bin/env bash
# mnsim journal: a journal that fails PRAGMA quick_check is never written
# to: every change is refused with an error naming the file, and the file
# stays as it was.
. "$(dirname "$0")/lib.sh"
DB="$TMPD/j.db" BAD="$TMPD/damaged.db"
run journal init --db "$DB"; expect_rc 0
run journal add person --db "$DB" --code P001; expect_rc 0
for i in $(seq 30); do
  run journal add device --db "$DB" --code "D$i" --catalog-name roller-192-1.5mm \
    --notes "device $i, a note long enough to fill the table's page"
done
expect_rc 0
# A copy with 64 bytes in the middle of the device table's page overwritten
# (the last close folded the WAL into the file).
cp "$DB" "$BAD"
page=$(sqlite3 "$BAD" "SELECT rootpage FROM sqlite_master WHERE name = 'device'")
size=$(sqlite3 "$BAD" "PRAGMA page_size")
head -c 64 /dev/zero | tr '\0' '\377' |
  dd of="$BAD" bs=1 seek=$(((page - 1) * size + size / 2)) conv=notrunc 2>/dev/null
LAST="the damaged copy"
checks=$((checks + 1)); [ "$(sqlite3 "$BAD" 'PRAGMA quick_check' 2>&1)" != ok ] || fail "the copy is not damaged"
cp "$BAD" "$TMPD/before.db"
run journal add person --db "$BAD" --code P002
expect_rc 1; expect_err "$BAD is damaged (quick_check:"; expect_err "nothing was written"
run journal edit person 1 --db "$BAD" --notes changed;  expect_rc 1; expect_err "is damaged"
run journal delete person 1 --db "$BAD" --yes;          expect_rc 1; expect_err "is damaged"
run journal export --db "$DB" -o "$TMPD/e.json";        expect_rc 0
run journal import "$TMPD/e.json" --db "$BAD";          expect_rc 1; expect_err "is damaged"
run journal check --db "$BAD";                          expect_rc 1
checks=$((checks + 1)); cmp -s "$BAD" "$TMPD/before.db" || fail "the damaged journal was changed"
# The sound journal takes the same change.
run journal add person --db "$DB" --code P002; expect_rc 0
finish
