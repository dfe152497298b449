#!/usr/bin/env bash
# mnsim devices / sites / check on the shipped catalogs.
. "$(dirname "$0")/lib.sh"

run devices;                    expect_rc 0; expect_out "roller-192-1.5mm"; expect_out "pen-"; expect_out "stamp-"
run devices --json;             expect_rc 0; expect_json 'len(d["devices"]) >= 17'
run devices roller-192-1.5mm;   expect_rc 0; expect_out "needle length            1.5 mm"; expect_out "15.3 /cm2"
run devices roller-192-1.5mm --json; expect_rc 0
expect_json 'd["device"]["needles"] == 192 and d["device"]["needle_length_mm"] == 1.5'
expect_json 'abs(d["device"]["density_per_pass_per_cm2"] - 15.28) < 0.01'
run devices roller-192-9mm;     expect_rc 1; expect_err "no device named 'roller-192-9mm'"
run devices a b;                expect_rc 2

# A user's own device file is accepted wherever a catalog name is.
cat > "$TMPD/mine.yaml" <<'YAML'
kind: device
name: my-roller
type: roller
needle_length: "0.8 mm"
needle_base_diameter: "0.2 mm"
tip_radius: "5 um"
drum_diameter: "18 mm"
drum_width: "15 mm"
rings: 6
needles_per_ring: 20
source: "my own measurement"
YAML
run devices "$TMPD/mine.yaml";  expect_rc 0; expect_out "my-roller"; expect_out "120"
run check "$TMPD/mine.yaml";    expect_rc 0; expect_out "ok"

run sites;                      expect_rc 0; expect_out "cheek"; expect_out "periorbital"; expect_out "upper-arm"
run sites --json;               expect_rc 0; expect_json 'len(d["sites"]) == 18'
expect_json 'all(s["skin_total_um"] > 500 for s in d["sites"])'
run sites cheek --sex male;     expect_rc 0; expect_out "stratum corneum"; expect_out "(male)"
run sites elbow;                expect_rc 1; expect_err "no site named 'elbow'"
run sites --sex other;          expect_rc 2

run check data/devices.yaml data/sites.yaml; expect_rc 0; expect_out "0 error(s)"
run check --json data/sites.yaml tests/bad/many-errors.yaml; expect_rc 1
expect_json 'd["errors"] >= 4 and d["files"][0]["ok"] and not d["files"][1]["ok"]'
expect_json 'd["files"][1]["findings"][0]["line"] == 4 and d["files"][1]["findings"][0]["column"] == 17'
run check tests/bad/many-errors.yaml; expect_rc 1
expect_err "many-errors.yaml:4:17"; expect_err "many-errors.yaml:5:24"; expect_err "many-errors.yaml:6:14"; expect_err "unknown key 'colour'"
run check /nonexistent.yaml;    expect_rc 1; expect_err "cannot open"

# The shared option parser: --opt=value, and -- before arguments that look
# like options; a usage error names the option.
run devices -- roller-192-1.5mm; expect_rc 0; expect_out "needle length            1.5 mm"
run devices a b c;              expect_rc 2; expect_err "devices takes at most one NAME"
run devices --bogus;            expect_rc 2; expect_err "unknown option '--bogus'"
run sites --sex=male -- cheek;  expect_rc 0; expect_out "(male)"
run sites --sex;                expect_rc 2; expect_err "--sex needs a value"
run sites cheek forehead;       expect_rc 2; expect_err "sites takes at most one NAME"
run check -- data/devices.yaml; expect_rc 0; expect_out "data/devices.yaml: ok"
run check --bogus data/devices.yaml; expect_rc 2; expect_err "unknown option '--bogus'"
finish
