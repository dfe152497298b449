#!/usr/bin/env bash
# mnsim deliver: the issue's done-when cases, JSON, CSV, figure, bad options.
# Coarse grids and short times keep it quick; docs/model.md has the
# default-grid numbers.
. "$(dirname "$0")/lib.sh"

if [ -n "${MNSIM_WRAP:-}" ]; then
  # Under valgrind: one short solve checks memory; the full set runs natively.
  run deliver --compound caffeine --device roller-192-1.0mm --grid coarse --time "5 min" --json; expect_rc 0
  finish; exit $?
fi

# 4% lidocaine: a 0.5 mm roller numbs sooner than on intact skin (~60 min).
run deliver --compound lidocaine --device roller-192-0.5mm --grid coarse --time "20 min" --json; expect_rc 0
expect_json 'd["compound"] == "lidocaine" and abs(d["concentration_mg_ml"] - 40) < 1e-9'
expect_json 'd["summary"]["time_to_numbness_min"] < d["summary"]["time_to_numbness_intact_min"]'
expect_json '50 < d["summary"]["time_to_numbness_intact_min"] < 70'
expect_json 'd["summary"]["time_to_numbness_min"] < 20'
expect_json 'd["summary"]["steady_state_enhancement"] > 1 and d["summary"]["mass_balance_error"] < 1e-10'
expect_json 'd["device"]["passes"] == 15 and 20 < d["device"]["depth_um"] < 60'
expect_json 'len(d["with_channels"]["time_min"]) == len(d["with_channels"]["delivered_ug_cm2"]) == 61'
expect_json 'd["with_channels"]["delivered_ug_cm2"][-1] > d["intact_skin"]["delivered_ug_cm2"][-1]'
# Steps to an accuracy (issue 18): the same answers within it.
run deliver --compound lidocaine --device roller-192-0.5mm --grid coarse --time "20 min" --accuracy 1% --json; expect_rc 0
expect_json 'd["summary"]["time_to_numbness_min"] < 20 and 50 < d["summary"]["time_to_numbness_intact_min"] < 70'
expect_json 'd["summary"]["mass_balance_error"] < 1e-10'
run deliver --compound lidocaine --intact --accuracy "20 %";  expect_rc 2; expect_err "--accuracy"
# Caffeine after a 1.0 mm roller: the enhancement is reported.
run deliver --compound caffeine --device roller-192-1.0mm --grid coarse --time "20 min" --json; expect_rc 0
expect_json '100 < d["summary"]["steady_state_enhancement"] < 1000 and d["summary"]["time_to_numbness_min"] is None'
expect_json 'd["summary"]["cumulative_lag_dominated"] and 3 < d["summary"]["intact_lag_h"] < 8'
expect_json 'd["device"]["depth_um"] > 200'
# Intact skin only, occlusion, a given dose and strength, another site.
run deliver --compound niacinamide --intact --time "30 min" --dose "5 mg/cm^2" --concentration "2 %" --site forehead --json
expect_rc 0
expect_json 'd["intact"] and abs(d["dose_mg_cm2"] - 5) < 1e-9 and abs(d["concentration_mg_ml"] - 20) < 1e-9'
expect_json 'd["summary"]["steady_state_enhancement"] == 1 and d["summary"]["cumulative_enhancement"] == 1'
run deliver --compound minoxidil --device roller-192-0.5mm --grid coarse --time "5 min" --occluded --dose infinite --json
expect_rc 0
expect_json 'd["infinite_dose"] and d["device"]["closure_half_life_h"] > 10'
# A rolled patch (mnsim roll's punctures) instead of the unit cell.
run deliver --compound caffeine --device roller-192-1.0mm --patch "0.6 mm" --grid coarse --time "5 min" --json
expect_rc 0
expect_json 'd["device"]["rolled_patch"] and d["device"]["channels_in_cell"] >= 0 and d["device"]["seed"] == 1'
expect_json 'd["summary"]["mass_balance_error"] < 1e-10'
run deliver --compound caffeine --intact --patch "1 mm";     expect_rc 2
run deliver --compound caffeine --device roller-192-1.0mm --patch "50 mm"; expect_rc 2
# CSV and figure; no overwriting without --force.
run deliver --compound lidocaine --device roller-192-0.5mm --grid coarse --time "20 min" --csv "$TMPD/l.csv" --figure "$TMPD/l.png"
expect_rc 0
expect_out "time to numbness (min)"; expect_out "enhancement by the channels"; expect_out "CHANNELS"
checks=$((checks + 1)); head -n 1 "$TMPD/l.csv" | grep -q '^time_min,vehicle_ug_cm2,' || fail "CSV header"
checks=$((checks + 1)); [ "$(wc -l < "$TMPD/l.csv")" -eq 62 ] || fail "CSV rows"
checks=$((checks + 1)); python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); sys.exit(0 if float(r[-1]["delivered_ug_cm2"]) > float(r[-1]["delivered_intact_ug_cm2"]) else 1)' "$TMPD/l.csv" || fail "CSV values"
checks=$((checks + 1)); [ -s "$TMPD/l.png" ] && head -c 8 "$TMPD/l.png" | grep -q PNG || fail "no PNG written"
run deliver --compound lidocaine --intact --time "20 min" --figure "$TMPD/l.png"
expect_rc 1; expect_err "use --force"
run deliver --compound lidocaine --intact --time "20 min" --figure "$TMPD/l.svg" --force
expect_rc 0
checks=$((checks + 1)); grep -q '<svg' "$TMPD/l.svg" || fail "no SVG written"
# Usage errors (2) and failures (1).
run deliver;                                                  expect_rc 2; expect_err "--compound"
run deliver --compound lidocaine;                             expect_rc 2; expect_err "--intact"
run deliver --compound lidocaine --intact --device roller-192-0.5mm; expect_rc 2
run deliver --compound lidocaine --intact --grid huge;        expect_rc 2; expect_err "--grid"
run deliver --compound lidocaine --intact --figure x.pdf;     expect_rc 2
run deliver --compound lidocaine --intact --concentration "4 parsecs"; expect_rc 2; expect_err "unknown unit"
run deliver --compound lidocaine --intact --dose 3;           expect_rc 2; expect_err "no unit"
run deliver --compound lidocaine --intact --time "2 s";       expect_rc 2
run deliver --compound lidocaine --intact --passes 0;         expect_rc 2
run deliver --compound lidocaine --intact --bogus;            expect_rc 2
run deliver --compound aspirin --intact;                      expect_rc 1; expect_err "no compound named"
run deliver --compound lidocaine --device nosuch;             expect_rc 1; expect_err "no device named"
run deliver --compound lidocaine --intact --site elbow;       expect_rc 1; expect_err "no site named"
run deliver --help;                                           expect_rc 0; expect_out "Usage: mnsim deliver"
# The shared option parser: --opt=value and --; usage errors name the option.
run deliver --compound=caffeine --device=roller-192-1.0mm --grid=coarse --time="5 min" --json --
expect_rc 0; expect_json 'd["compound"] == "caffeine" and d["device"]["name"] == "roller-192-1.0mm" and d["contact_min"] == 5'
run deliver --compound caffeine --intact -- extra;            expect_rc 2; expect_err "unexpected argument 'extra'"
run deliver --compound caffeine --intact --time;              expect_rc 2; expect_err "--time needs a value"
run deliver --compound caffeine --intact --time "9 days";     expect_rc 2; expect_err "--time: '9 days' is outside 1 min to 168 h"
run deliver --compound caffeine --intact --bogus;             expect_rc 2; expect_err "unknown option '--bogus'"
finish
