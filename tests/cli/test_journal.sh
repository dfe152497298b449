#!/usr/bin/env bash
# mnsim journal: the done-when commands and a walk through every subcommand.
. "$(dirname "$0")/lib.sh"
DB="$TMPD/j.db"

run journal init --db "$DB";  expect_rc 0
checks=$((checks + 1)); [ "$(stat -c %a "$DB")" = 600 ] || fail "journal mode is not 0600"
checks=$((checks + 1)); [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
run journal init --db "$DB";  expect_rc 0   # idempotent, nothing lost
run journal add person --db "$DB" --code P001 --sex female --fitzpatrick 5 --birth-year 1990
expect_rc 0; expect_out "added person 1"
run journal add device --db "$DB" --code R1 --catalog-name roller-192-1.5mm --max-uses 2; expect_rc 0
run journal add session --db "$DB" --person P001 --at 2027-01-04T10:00 --needle-length "1.5 mm" --zones cheek,forehead --device R1 --pain 3
expect_rc 0; expect_out "added session 1"
# From a YAML file, validated like every input.
cat > "$TMPD/s.yaml" <<'YAML'
kind: session
person: P001
at: "2027-01-18T10:00"
needle_length: "1.5 mm"
zones: cheek
device: R1
bleeding: pinpoint
YAML
run journal add --file "$TMPD/s.yaml" --db "$DB"; expect_rc 0; expect_out "added session 2"
cat > "$TMPD/bad.yaml" <<'YAML'
kind: session
person: P001
at: "2027-01-19"
needle_lenght: "1.5 mm"
zones: cheek
YAML
run journal add --file "$TMPD/bad.yaml" --db "$DB"; expect_rc 1; expect_err "bad.yaml:4:1: unknown key 'needle_lenght'"
run journal add session --db "$DB" --person P001 --at 2027-01-19 --needle-length 1.5 --zones cheek
expect_rc 1; expect_err "has no unit"
run journal add session --db "$DB" --person P404 --at 2027-01-19 --needle-length "1 mm" --zones cheek
expect_rc 1; expect_err "no person with code 'P404'"
# Zones are names of data/zones.yaml: zones, groups, sites.
run journal add session --db "$DB" --person P001 --at 2027-01-19 --needle-length "1 mm" --zones cheek,chek
expect_rc 1; expect_err "zones: no zone, group or site named 'chek'; known: forehead, left-temple"
run journal add session --db "$DB" --person P001 --at 2027-03-01 --needle-length "1.5 mm" --zones cheek --device R1; expect_rc 0
# List, show, edit.
run journal list --db "$DB";  expect_rc 0; expect_out "session 1:"; expect_out "session 3:"
run journal list session --person P001 --db "$DB" --json; expect_rc 0
expect_json 'len(d["session"]) == 3 and d["session"][0]["person"] == "P001"'
run journal show session 2 --db "$DB"; expect_rc 0; expect_out "bleeding=pinpoint"
run journal edit session 2 --pain 4 --db "$DB"; expect_rc 0
run journal show session 2 --db "$DB" --json; expect_rc 0; expect_json 'd["session"][0]["pain"] == "4"'
run journal edit session 2 --pain 12 --db "$DB"; expect_rc 1; expect_err "outside 0-10"
run journal show session 99 --db "$DB"; expect_rc 1; expect_err "no session with id 99"
# next: too-early session flagged, device past its use count, due dates.
run journal next P001 --db "$DB" --on 2027-03-02; expect_rc 0
expect_out "error: session 2 on cheek"; expect_out "device R1 was used 3 times"; expect_out "forehead"
run journal next P001 --db "$DB" --on 2027-03-02 --json; expect_rc 0
expect_json '[z for z in d["zones"] if z["zone"] == "cheek"][0]["next_due"] == "2027-04-12"'
expect_json 'any(w["severity"] == "error" for w in d["warnings"])'
expect_json '[z for z in d["zones"] if z["zone"] == "forehead"][0]["due_now"]'
expect_json 'len(d["healing"]) == 3 and all("skin_ready" in h for h in d["healing"])'
# One view of readiness: each zone's next session is the later of the rules'
# date and the skin's recovery by the healing model, and says which it is.
expect_json 'all(z["next_due"] == max(z["rules_due"], z.get("skin_recovered", z["rules_due"])) for z in d["zones"])'
expect_json 'all(z["due_by"] == ("healing" if z.get("skin_recovered", "") > z["rules_due"] else "rules") for z in d["zones"])'
expect_json 'all("skin_recovered" in z for z in d["zones"])'
# Export, import into an empty journal, export again: identical.
run journal export --db "$DB" -o "$TMPD/e1.json"; expect_rc 0
run journal export --db "$DB" -o "$TMPD/e1.json"; expect_rc 1; expect_err "never overwrite"
run journal init --db "$TMPD/j2.db"; expect_rc 0
run journal import "$TMPD/e1.json" --db "$TMPD/j2.db"; expect_rc 0
run journal import "$TMPD/e1.json" --db "$TMPD/j2.db"; expect_rc 1; expect_err "empty journal only"
run journal export --db "$TMPD/j2.db" -o "$TMPD/e2.json"; expect_rc 0
checks=$((checks + 1)); cmp -s "$TMPD/e1.json" "$TMPD/e2.json" || fail "export/import/export differs"
run journal export --db "$DB" --format csv -o "$TMPD/csv"; expect_rc 0
checks=$((checks + 1)); grep -q '^1,P001,2027-01-04T10:00' "$TMPD/csv/session.csv" || fail "CSV sessions"
run journal backup "$TMPD/b.db" --db "$DB"; expect_rc 0
checks=$((checks + 1)); [ "$(sqlite3 "$TMPD/b.db" 'SELECT count(*) FROM session')" = 3 ] || fail "backup content"
run journal backup "$TMPD/b.db" --db "$DB"; expect_rc 1
run journal check --db "$DB"; expect_rc 0; expect_out "journal ok"
# The recorded sessions through the course simulation, same report as run.
run journal course P001 --db "$DB" -o "$TMPD/course" --format acne-scars; expect_rc 0; expect_out "3 recorded sessions simulated"
checks=$((checks + 1)); [ -s "$TMPD/course/report.html" ] || fail "no report.html"
checks=$((checks + 1)); grep -q "How far these numbers are supported" "$TMPD/course/report.html" && grep -q "kalluri2011-depth-770um" "$TMPD/course/report.html" || fail "journal course: report.html without the published record"
checks=$((checks + 1))
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["sessions"]) == 3 and d["sessions"][1]["date"] == "2027-01-18"' "$TMPD/course/results.json" || fail "course results"
run journal course P001 --db "$DB" -o "$TMPD/course"; expect_rc 1; expect_err "--force"
run journal course P001 --db "$DB";       expect_rc 2
# One visit with two needles, recorded as two sessions of one day (each
# with its zones and needle length): each zone keeps its own needle in the
# course, in its results and in its safety check.
run journal add person --db "$DB" --code P002 --sex female --fitzpatrick 2 --birth-year 1975; expect_rc 0
run journal add session --db "$DB" --person P002 --at 2027-05-03T10:00 --needle-length "1.0 mm" --zones cheek,forehead; expect_rc 0
run journal add session --db "$DB" --person P002 --at 2027-05-03T10:30 --needle-length "0.5 mm" --zones periorbital; expect_rc 0
run journal course P002 --db "$DB" -o "$TMPD/visit" --format laxity; expect_rc 0
expect_out "2 recorded sessions simulated"
checks=$((checks + 1))
python3 - "$TMPD/visit/results.json" <<'PYEOF' || fail "journal course: each zone's needle"
import json, sys
d = json.load(open(sys.argv[1]))
dev = {z["zone"]: z["needle_length_mm"] for s in d["sessions"] for z in s["zones"]}
assert dev == {"left-cheek": 1.0, "right-cheek": 1.0, "forehead": 1.0,
               "left-periorbital": 0.5, "right-periorbital": 0.5}, dev
assert not any(f["rule"] in ("beyond-dermis", "medium-needles", "half-millimetre-weekly")
               for f in d["findings"]), d["findings"]
PYEOF
# Delete asks unless --yes; a person with sessions needs --cascade.
run journal delete session 3 --db "$DB" < /dev/null; expect_rc 1; expect_err "--yes"
run journal delete session 3 --db "$DB" --yes; expect_rc 0
run journal delete person 1 --db "$DB" --yes; expect_rc 1; expect_err "--cascade"
run journal delete person 1 --db "$DB" --yes --cascade; expect_rc 0
# Foreign and missing files are refused and never changed.
printf 'my notes\n' > "$TMPD/notes.txt"
run journal list --db "$TMPD/notes.txt"; expect_rc 1; expect_err "not an mnsim journal"
checks=$((checks + 1)); [ "$(cat "$TMPD/notes.txt")" = "my notes" ] || fail "foreign file changed"
run journal list --db "$TMPD/none.db"; expect_rc 1; expect_err "journal init"
# Usage errors.
run journal;                              expect_rc 2
run journal frob --db "$DB";              expect_rc 2
run journal add --db "$DB";               expect_rc 2
run journal list widgets --db "$DB";      expect_rc 2
run journal next --db "$DB";              expect_rc 2
finish
