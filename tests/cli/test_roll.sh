#!/usr/bin/env bash
# mnsim roll: the issue's done-when, outputs, and option errors.
. "$(dirname "$0")/lib.sh"

# Done when: 15 vertical passes of the standard roller over the default area
# (20 cm x 20 cm) report 229 punctures/cm2 within 3%.
run roll --device roller-192-0.5mm --pattern vertical --passes 15 --json
expect_rc 0
expect_json 'abs(d["density_per_cm2"] - 229.18) / 229.18 < 0.03'
expect_json 'abs(d["density_expected_per_cm2"] - 229.18) < 0.01 and d["passes"] == 15'
expect_json 'abs(d["area_cm2"] - 400) < 1e-9 and d["zones"][0]["name"] == "area"'
expect_json 'd["directions"] == [{"direction": "vertical", "passes": 15}]'
expect_json 'all(0 < d["zones"][0][k] for k in ("coverage", "nn_mean_mm", "nn_p5_mm", "density_cv"))'
expect_json 'len(d["zones"][0]["coverage_by_pass"]) == 15 and d["zones"][0]["coverage_by_pass"][-1] == d["zones"][0]["coverage"]'
expect_json 'd["zones"][0]["depth_sampled_um"] > 0 and d["seed"] == 1'

# One thread or two: identical numbers.
run roll --zone full-face --pattern four-direction --passes 6 --json --threads 2
expect_rc 0
cp "$OUT" "$TMPD/two.json"
run roll --zone full-face --pattern four-direction --passes 6 --json --threads 1
expect_rc 0
checks=$((checks + 1))
python3 - "$TMPD/two.json" "$OUT" <<'PY' || fail "--threads 1 and the default differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
a.pop("threads"); b.pop("threads")
sys.exit(0 if a == b else 1)
PY

# Text output, a zone group, the seed's pattern by default.
run roll --zone full-face --passes 4
expect_rc 0; expect_out "vertical-then-horizontal, 4 passes (2 vertical, 2 horizontal)"
expect_out "left-cheek"; expect_out "total"; expect_out "PER_cm2"

# CSV and map (small area: the channels; a zone group: the heat map).
run roll --area "3 cm x 2 cm" --pattern four-direction --passes 4 --seed 7 --json \
    --csv "$TMPD/p.csv" --map "$TMPD/small.png"
expect_rc 0
expect_json 'abs(d["area_cm2"] - 6) < 1e-9 and d["csv"].endswith("p.csv")'
n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["punctures"])' "$OUT")
checks=$((checks + 1))
[ "$(head -1 "$TMPD/p.csv")" = "x_mm,y_mm,depth_um,zone,stroke,pass,direction,needle" ] || fail "CSV header"
checks=$((checks + 1))
[ "$(($(wc -l < "$TMPD/p.csv") - 1))" -eq "$n" ] || fail "CSV has not $n punctures"
checks=$((checks + 1))
python3 - "$TMPD/p.csv" <<'PY' || fail "CSV values"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ok = all(0 <= float(r["x_mm"]) <= 30 and 0 <= float(r["y_mm"]) <= 20 and float(r["depth_um"]) >= 0
         and r["zone"] == "area" and r["direction"] in ("vertical", "horizontal", "diagonal", "antidiagonal")
         and 1 <= int(r["pass"]) <= 4 and 0 <= int(r["needle"]) < 192 for r in rows)
sys.exit(0 if ok and rows else 1)
PY
checks=$((checks + 1))
[ -s "$TMPD/small.png" ] && [ "$(head -c 4 "$TMPD/small.png" | od -An -c | tr -d ' ')" = "211PNG" ] \
  || fail "small.png is not a PNG"
run roll --zone full-face --passes 2 --map "$TMPD/face.svg" --quiet
expect_rc 0
checks=$((checks + 1)); grep -q "<svg" "$TMPD/face.svg" || fail "face.svg is not an SVG"
checks=$((checks + 1)); ! ls "$TMPD" | grep -q tmp || fail "temporary files left behind"

# Existing outputs are not overwritten without --force.
run roll --area "2 cm x 2 cm" --passes 1 --map "$TMPD/small.png"
expect_rc 1; expect_err "exists; use --force"
run roll --area "2 cm x 2 cm" --passes 1 --csv "$TMPD/p.csv"
expect_rc 1; expect_err "exists; use --force"
run roll --area "2 cm x 2 cm" --passes 1 --csv "$TMPD/p.csv" --force
expect_rc 0

# Targets and the pattern comparison.
run roll --area "4 cm x 4 cm" --pattern vertical --jitter none --target-density 100 --json
expect_rc 0; expect_json 'd["zones"][0]["passes_to_target"] == 7 and d["target"]["kind"] == "density"'
run roll --area "2 cm x 2 cm" --target-coverage 50% --compare-patterns --max-passes 30
expect_rc 0; expect_out "four-direction"; expect_out "passes"

# Stamps and pens, lists.
run roll --device stamp-35-1.0mm --area "3 cm x 3 cm" --passes 1 --json
expect_rc 0; expect_json 'd["type"] == "stamp" and 30 < d["density_per_cm2"] < 55'
run roll --device pen-12-0.25-2.5mm --area "1 cm x 1 cm" --passes 1 --speed "40 mm/s" --json
expect_rc 0; expect_json 'd["type"] == "pen" and d["hand"]["speed_mm_s"] == 40'
run roll --list
expect_rc 0; expect_out "full-face"; expect_out "left-cheek"; expect_out "four-direction"
run roll --list --json
expect_rc 0; expect_json 'any(g["name"] == "full-face" and 300 < g["area_cm2"] < 450 for g in d["groups"])'
run roll --help
expect_rc 0; expect_out "Usage: mnsim roll"

# A zones file of one's own; a broken one is reported with its location.
cat > "$TMPD/z.yaml" <<'YAML'
kind: zones
zones:
  - name: my-patch
    site: cheek
    chart: face
    outline: ["40 mm, 60 mm", "70 mm, 60 mm", "70 mm, 80 mm", "40 mm, 80 mm"]
    source: "test"
YAML
run roll --zones "$TMPD/z.yaml" --zone my-patch --passes 3 --json
expect_rc 0; expect_json 'd["zones"][0]["name"] == "my-patch" and abs(d["area_cm2"] - 6) < 1e-9'
sed -i 's/"70 mm, 80 mm"/"70 mm, 80"/' "$TMPD/z.yaml"
run roll --zones "$TMPD/z.yaml" --zone my-patch
expect_rc 1; expect_err "z.yaml:3:5"; expect_err "outline[2]"

# Usage errors exit 2; unknown names exit 1.
for bad in "--passes 0" "--passes x" "--passes 401" "--pattern spiral" "--overlap 2" \
           "--area 5" "--area 0x0" "--map out.jpg" "--zone chin --area 2x2cm" "--bogus 1" \
           "--seed -1" "--jitter some" "--target-coverage 2" "--compare-patterns" \
           "--lateral-jitter 2" "--speed 20" "--threads 0" "--pressure soft" \
           "--passes 4 --passes-per-direction 2" "--map-mode dots --map a.png" "--device"; do
  # shellcheck disable=SC2086
  run roll $bad
  expect_rc 2
done
run roll --pattern spiral;   expect_err "patterns: vertical"
run roll --zone elbow;       expect_rc 1; expect_err "no zone or group named 'elbow'"
run roll --device roller-9;  expect_rc 1; expect_err "no device named"
run roll --site elbow --area 2x2cm; expect_rc 1; expect_err "no site named"
# The shared option parser: --opt=value, and -- ends the options; a usage
# error names the option.
run roll --device=stamp-35-1.0mm --area="3 cm x 3 cm" --passes=1 --json --
expect_rc 0; expect_json 'd["type"] == "stamp" and abs(d["area_cm2"] - 9) < 1e-9 and d["passes"] == 1'
run roll --passes 1 -- extra; expect_rc 2; expect_err "unexpected argument 'extra'"
run roll --bogus 1;          expect_rc 2; expect_err "unknown option '--bogus'"
run roll --bogus=1;          expect_rc 2; expect_err "unknown option '--bogus=1'"
run roll --device;           expect_rc 2; expect_err "--device needs a value"
run roll --overlap 95%;      expect_rc 2; expect_err "--overlap: '95%' is outside 0-0.9"
run roll --passes=401;       expect_rc 2; expect_err "--passes must be a whole number from 1 to 400, not '401'"
run roll --force=yes;        expect_rc 2; expect_err "--force takes no value"
finish
