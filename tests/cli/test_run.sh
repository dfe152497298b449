#!/usr/bin/env bash
# mnsim run: the main job, end to end on every example; results.json against
# docs/results.md; report.html self-contained; reproducible; no overwrite.
. "$(dirname "$0")/lib.sh"

validate() {  # results.json against docs/results.md
  checks=$((checks + 1))
  python3 - "$1" <<'PYEOF' || fail "results.json does not match docs/results.md: $1"
import json, sys
d = json.load(open(sys.argv[1]))
def need(o, keys, where, nullable=()):
    # A number must be a number: null only where docs/results.md allows it.
    for k, t in keys.items():
        assert k in o, f"{where}: missing {k}"
        if o[k] is None and k in nullable:
            continue
        v = o[k]
        ok = isinstance(v, bool) if t is bool else isinstance(v, t) and not isinstance(v, bool)
        assert ok, f"{where}.{k}: {'null' if v is None else type(v).__name__}"
num = (int, float)
need(d, {"mnsim_results": int, "mnsim_version": str, "seed": int, "samples": int,
         "protocol": dict, "errors": int, "warnings": int, "findings": list,
         "sessions": list, "healing": list, "files": list, "note": str}, "root")
assert d["mnsim_results"] == 1
need(d["protocol"], {"file": str, "indication": str, "setting": str, "device": str,
                     "pattern": str, "passes_per_direction": int, "pressure": str,
                     "person": dict}, "protocol")
if "zone_devices" in d["protocol"]:
    assert all(isinstance(v, str) for v in d["protocol"]["zone_devices"].values())
for f in d["findings"]:
    need(f, {"severity": str, "rule": str, "session": int, "zone": str, "message": str,
             "source": str}, "finding")
    assert f["severity"] in ("error", "warning", "info")
assert sum(f["severity"] == "error" for f in d["findings"]) == d["errors"]
assert d["sessions"], "no sessions"
for s in d["sessions"]:
    need(s, {"session": int, "date": str, "day": num, "device": str,
             "needle_length_mm": num, "passes_per_direction": int, "force_n": num,
             "zones": list}, "session")
    for z in s["zones"]:
        need(z, {"zone": str, "site": str, "device": str, "needle_length_mm": num,
                 "area_cm2": num, "punctures": int,
                 "density_per_cm2": num, "density_cv": num, "coverage": num,
                 "nn_mean_mm": num, "nn_p5_mm": num, "hit_fraction": num,
                 "depth_um": num, "depth_sd_um": num, "layer": str,
                 "bleeding_fraction": num, "beyond_dermis_fraction": num,
                 "anaesthesia_advised": bool}, "zone")
        assert z["punctures"] > 0 and 0 <= z["coverage"] <= 1
for h in d["healing"]:
    need(h, {"zone": str, "site": str, "months": list, "sessions": list,
             "overtreatment_index": num, "overtreated": bool,
             "hyperpigmentation_risk": str}, "healing")
    assert [m["month"] for m in h["months"]] == [1, 3, 6, 12]
    for m in h["months"]:
        for o in ("collagen_i", "collagen_iii", "elastin", "epidermis", "collagen_total"):
            need(m, {o + "_pct": num}, "month")
            if d["samples"]:
                need(m, {o + "_p5_pct": num, o + "_p95_pct": num}, "month")
if "evidence" in d:
    ev = d["evidence"]
    need(ev, {"validation_cases": int, "validation_passed": int, "known_discrepancies": int,
              "calibration_cases": int, "cases": list}, "evidence")
    for c in ev["cases"]:
        need(c, {"case": str, "model": str, "role": str, "quantity": str, "mnsim": num,
                 "result": str, "reference": str}, "evidence case")
        assert c["role"] in ("calibration", "validation")
        assert c["result"] in ("pass", "known discrepancy"), c
    assert ev["validation_passed"] == sum(c["role"] == "validation" and c["result"] == "pass"
                                          for c in ev["cases"])
    assert ("deliver" in {c["model"] for c in ev["cases"]}) == ("delivery" in d)
if "delivery" in d:
    need(d["delivery"], {"grid": str, "cell": str, "cases": list}, "delivery")
    assert d["delivery"]["grid"] in ("coarse", "medium", "fine")
    for c in d["delivery"]["cases"]:
        need(c, {"case": int, "role": str, "compound": str, "concentration_mg_ml": num,
                 "site": str, "zone": str, "first_session": int, "sessions": int,
                 "contact_min": num, "occluded": bool, "channels": bool, "dose_mg_cm2": num,
                 "delivered_ug_cm2": num, "delivered_intact_ug_cm2": num,
                 "steady_state_enhancement": num, "intact_lag_h": num, "cumulative_enhancement": num,
                 "cumulative_lag_dominated": bool, "flux_enhancement_ratio": num,
                 "cleared_ug_cm2": num, "dermis_ug_cm2": num,
                 "mass_balance_error": num}, "delivery case")
        assert c["role"] in ("anaesthetic", "serum")
        assert c["mass_balance_error"] < 1e-10
        if c["channels"]:
            need(c, {"device": str, "depth_um": num, "width_um": num,
                     "density_per_cm2": num, "channels_merged": bool,
                     "closure_half_life_h": num, "channels_open_at_end": num},
                 "delivery case")
        if c["role"] == "anaesthetic":
            need(c, {"numbing_threshold_mg_ml": num, "nerve_depth_um": num,
                     "time_to_numbness_min": num, "numb_before_removal": bool},
                 "delivery case", nullable=("time_to_numbness_min",))
for f in d["files"]:
    import os
    assert os.path.exists(os.path.join(os.path.dirname(sys.argv[1]), f)), f"missing {f}"
PYEOF
}

images_ok() {  # every figure embedded, every one a PNG, findings first
  checks=$((checks + 1))
  python3 - "$1" <<'PYEOF' || fail "report.html: $1"
import base64, re, sys
html = open(sys.argv[1]).read()
imgs = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
assert len(imgs) >= 3, len(imgs)
for b in imgs:
    assert base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n"
assert "src=\"http" not in html and "<script" not in html   # self-contained
assert html.index("Findings") < html.index("The course") < html.index("What the skin does")
if "What crosses the skin" in html:
    assert html.index("How deep") < html.index("What crosses the skin") < html.index("What the skin does")
assert "Not medical advice" in html
PYEOF
}

if [ -n "${MNSIM_WRAP:-}" ]; then
  # Under valgrind: one small run is enough to check memory.
  run run examples/acne-scars.yaml -o "$TMPD/v" --samples 2; expect_rc 0
  finish; exit $?
fi

# The main example: acne scars (what `make run` runs).
run run examples/acne-scars.yaml -o "$TMPD/acne"; expect_rc 0
expect_out "report: $TMPD/acne/report.html"; expect_out "safety: 0 error(s)"
validate "$TMPD/acne/results.json"; images_ok "$TMPD/acne/report.html"
for f in sessions.csv healing.csv map-session1.png depth-left-cheek.png healing-left-cheek.png; do
  checks=$((checks + 1)); [ -s "$TMPD/acne/$f" ] || fail "missing $f"
done
checks=$((checks + 1)); head -1 "$TMPD/acne/healing.csv" | grep -q '^zone,day,collagen_i_pct,collagen_i_p5_pct,collagen_i_p95_pct,' || fail "healing.csv header"
# Delivery: the anaesthetic on intact skin, the serum over the channels.
expect_out "anaesthetic lidocaine at cheek: numb after"
expect_out "serum niacinamide at cheek after roller-192-1.5mm"
for f in delivery.csv delivery-1.png delivery-2.png; do
  checks=$((checks + 1)); [ -s "$TMPD/acne/$f" ] || fail "missing $f"
done
checks=$((checks + 1)); head -1 "$TMPD/acne/delivery.csv" | grep -q '^case,role,compound,site,device,time_min,delivered_ug_cm2' || fail "delivery.csv header"
checks=$((checks + 1))
python3 - "$TMPD/acne/results.json" <<'PYEOF' || fail "acne delivery cases"
import json, sys
d = json.load(open(sys.argv[1]))
cases = d["delivery"]["cases"]
an = [c for c in cases if c["role"] == "anaesthetic"]
se = [c for c in cases if c["role"] == "serum"]
assert len(an) == 1 and len(se) == 1, cases
assert not an[0]["channels"] and 50 < an[0]["time_to_numbness_min"] < 70
assert an[0]["numb_before_removal"] is False   # 45 min < ~60 min
assert se[0]["channels"] and 1 < se[0]["steady_state_enhancement"] < 1000
assert any(f["rule"] == "numbing-too-short" for f in d["findings"])
assert any(f["rule"] == "serum-into-dermis" for f in d["findings"])
assert 0 < d["evidence"]["validation_passed"] < d["evidence"]["validation_cases"]
PYEOF
# The published record beside the results: the cases of the models used,
# their verdicts as `mnsim validate` gives them, the references in full.
checks=$((checks + 1))
python3 - "$TMPD/acne/report.html" <<'PYEOF' || fail "report.html: evidence section"
import re, sys
s = open(sys.argv[1]).read()
i = s.index("How far these numbers are supported")
ev = s[i:s.index("Sources", i)]
for case in ("kalluri2011-depth-770um", "sasaki2019-depth-fraction-0.5mm",
             "fernandes2005-density-15-passes", "lotfi2013-collagen",
             "mr2lido2016-0.2mm-roller-numbness"):
    assert case in ev, case
assert "known discrepancy" in ev and "FAIL" not in ev and "STALE" not in ev
m = re.search(r"<b>(\d+) of (\d+) validation cases</b>", ev)
assert m and 0 < int(m.group(1)) < int(m.group(2)), m
assert "Kalluri H, Kolli CS, Banga AK" in s[s.index("Sources", i):]
PYEOF
# Short needles: the course's serum sees the same disrupted stratum corneum
# as `mnsim deliver` (one channel model for every command): the same
# steady-state enhancement within the difference of the rolled density
# (about 1% here) and the nominal one.
run run examples/fine-lines-home.yaml -o "$TMPD/home" --samples 0; expect_rc 0
run deliver --compound ascorbic-acid --device roller-192-0.25mm --site cheek --passes 4 \
  --concentration "10 %" --time "30 min" --json; expect_rc 0
checks=$((checks + 1))
python3 -c '
import json, sys
cli = json.load(sys.stdin)
run = json.load(open(sys.argv[1]))
case = [c for c in run["delivery"]["cases"] if c["site"] == "cheek"][0]
assert cli["device"]["disrupted"] and case["sc_open_fraction"] > 0, case
ratio = case["steady_state_enhancement"] / cli["summary"]["steady_state_enhancement"]
dens = case["density_per_cm2"] / cli["device"]["density_per_cm2"]
assert 10 < case["steady_state_enhancement"] and abs(ratio - 1) < 0.03 and abs(ratio / dens - 1) < 0.02, (ratio, dens)
' "$TMPD/home/results.json" < "$OUT" || fail "the course and mnsim deliver disagree on a 0.25 mm roller"
run run examples/acne-scars.yaml -o "$TMPD/nod" --samples 0 --no-delivery --json; expect_rc 0
expect_json 'd["delivery_cases"] == 0'
# No band: every month, 12 included, is still a number (the horizon is 12
# months of 30.44 days, not 365 days), in results.json and in the report.
validate "$TMPD/nod/results.json"
checks=$((checks + 1)); ! grep -qE "(nan|inf)%" "$TMPD/nod/report.html" || fail "report.html shows nan%"
checks=$((checks + 1)); grep -q "<th>12 months</th>" "$TMPD/nod/report.html" || fail "report.html has no 12 months"
# Without the delivery stage the record leaves the delivery cases out.
checks=$((checks + 1)); grep -q "How far these numbers are supported" "$TMPD/nod/report.html" && ! grep -q "mr2lido2016-0.2mm-roller-numbness" "$TMPD/nod/report.html" || fail "--no-delivery: evidence section"
checks=$((checks + 1)); python3 -c 'import json,sys; assert "delivery" not in json.load(open(sys.argv[1]))' "$TMPD/nod/results.json" || fail "--no-delivery still delivers"
run run examples/acne-scars.yaml -o "$TMPD/x" --grid huge; expect_rc 2; expect_err "coarse, medium or fine"
# No overwrite without --force: every file checked before any is written,
# the existing ones named, nothing changed.
sums() { (cd "$1" && ls -A | sort | xargs sha256sum); }
sums "$TMPD/acne" > "$TMPD/acne.sums"
run run examples/acne-scars.yaml -o "$TMPD/acne" --seed 9; expect_rc 1; expect_err "--force"
expect_err "already holds"; expect_err "report.html"
checks=$((checks + 1)); sums "$TMPD/acne" | cmp -s - "$TMPD/acne.sums" || fail "a refused run changed $TMPD/acne"
# Not only the report's main files: a figure alone is not replaced either.
mkdir "$TMPD/fig"; cp "$TMPD/acne/delivery-2.png" "$TMPD/acne/depth-left-cheek.png" "$TMPD/fig/"
sums "$TMPD/fig" > "$TMPD/fig.sums"
run run examples/acne-scars.yaml -o "$TMPD/fig" --samples 0; expect_rc 1
expect_err "depth-left-cheek.png, delivery-2.png"
checks=$((checks + 1)); sums "$TMPD/fig" | cmp -s - "$TMPD/fig.sums" || fail "a refused run wrote into $TMPD/fig"
# A run that fails half way (a file size limit: the disk is full) leaves
# the previous results whole, and no staging folder.
( trap '' XFSZ; ulimit -f 40; ${MNSIM_WRAP:-} "$MNSIM" run examples/acne-scars.yaml -o "$TMPD/acne" --seed 9 --samples 0 --force ) > "$OUT" 2> "$ERR"
RC=$?; LAST="mnsim run -o $TMPD/acne --force (40 KiB file limit)"; expect_rc 1; expect_err "cannot write"
checks=$((checks + 1)); sums "$TMPD/acne" | cmp -s - "$TMPD/acne.sums" || fail "a failed run changed $TMPD/acne"
# Never over anything but a regular file, even with --force.
mkdir "$TMPD/ff"; mkfifo "$TMPD/ff/results.json"
run run examples/acne-scars.yaml -o "$TMPD/ff" --samples 0 --force; expect_rc 1; expect_err "results.json is a FIFO"
checks=$((checks + 1)); [ -p "$TMPD/ff/results.json" ] && [ "$(ls -A "$TMPD/ff")" = results.json ] || fail "run wrote over a FIFO"
run run examples/acne-scars.yaml -o "$TMPD/acne" --seed 9 --force; expect_rc 0
checks=$((checks + 1)); ! sums "$TMPD/acne" | cmp -s - "$TMPD/acne.sums" || fail "--force did not replace the results"
checks=$((checks + 1)); ! ls -A "$TMPD/acne" | grep -q mnsim-stage || fail "a staging folder was left"
# Reproducible: bit-identical results with 1 and 2 threads.
OMP_NUM_THREADS=1 ${MNSIM_WRAP:-} "$MNSIM" -q run examples/acne-scars.yaml -o "$TMPD/t1" > /dev/null
OMP_NUM_THREADS=2 ${MNSIM_WRAP:-} "$MNSIM" -q run examples/acne-scars.yaml -o "$TMPD/t2" > /dev/null
checks=$((checks + 1)); cmp -s "$TMPD/t1/results.json" "$TMPD/t2/results.json" || fail "results differ with 1 and 2 threads"
checks=$((checks + 1)); cmp -s "$TMPD/t1/healing.csv" "$TMPD/t2/healing.csv" || fail "healing.csv differs with 1 and 2 threads"
# Every example end to end (few virtual people, to stay quick).
for f in examples/*.yaml; do
  grep -q '^kind: protocol' "$f" || continue  # populations and trials: test_cohort
  name=$(basename "$f" .yaml)
  run run "$f" -o "$TMPD/$name" --samples 5; expect_rc 0
  validate "$TMPD/$name/results.json"; images_ok "$TMPD/$name/report.html"
done
# The seed's instructions: simulated, with errors and overtreatment shown.
run run examples/seed-protocol.yaml -o "$TMPD/seed2" --samples 0 --json; expect_rc 0
expect_json 'd["errors"] >= 2 and d["sessions"] == 24'
checks=$((checks + 1))
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(h["overtreated"] for h in d["healing"]); assert any(f["rule"]=="overtreatment" for f in d["findings"])' "$TMPD/seed2/results.json" || fail "seed protocol not flagged as overtreatment"
validate "$TMPD/seed2/results.json"
# report.html lists the errors first, then warnings, then notes (the
# overtreatment error was row 14 of 15).
checks=$((checks + 1))
python3 - "$TMPD/seed2/report.html" <<'PYEOF' || fail "report.html: findings not sorted by severity"
import re, sys
rows = re.findall(r'<tr class="(error|warning|info)">', open(sys.argv[1]).read())
rank = {"error": 0, "warning": 1, "info": 2}
assert rows and rows[0] == "error", rows
assert [rank[r] for r in rows] == sorted(rank[r] for r in rows), rows
assert re.search(r'<tr class="error"><td>error</td>.*?overtreatment', open(sys.argv[1]).read())
PYEOF
# Usage and input errors.
run run examples/acne-scars.yaml;                 expect_rc 2; expect_err "-o DIR"
run run -o "$TMPD/x";                             expect_rc 2
run run examples/acne-scars.yaml -o "$TMPD/x" --samples -3; expect_rc 2
run run tests/bad/no-unit.yaml -o "$TMPD/x";      expect_rc 1
run run /nonexistent.yaml -o "$TMPD/x";           expect_rc 1; expect_err "cannot open"
finish
