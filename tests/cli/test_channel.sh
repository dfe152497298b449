#!/usr/bin/env bash
# One channel, one truth: for every catalog roller at two sites, mnsim
# depth, deliver and heal give the same closure time of the channels (the
# channel model of data/channels.yaml), and occlusion keeps them open longer.
. "$(dirname "$0")/lib.sh"

jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1"; }
close_enough() {  # a b: equal within 0.5% (heal finds the crossing on its output grid)
  checks=$((checks + 1))
  python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if abs(a-b) <= 0.005*max(abs(a),abs(b)) + 1e-9 else 1)' "$1" "$2" \
    || fail "closure times differ: $3"
}

devices="roller-192-0.25mm roller-192-0.5mm roller-192-1.0mm roller-192-1.5mm roller-192-2.0mm"
sites="cheek forehead"
# Under valgrind: one device and site check memory; the full set runs natively.
[ -n "${MNSIM_WRAP:-}" ] && devices=roller-192-1.5mm && sites=cheek
# The sanitizer build (unoptimised): every device at one site.
[ -n "${ASAN_OPTIONS:-}" ] && sites=cheek
for dev in $devices; do
  for site in $sites; do
    run depth --device "$dev" --site "$site" --json; expect_rc 0
    d_open=$(jget 'd["sites"][0]["closure_h"]'); d_occ=$(jget 'd["sites"][0]["closure_occluded_h"]')
    checks=$((checks + 1))
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) > float(sys.argv[1]) else 1)' "$d_open" "$d_occ" \
      || fail "occluded channels must close later ($dev $site)"
    run deliver --compound caffeine --device "$dev" --site "$site" --time "10 min" --grid coarse --cell radial --json; expect_rc 0
    close_enough "$d_open" "$(jget 'd["device"]["closure_h"]')" "depth vs deliver, $dev at $site"
    run deliver --compound caffeine --device "$dev" --site "$site" --time "10 min" --grid coarse --cell radial --occluded --json; expect_rc 0
    close_enough "$d_occ" "$(jget 'd["device"]["closure_h"]')" "depth vs deliver occluded, $dev at $site"
    run heal --device "$dev" --site "$site" --sessions 1 --samples 0 --json; expect_rc 0
    close_enough "$d_open" "$(jget 'd["sessions"][0]["barrier_closed_days"] * 24')" "depth vs heal, $dev at $site"
  done
done
finish
