#!/usr/bin/env bash
# Protocols: every example passes check without errors except the seed's own
# instructions, which must be refused for their frequency; plan writes a
# protocol that passes check and a calendar a standard parser reads.
. "$(dirname "$0")/lib.sh"

for f in examples/*.yaml; do
  case "$f" in
    examples/seed-protocol.yaml) continue ;;
  esac
  run check "$f"; expect_rc 0; expect_out "$f: ok"
done
run check examples/seed-protocol.yaml; expect_rc 1
expect_err "error: examples/seed-protocol.yaml: session 2"
expect_err "at least 4 weeks apart"; expect_err "rule deep-needles"; expect_err "home-no-dermal-needles"
run check --json examples/seed-protocol.yaml; expect_rc 1
expect_json 'd["errors"] >= 2 and any("deep-needles" in x["message"] for x in d["files"][0]["findings"])'
# Every finding whole, up to its source's closing bracket (some pass 500
# bytes: none is cut, and none mid-word).
expect_json 'all(x["message"].endswith("]") for x in d["files"][0]["findings"])'

# Contraindications from the person.
sed -e 's/conditions: \[\]/conditions: [herpes, dragon-scales]/' -e 's/medications: \[\]/medications: [isotretinoin]/' \
  examples/acne-scars.yaml > "$TMPD/contra.yaml"
run check "$TMPD/contra.yaml"; expect_rc 1
expect_err "rule herpes"; expect_err "rule isotretinoin"; expect_err "condition 'dragon-scales'"
# Unknown zone and device are errors with the names known.
sed -e 's/zones: \[cheeks\]/zones: [elbows]/' examples/acne-scars.yaml > "$TMPD/zone.yaml"
run check "$TMPD/zone.yaml"; expect_rc 1; expect_err "elbows"
sed -e 's/device: roller-192-1.5mm/device: roller-999/' examples/acne-scars.yaml > "$TMPD/dev.yaml"
run check "$TMPD/dev.yaml"; expect_rc 1; expect_err "no device named 'roller-999'"
# Schema errors keep file:line:column.
sed -e 's/interval: "4 weeks"/interval: "4"/' examples/acne-scars.yaml > "$TMPD/unit.yaml"
run check "$TMPD/unit.yaml"; expect_rc 1; expect_err "unit.yaml:34:14: sessions.interval: '4' has no unit"

# plan -> protocol + calendar.
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --ics "$TMPD/plan.ics" -o "$TMPD/plan.yaml"
expect_rc 0; expect_out "2027-01-04 2027-02-01 2027-03-01"; expect_out "Numb: apply 4% lidocaine"
run check "$TMPD/plan.yaml"; expect_rc 0
checks=$((checks + 1))
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
"$PY" - "$TMPD/plan.ics" <<'PYEOF' || fail "iCalendar parse"
import sys, icalendar, datetime
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = list(cal.walk("VEVENT"))
assert len(ev) == 3, len(ev)
assert ev[0]["DTSTART"].dt == datetime.date(2027, 1, 4)
assert ev[2]["DTSTART"].dt == datetime.date(2027, 3, 1)
assert "lidocaine" in str(ev[0]["DESCRIPTION"]) and len({str(e["UID"]) for e in ev}) == 3
PYEOF
checks=$((checks + 1)); grep -q $'\r$' "$TMPD/plan.ics" || fail "ICS lines must end in CRLF"
checks=$((checks + 1)); awk '{ if (length($0) > 76) exit 1 }' "$TMPD/plan.ics" || fail "ICS line longer than 75 octets"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --ics "$TMPD/plan.ics"; expect_rc 1; expect_err "--force"
run plan --indication hair-loss --zones scalp --start 2027-01-04 --json; expect_rc 0
expect_json 'len(d["sessions"]) == 12 and d["interval_days"] == 7 and "Dhurat" in d["source"]'
run plan --indication fine-lines --zones forehead --start 2027-01-04 --setting home; expect_rc 0; expect_out "roller-192-0.25mm"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --setting home; expect_rc 1; expect_err "no home plan"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --device roller-192-3.0mm; expect_rc 0; expect_err "clinic-longest"
run plan --indication wrinkles --zones cheeks --start 2027-01-04; expect_rc 2
run plan --indication acne-scars --zones cheeks --start 2027-02-30; expect_rc 2; expect_err "28 days"
run plan --indication acne-scars --start 2027-01-04; expect_rc 2
finish
