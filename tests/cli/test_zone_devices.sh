#!/usr/bin/env bash
# A zone's own device (zone_devices of a protocol): `mnsim check` warns
# that channels may pass the dermis only where a zone's own needle does;
# `mnsim run` rolls, heals and delivers each zone with its device and shows
# it in its summary, results.json, sessions.csv and report.html; YAML
# (examples/face-zones.yaml) and JSON (tests/cli/data/face-zones.json);
# `mnsim plan` gives the zones where its needle would pass the dermis a
# shorter one and keeps it elsewhere.
. "$(dirname "$0")/lib.sh"

ex=examples/face-zones.yaml
json=tests/cli/data/face-zones.json
if [ -n "${MNSIM_WRAP:-}" ]; then
  run run "$json" -o "$TMPD/v" --samples 2 --no-delivery; expect_rc 0
  finish; exit $?
fi

# check: the thin skin around the eyes with its own 1.0 mm needle draws no
# beyond-dermis warning ...
run check "$ex"; expect_rc 0; expect_out "$ex: ok"
checks=$((checks + 1)); ! grep -q "beyond-dermis\|warning" "$ERR" || fail "a warning with the short needle: $(head -1 "$ERR")"
run check "$json"; expect_rc 0; expect_out "$json: ok"
checks=$((checks + 1)); ! grep -q "beyond-dermis" "$ERR" || fail "beyond-dermis with the short needles"
# ... with the protocol's 1.5 mm it does, there and only there, naming it
sed '/^zone_devices:/,/^  periorbital:/d' "$ex" > "$TMPD/no-own.yaml"
run check "$TMPD/no-own.yaml"; expect_rc 0; expect_out "ok (with warnings)"
expect_err "session 1, left-periorbital: channels may pass the dermis at this site"
expect_err "session 1, right-periorbital: channels may pass the dermis"
expect_err "(roller-192-1.5mm: channels 863 um"
checks=$((checks + 1)); [ "$(grep -c 'rule beyond-dermis' "$ERR")" -eq 2 ] || fail "beyond-dermis elsewhere than around the eyes"
# ... and with a long needle of the zone's own, it names that one
sed 's/^  periorbital: roller-192-1.0mm/  periorbital: roller-192-2.0mm/' "$ex" > "$TMPD/long.yaml"
run check --json "$TMPD/long.yaml"; expect_rc 0
expect_json '[f["message"] for f in d["files"][0]["findings"] if "beyond-dermis" in f["message"]] and all("roller-192-2.0mm" in f["message"] and "periorbital" in f["message"] for f in d["files"][0]["findings"] if "beyond-dermis" in f["message"])'
# The intervals follow each zone's needle: 2 weeks break the 1.5 mm rule on
# the cheeks and forehead, not around the eyes with 1.0 mm.
sed 's/interval: "6 weeks"/interval: "2 weeks"/' "$ex" > "$TMPD/close.yaml"
run check "$TMPD/close.yaml"; expect_rc 1
expect_err "session 2, left-cheek, right-cheek, forehead: needles of 1.5 mm and more: at least 4 weeks apart"
checks=$((checks + 1)); ! grep "rule deep-needles;" "$ERR" | grep -q periorbital || fail "the eyes' 1.0 mm judged as 1.5 mm"

# run: each zone with its device, everywhere a device is shown.
run run "$json" -o "$TMPD/j" --samples 2; expect_rc 0
expect_out "forehead           channels   37 um"
expect_out "with its own roller-192-0.5mm"
expect_out "left-periorbital   channels  327 um"; expect_out "with its own roller-192-1.0mm"
expect_out "serum niacinamide at cheek after roller-192-1.5mm"
expect_out "serum niacinamide at forehead after roller-192-0.5mm"
expect_out "serum niacinamide at periorbital after roller-192-1.0mm"
checks=$((checks + 1))
python3 - "$TMPD/j/results.json" <<'PYEOF' || fail "results.json: the zones' devices"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["protocol"]["device"] == "roller-192-1.5mm"
assert d["protocol"]["zone_devices"] == {"periorbital": "roller-192-1.0mm",
                                         "forehead": "roller-192-0.5mm"}, d["protocol"]
want = {"left-cheek": ("roller-192-1.5mm", 1.5), "right-cheek": ("roller-192-1.5mm", 1.5),
        "forehead": ("roller-192-0.5mm", 0.5), "left-periorbital": ("roller-192-1.0mm", 1.0),
        "right-periorbital": ("roller-192-1.0mm", 1.0)}
for s in d["sessions"]:
    assert {z["zone"]: (z["device"], z["needle_length_mm"]) for z in s["zones"]} == want, s
    depth = {z["zone"]: z["depth_um"] for z in s["zones"]}
    assert depth["forehead"] < depth["left-periorbital"] < depth["left-cheek"], depth
assert not any(f["rule"] == "beyond-dermis" for f in d["findings"])
serum = {c["site"]: c["device"] for c in d["delivery"]["cases"] if c["role"] == "serum"}
assert serum == {"cheek": "roller-192-1.5mm", "forehead": "roller-192-0.5mm",
                 "periorbital": "roller-192-1.0mm"}, serum
PYEOF
checks=$((checks + 1))
grep -q '^1,2027-01-04,left-periorbital,periorbital,roller-192-1.0mm,1,' "$TMPD/j/sessions.csv" &&
  grep -q '^2,2027-02-15,forehead,forehead,roller-192-0.5mm,0.5,' "$TMPD/j/sessions.csv" &&
  grep -q '^1,2027-01-04,left-cheek,cheek,roller-192-1.5mm,1.5,' "$TMPD/j/sessions.csv" ||
  fail "sessions.csv: the zones' devices: $(head -4 "$TMPD/j/sessions.csv")"
checks=$((checks + 1))
grep -q '<td>left-periorbital</td><td>periorbital</td><td>roller-192-1.0mm</td><td>1</td><td>327</td>' "$TMPD/j/report.html" &&
  grep -q 'zones with their own device: forehead roller-192-0.5mm (0.5 mm)' "$TMPD/j/report.html" ||
  fail "report.html: the zones' devices"
checks=$((checks + 1)); grep -q 'delivery-3.png' "$TMPD/j/results.json" || fail "no serum case per device"

# plan: only the zones where the plan's 1.5 mm would pass the dermis get
# 1.0 mm (zone_devices); the nose and chin keep it; the file passes check
# without warnings and runs.
run plan --indication laxity --zones full-face --start 2027-01-04 -o "$TMPD/plan.yaml"
expect_rc 0
expect_err "left-periorbital, right-periorbital, left-cheek, right-cheek, upper-lip: the plan's roller-192-1.5mm is replaced by roller-192-1.0mm at these zones only (zone_devices)"
expect_err "the other zones keep it"
expect_out "  device   roller-192-1.5mm"; expect_out "roller-192-1.0mm at forehead, temple, periorbital, cheek, upper-lip"
expect_out "At forehead, temple, periorbital, cheek, upper-lip use the roller-192-1.0mm, not the roller-192-1.5mm."
checks=$((checks + 1)); grep -q '^  "periorbital": "roller-192-1.0mm"$' "$TMPD/plan.yaml" || fail "plan: no zone_devices in the protocol"
run check "$TMPD/plan.yaml"; expect_rc 0; expect_out "$TMPD/plan.yaml: ok"
checks=$((checks + 1)); ! grep -q "warning" "$ERR" || fail "the plan draws a warning: $(head -1 "$ERR")"
run run "$TMPD/plan.yaml" -o "$TMPD/p" --samples 0 --no-delivery --json; expect_rc 0
expect_json 'd["warnings"] == 0 and d["errors"] == 0'
run plan --indication laxity --zones full-face --start 2027-01-04 --json; expect_rc 0
expect_json 'd["device"] == "roller-192-1.5mm" and d["zone_devices"]["cheek"] == "roller-192-1.0mm" and "nose" not in d["zone_devices"]'
finish
