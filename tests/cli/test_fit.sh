#!/usr/bin/env bash
# mnsim fit: parameters with intervals from the calibration cases; the
# fitted file reads back and works with --params; bad requests refused.
. "$(dirname "$0")/lib.sh"

if [ -n "${MNSIM_WRAP:-}" ]; then
  # Under valgrind: one fit checks memory; the rest runs natively.
  run fit --params collagen_i_synthesis_per_day -o "$TMPD/fitted.yaml"; expect_rc 0
  finish; exit $?
fi

run fit --params collagen_i_synthesis_per_day,epidermis_matrix_gain --json; expect_rc 0
expect_json 'len(d["parameters"]) == 2 and d["converged"]'
expect_json 'all(p["low95"] <= p["value"] <= p["high95"] for p in d["parameters"])'
expect_json 'd["chi2"] <= d["chi2_start"] + 1e-9'
run fit --params collagen_i_synthesis_per_day -o "$TMPD/fitted.yaml"; expect_rc 0
expect_out "95% INTERVAL"; expect_out "fitted parameters"
run check "$TMPD/fitted.yaml"; expect_rc 0
run heal --site cheek --device roller-192-1.5mm --sessions 4 --interval "4 weeks" --params "$TMPD/fitted.yaml" --json; expect_rc 0
run fit --params collagen_i_synthesis_per_day -o "$TMPD/fitted.yaml"; expect_rc 1; expect_err "use --force"
run fit --params collagen_i_synthesis_per_day -o "$TMPD/fitted.yaml" --force; expect_rc 0
run fit --params no_such_parameter; expect_rc 2; expect_err "no healing parameter named 'no_such_parameter'"
run fit; expect_rc 2; expect_err "--params"
# More parameters than cases with a published value.
run fit --params collagen_i_synthesis_per_day,collagen_iii_synthesis_per_day,epidermis_matrix_gain,tropoelastin_synthesis_per_day; expect_rc 1
expect_err "at least as many cases"
# docs/healing-fit.md is the fit of the shipped calibration cases, current.
checks=$((checks + 1))
MNSIM_BIN=$MNSIM bash "$(dirname "$0")/../../scripts/healing-fit" "$MNSIM" >"$TMPD/hf.md" 2>/dev/null \
  && cmp -s "$TMPD/hf.md" "$(dirname "$0")/../../docs/healing-fit.md" \
  || fail "docs/healing-fit.md is not current: run scripts/healing-fit build/mnsim > docs/healing-fit.md"
# docs/healing-sensitivity.md: which parameters move the outputs, current
# (a document check: natively only, not again in the sanitizer build).
[ -z "${ASAN_OPTIONS:-}" ] && checks=$((checks + 1)) && { python3 "$(dirname "$0")/../../scripts/healing-sensitivity" "$MNSIM" >"$TMPD/hs.md" 2>"$TMPD/hs.err" \
  && cmp -s "$TMPD/hs.md" "$(dirname "$0")/../../docs/healing-sensitivity.md" \
  || fail "docs/healing-sensitivity.md is not current: run scripts/healing-sensitivity build/mnsim > docs/healing-sensitivity.md"; }
finish
