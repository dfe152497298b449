#!/usr/bin/env bash
# A user's own compounds (deliver --compounds FILE) and solubility: above
# its solubility a product is a saturated suspension whose flux does not grow
# with its strength; below it the flux is proportional to the strength; the
# output says when the product is saturated; bad files are refused.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)
MY=$DATA/my-compounds.yaml
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1"; }
ratio_is() {  # a b r tol what: a / b = r within tol (relative)
  checks=$((checks + 1))
  python3 -c 'import sys; a,b,r,t=map(float,sys.argv[1:5]); sys.exit(0 if abs(a/b-r) <= t*r else 1)' "$1" "$2" "$3" "$4" \
    || fail "$5: $1 / $2 is not $3 (within $4)"
}

# The user's compound is found and used; its kp sets intact skin's flux.
flux() {  # concentration -> steady flux of intact skin (ug/cm2/h)
  run deliver --compound test-solute --compounds "$MY" --intact --concentration "$1" --json
  expect_rc 0
  jget 'd["summary"]["steady_flux_intact_ug_cm2_h"]'
}
f05=$(flux "0.5 %"); f1=$(flux "1 %"); f2=$(flux "2 %"); f5=$(flux "5 %")
expect_json 'd["saturated"] and d["dissolved_mg_ml"] == 20 and d["solubility_mg_ml"] == 20 and d["concentration_mg_ml"] == 50'
ratio_is "$f1" "$f05" 2 0.001 "below the solubility the flux is proportional to the strength"
ratio_is "$f2" "$f1" 2 0.001 "at the solubility (20 mg/mL) the flux is twice that at 10 mg/mL"
ratio_is "$f5" "$f2" 1 0.001 "above the solubility the flux stays that of the saturated solution"
run deliver --compound test-solute --compounds "$MY" --intact --concentration "1 %" --json
expect_rc 0
expect_json 'not d["saturated"] and d["dissolved_mg_ml"] == 10'
# The text output says the product is a suspension; a solution does not.
run deliver --compound test-solute --compounds "$MY" --device roller-192-1.0mm --concentration "5 %"
expect_rc 0
expect_out "note: 50 mg/mL is at or above the solubility of test-solute in the vehicle (20 mg/mL): a saturated suspension"
run deliver --compound test-solute --compounds "$MY" --device roller-192-1.0mm
expect_rc 0
expect_no_out "saturated"
# A finite dose of a suspension: the film stays saturated while solid is left,
# the whole amount is accounted for.
run deliver --compound test-solute --compounds "$MY" --device roller-192-1.0mm --concentration "10 %" --time "10 min" --json
expect_rc 0
expect_json 'd["summary"]["mass_balance_error"] < 1e-9 and d["summary"]["vehicle_ug_cm2"] < 200'
# The catalog's compounds are still there beside the user's.
run deliver --compound caffeine --compounds "$MY" --intact --time "10 min"
expect_rc 0

# Bad files.
cp "$MY" "$TMPD/clash.yaml"; sed -i 's/name: test-solute/name: caffeine/' "$TMPD/clash.yaml"
run deliver --compound caffeine --compounds "$TMPD/clash.yaml" --intact
expect_rc 1; expect_err "compound 'caffeine' is already in the catalog"
{ cat "$MY"; printf '    sc_diffusivity: "1e-14 m^2/s"\n'; } > "$TMPD/both.yaml"
sed -i 's|      dose: "typical: a test value"|      dose: "typical: a test value"\n      sc_diffusivity: "typical: a test value"|' "$TMPD/both.yaml"
run deliver --compound test-solute --compounds "$TMPD/both.yaml" --intact
expect_rc 1; expect_err "give kp or sc_diffusivity, not both"
grep -v 'solubility: "typical' "$MY" > "$TMPD/nosource.yaml"
run deliver --compound test-solute --compounds "$TMPD/nosource.yaml" --intact
expect_rc 1; expect_err "no source given for 'solubility'"
sed 's|solubility: "20 mg/mL"|solubility: "nan mg/mL"|' "$MY" > "$TMPD/nan.yaml"
run deliver --compound test-solute --compounds "$TMPD/nan.yaml" --intact
expect_rc 1; expect_err "solubility: 'nan mg/mL' is not a plain decimal number"
sed 's|kp: "1e-4 cm/h"|kp: "1e-4 cm/min"|' "$MY" > "$TMPD/unit.yaml"
run deliver --compound test-solute --compounds "$TMPD/unit.yaml" --intact
expect_rc 1; expect_err "unknown unit 'cm/min' for a permeability (use cm/h, cm/s, m/s)"
# the catalog itself, renamed: its model section is not the user's to change
sed 's/  - name: /  - name: x-/' "$(dirname "$0")/../../data/compounds.yaml" > "$TMPD/model.yaml"
run deliver --compound x-caffeine --compounds "$TMPD/model.yaml" --intact
expect_rc 1; expect_err "a file of your own compounds takes no 'model' section"
run deliver --compound test-solute --compounds "$TMPD/missing.yaml" --intact
expect_rc 1; expect_err "missing.yaml"
finish
