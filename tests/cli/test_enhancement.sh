#!/usr/bin/env bash
# Enhancement that means something: the headline of mnsim deliver is the
# steady-state ratio (infinite dose, channels open), the same whatever the
# time asked for and within the published range (1-1000 x) for caffeine
# after a 1.0 mm roller at five sites; a cumulative ratio taken while intact
# skin is in its lag time is flagged and never printed as a number; a
# channel that stops in the stratum corneum changes nothing (1.00 x), while
# short needles disrupt the stratum corneum.
. "$(dirname "$0")/lib.sh"

if [ -n "${MNSIM_WRAP:-}" ]; then
  # Under valgrind: one case checks memory; the sweep runs natively.
  run deliver --compound caffeine --device roller-192-1.0mm --time "10 min" --grid coarse --json; expect_rc 0
  finish; exit $?
fi

jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1"; }
sites="cheek forehead scalp abdomen thigh"
# The sanitizer build (unoptimised) checks one site; the five run natively.
[ -n "${ASAN_OPTIONS:-}" ] && sites=cheek
for site in $sites; do
  first=
  for t in "10 min" "1 h" "24 h"; do
    run deliver --compound caffeine --device roller-192-1.0mm --site "$site" --time "$t" --grid coarse --json
    expect_rc 0
    expect_json '1 <= d["summary"]["steady_state_enhancement"] <= 1000 and d["summary"]["steady_state_reached"]'
    e=$(jget 'd["summary"]["steady_state_enhancement"]')
    if [ -z "$first" ]; then first=$e; else
      checks=$((checks + 1)); [ "$e" = "$first" ] || fail "headline depends on --time at $site: $first vs $e"
    fi
    # The flag follows the share of intact skin's steady-state amount.
    expect_json 'd["summary"]["cumulative_lag_dominated"] == (d["summary"]["intact_share_of_steady_amount"] < 0.05)'
  done
  run deliver --compound caffeine --device roller-192-1.0mm --site "$site" --time "10 min" --grid coarse
  expect_rc 0; expect_out "x the steady-state flux of intact skin (infinite dose, channels kept open)"
  expect_out "the cumulative ratio is not meaningful"; expect_no_out "x delivered"
done
# At 24 h on the cheek intact skin is past its lag time: the cumulative ratio is shown, with its conditions.
run deliver --compound caffeine --device roller-192-1.0mm --time "24 h" --grid coarse
expect_rc 0; expect_out "over these 1440 min at this dose"
# Needles that stop in the stratum corneum disrupt it (docs/model.md, Short
# needles): no channel, a small share of the barrier open, a real but
# bounded enhancement, and no collagen (no living tissue wounded).
for dev in roller-192-0.2mm roller-192-0.25mm; do
  run deliver --compound caffeine --device "$dev" --grid coarse --json; expect_rc 0
  expect_json 'd["device"]["disrupted"] and 0 < d["device"]["sc_open_fraction"] < 0.01 and d["device"]["depth_um"] < 15'
  expect_json '1 < d["summary"]["steady_state_enhancement"] <= 1000'
  run deliver --compound caffeine --device "$dev" --grid coarse
  expect_rc 0; expect_out "no channels: $dev"; expect_out "disrupt it around each of 229 contacts /cm2"
  run heal --device "$dev" --site cheek --sessions 3 --samples 0 --json; expect_rc 0
  expect_json 'all(abs(v - 100) < 0.5 for v in [m["collagen_total_pct"] for m in d["milestones"]])'
done
# A channel that stops in the stratum corneum (short needles without the
# disruption: disruption_radius 0 in a copy of the data) changes nothing, and
# the cumulative and flux ratios compare the channel run with intact skin on
# the same depth grid, so they are 1 too, on every grid.
cp -r "$(dirname "$0")/../../data" "$TMPD/data"
sed -i 's/^disruption_radius: .*/disruption_radius: "0 um"/' "$TMPD/data/penetration.yaml"
export MNSIM_DATA_DIR="$TMPD/data"
for dev in roller-192-0.2mm roller-192-0.25mm; do
  for grid in coarse medium fine; do
    [ -n "${ASAN_OPTIONS:-}" ] && [ "$grid" != coarse ] && continue
    run deliver --compound caffeine --device "$dev" --grid "$grid" --json; expect_rc 0
    expect_json 'not d["device"]["disrupted"] and d["device"]["depth_um"] < 15'
    expect_json 'abs(d["summary"]["steady_state_enhancement"] - 1) <= 0.02'
    expect_json 'abs(d["summary"]["cumulative_enhancement"] - 1) <= 0.02 and abs(d["summary"]["flux_enhancement_ratio"] - 1) <= 0.02'
  done
done
unset MNSIM_DATA_DIR
finish
