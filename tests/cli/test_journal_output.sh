#!/usr/bin/env bash
# mnsim journal: stored text cannot drive the terminal (control characters
# escaped in text output, valid JSON whatever is stored), and --json gives
# one JSON document on stdout for every subcommand.
. "$(dirname "$0")/lib.sh"
DB="$TMPD/j.db"
run journal init --db "$DB" --json; expect_rc 0
expect_json 'd["journal"].endswith("j.db") and d["schema_version"] == 1'
run journal add person --db "$DB" --code P001 --json --notes $'red \x1b[31mtext\x1b[0m bell\x07 csi\xc2\x9b2J tab\tline\nend'
expect_rc 0; expect_json 'd == {"added": "person", "id": 1}'
# Text: no raw control character, each one shown as an escape.
run journal list person --db "$DB"; expect_rc 0
checks=$((checks + 1)); ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$OUT" || fail "raw control characters in text output"
checks=$((checks + 1)); ! grep -q $'\xc2\x9b' "$OUT" || fail "raw C1 control in text output"
expect_out 'notes=red \x1b[31mtext\x1b[0m bell\x07 csi\u009b2J tab\tline\nend'
checks=$((checks + 1)); [ "$(wc -l <"$OUT")" -eq 1 ] || fail "a stored newline broke the line"
run journal show person 1 --db "$DB"; expect_rc 0; expect_out 'bell\x07'
# JSON: escaped per JSON, the text as stored.
run journal list person --db "$DB" --json; expect_rc 0
expect_json 'd["person"][0]["notes"] == "red \x1b[31mtext\x1b[0m bell\x07 csi\x9b2J tab\tline\nend"'
# Text that is not UTF-8 is refused; stored behind mnsim's back, it is shown
# escaped and JSON stays valid (U+FFFD).
run journal add person --db "$DB" --code P002 --notes $'bad\xff'; expect_rc 1; expect_err "notes: not UTF-8 text (byte 0xFF at 4)"
sqlite3 "$DB" "UPDATE person SET name = CAST(X'626164FF1B' AS TEXT) WHERE id = 1"
run journal list person --db "$DB"; expect_rc 0; expect_out 'name=bad\xff\x1b '
run journal list person --db "$DB" --json; expect_rc 0
expect_json 'd["person"][0]["name"] == "bad\ufffd\x1b"'
run journal export --db "$DB"; expect_rc 0; expect_json 'd["person"][0]["name"] == "bad\ufffd\x1b"'
sqlite3 "$DB" "UPDATE person SET name = NULL WHERE id = 1"

# --json on every subcommand: one JSON document on stdout.
run journal add device --db "$DB" --code R1 --catalog-name roller-192-1.5mm --json; expect_rc 0
expect_json 'd == {"added": "device", "id": 1}'
run journal add session --db "$DB" --person P001 --at 2027-01-04T10:00 --needle-length "1.5 mm" --zones cheek --device R1 --json
expect_rc 0; expect_json 'd == {"added": "session", "id": 1}'
run journal list --db "$DB" --json;              expect_rc 0; expect_json 'len(d["session"]) == 1'
run journal show session 1 --db "$DB" --json;    expect_rc 0; expect_json 'd["session"][0]["zones"] == "cheek"'
run journal edit session 1 --pain 2 --db "$DB" --json; expect_rc 0; expect_json 'd == {"changed": "session", "id": 1}'
run journal next P001 --on 2027-03-01 --db "$DB" --json; expect_rc 0; expect_json 'd["person"] == "P001"'
run journal export --db "$DB" --json;            expect_rc 0; expect_json 'd["mnsim_journal"] == 1'
run journal export --db "$DB" -o "$TMPD/e.json" --json; expect_rc 0
expect_json 'd == {"exported": "json", "file": "'"$TMPD"'/e.json"}'
run journal export --db "$DB" --format csv -o "$TMPD/csv" --json; expect_rc 0
expect_json 'd["exported"] == "csv" and len(d["files"]) == 6 and d["files"][3].endswith("/session.csv")'
run journal backup "$TMPD/b.db" --db "$DB" --json; expect_rc 0; expect_json 'd["backup"].endswith("/b.db")'
run journal check --db "$DB" --json;             expect_rc 0; expect_json 'd["ok"] is True'
run journal course P001 -o "$TMPD/course" --db "$DB" --json; expect_rc 0
expect_json 'd["sessions"] == 1 and d["report"].endswith("/course/report.html")'
run journal init --db "$TMPD/j2.db";             expect_rc 0
run journal import "$TMPD/e.json" --db "$TMPD/j2.db" --json; expect_rc 0
expect_json 'd["imported"].endswith("/e.json") and d["journal"].endswith("/j2.db")'
run journal delete session 1 --yes --db "$DB" --json; expect_rc 0; expect_json 'd == {"deleted": "session", "id": 1}'
# A failed check says so in JSON too (and on stderr, exit 1): the backup
# with its person table's page type overwritten.
page=$(sqlite3 "$TMPD/b.db" "SELECT rootpage FROM sqlite_master WHERE name = 'person'")
size=$(sqlite3 "$TMPD/b.db" "PRAGMA page_size")
printf '\377' | dd of="$TMPD/b.db" bs=1 seek=$(((page - 1) * size)) conv=notrunc 2>/dev/null
run journal check --db "$TMPD/b.db" --json; expect_rc 1
expect_json 'd["ok"] is False and "integrity check failed" in d["problem"]'; expect_err "integrity check failed"
finish
