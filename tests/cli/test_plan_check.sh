#!/usr/bin/env bash
# mnsim plan's plans pass mnsim check without errors or warnings about their
# own choices (a needle that passes a zone's dermis, an interval under a
# rule's): every indication,
# setting and zone set (a plan that mnsim will not make, e.g. a home plan
# for deep needles or a hair-loss plan off the scalp, is refused with a
# reason instead). A home plan on the scalp takes the scalp's longer
# interval and says so. A needle that would pass a zone's dermis is
# replaced there by a shorter one (zone_devices), or everywhere when every
# zone needs it.
. "$(dirname "$0")/lib.sh"

if [ -n "${MNSIM_WRAP:-}" ]; then
  run plan --indication fine-lines --zones scalp --setting home --start 2027-01-04 -o "$TMPD/p.yaml"; expect_rc 0
  finish; exit $?
fi
for ind in fine-lines acne-scars atrophic-scars stretch-marks hair-loss texture laxity; do
  for set in clinic home; do
    for z in cheeks forehead scalp abdomen full-face; do
      run plan --indication "$ind" --zones "$z" --setting "$set" --start 2027-01-04 -o "$TMPD/p.yaml" --force
      if [ "$RC" -ne 0 ]; then
        expect_rc 1; expect_err "mnsim: error:"
        continue
      fi
      run check "$TMPD/p.yaml"; expect_rc 0; expect_no_out "error:"
      # ... and without warnings about the plan's own choices (needle, interval)
      checks=$((checks + 1))
      ! grep -q "warning" "$OUT" "$ERR" || fail "the plan draws a warning: $(grep -h warning "$OUT" "$ERR" | head -1)"
    done
  done
done
run plan --indication fine-lines --zones scalp --setting home --start 2027-01-04
expect_rc 0; expect_err "lengthened to 7.0 days"
# A man's skin is thicker: his plans, too, draw no warning about their own
# choices (a 1.5 mm roller kept on his cheeks, shorter around his eyes).
for ind in acne-scars laxity fine-lines; do
  for z in cheeks full-face face-and-neck; do
    run plan --indication "$ind" --zones "$z" --sex male --start 2027-01-04 -o "$TMPD/m.yaml" --force
    expect_rc 0
    run check "$TMPD/m.yaml"; expect_rc 0; expect_no_out "error:"
    checks=$((checks + 1))
    ! grep -q "warning" "$OUT" "$ERR" || fail "the plan draws a warning: $(grep -h warning "$OUT" "$ERR" | head -1)"
  done
done
# A needle that would pass the thin skin of a zone is replaced there by a
# shorter one (zone_devices); the zones where it stays in the dermis (a
# woman's nose and chin) keep it.
run plan --indication laxity --zones full-face --setting clinic --start 2027-01-04
expect_rc 0; expect_err "the plan's roller-192-1.5mm is replaced by roller-192-1.0mm at these zones only (zone_devices)"
expect_err "; the other zones keep it"; expect_out "  device   roller-192-1.5mm,"
# Where every zone needs it, the plan's needle itself is replaced.
run plan --indication acne-scars --zones cheeks --start 2027-01-04
expect_rc 0; expect_err "the plan's roller-192-1.5mm is replaced by roller-192-1.0mm: its channels may pass the dermis at left-cheek, right-cheek"
expect_out "  device   roller-192-1.0mm,"
run plan --indication acne-scars --zones cheeks --sex male --start 2027-01-04
expect_rc 0; expect_out "  device   roller-192-1.5mm,"
checks=$((checks + 1)); ! grep -q "shorter-needle" "$ERR" || fail "a man's cheeks got a shorter needle"
run plan --indication hair-loss --zones cheeks --start 2027-01-04
expect_rc 1; expect_err "a hair-loss plan is for zones on the scalp"
finish
