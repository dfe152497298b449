#!/usr/bin/env bash
# The programs of examples/c (the public API only, linked with
# libmnsim.so) against the command: each must print what `mnsim` prints for
# the same question.
#   check-examples.sh NAME EXAMPLES_DIR MNSIM SOURCE_DIR
set -eu
name=$1 bin=$2 mnsim=$3 src=$4
data=$src/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $name: $*"; exit 1; }
# value KEY FILE: the rest of the line "KEY value" of an example's output
value() { sed -n "s/^$1 //p" "$2"; }

case $name in
depth)
  for pair in roller-192-1.5mm:cheek roller-192-0.5mm:forehead stamp-35-1.0mm:scalp; do
    dev=${pair%%:*} site=${pair#*:}
    "$bin/depth" "$data" "$dev" "$site" > "$tmp/out" || fail "depth $dev $site failed"
    grep -q "^$dev at $site (female, light pressure" "$tmp/out" || fail "no heading: $(cat "$tmp/out")"
    "$mnsim" --json depth --device "$dev" --site "$site" > "$tmp/cli.json"
    python3 - "$tmp/cli.json" "$(value depth_um "$tmp/out")" "$(value layer "$tmp/out")" \
      "$(value bleeding "$tmp/out")" "$(value width_um "$tmp/out")" <<'PY' || fail "$dev at $site differs from mnsim depth"
import json, sys
s = json.load(open(sys.argv[1]))["sites"][0]
depth, layer, bleeding, width = sys.argv[2:]
want = (f"{s['depth_um']:.0f}", s["layer"] if s["punctured"] else "not punctured",
        f"{100 * s['bleeding_fraction']:.0f}%", f"{s['width_um']:.0f}")
got = (depth, layer, bleeding, width)
if got != want:
    sys.exit(f"example {got}, mnsim depth {want}")
PY
  done
  # A wrong name is an error with the library's message, not a crash.
  if "$bin/depth" "$data" roller-192-9mm cheek > /dev/null 2> "$tmp/err"; then
    fail "an unknown device was accepted"
  fi
  grep -q "roller-192-9mm" "$tmp/err" || fail "no message for an unknown device: $(cat "$tmp/err")"
  ;;
roll)
  "$bin/roll" "$data" > "$tmp/out" || fail "roll failed"
  "$mnsim" --json roll --device roller-192-1.5mm --zone cheeks --pattern four-direction \
    --passes 16 > "$tmp/cli.json"
  python3 - "$tmp/cli.json" "$tmp/out" <<'PY' || fail "the session differs from mnsim roll"
import json, sys
cli = json.load(open(sys.argv[1]))
rows, table = {}, False
for line in open(sys.argv[2]):
    f = line.split()
    if f and f[0] == "total":
        break
    if table:
        rows[f[0]] = f[1:]
    table = table or (f and f[0] == "zone")
if sorted(rows) != sorted(z["name"] for z in cli["zones"]):
    sys.exit(f"zones {sorted(rows)}")
for z in cli["zones"]:
    want = [f"{z['area_cm2']:.1f}", str(z["punctures"]), f"{z['density_per_cm2']:.1f}",
            f"{z['density_cv']:.2f}", f"{z['coverage']:.3f}", f"{z['nn_mean_mm']:.3f}",
            f"{z['depth_um']:.0f}"]
    if rows[z["name"]] != want:
        sys.exit(f"{z['name']}: example {rows[z['name']]}, mnsim roll {want}")
if cli["punctures"] < 40000:
    sys.exit("too few punctures")
PY
  ;;
course)
  protocol=$src/examples/acne-scars.yaml
  "$bin/course" "$data" "$protocol" > "$tmp/out" || fail "course failed"
  (cd "$src" && "$mnsim" run "$protocol" -o "$tmp/run") > "$tmp/cli" 2> /dev/null || fail "mnsim run failed"
  # The same course: sessions, zones, punctures, seed, safety counts...
  head -n 2 "$tmp/cli" | sed 's/:.*this course.*//' > "$tmp/cli-head"
  head -n 2 "$tmp/out" > "$tmp/out-head"
  diff "$tmp/cli-head" "$tmp/out-head" || fail "the course differs from mnsim run"
  # ...and for each zone, the channel depth and the collagen at 6 months.
  n=0
  while read -r zone _ depth _ _ _ _ _ collagen _; do
    [ "$(awk -v z="$zone" '$1 == z { print $2, $5 }' "$tmp/out")" = "$depth $collagen" ] ||
      fail "$zone: mnsim run says $depth um, $collagen at 6 months; the example: $(grep "^$zone " "$tmp/out")"
    n=$((n + 1))
  done < <(sed -n 's/^  \([a-z-]*\) *channels *\([0-9]*\) um, collagen at 6 months \([-+0-9]*%\).*/\1 x \2 x x x x x \3 x/p' "$tmp/cli")
  [ "$n" -eq 2 ] || fail "expected 2 zones in mnsim run's summary, found $n"
  grep -q "^delivery cases: 2$" "$tmp/out" || fail "no delivery cases: $(cat "$tmp/out")"
  # A protocol that does not read is reported, not a crash.
  if "$bin/course" "$data" "$src/tests/bad/protocol-unknown-compound.yaml" > /dev/null 2> "$tmp/err"; then
    fail "a bad protocol was accepted"
  fi
  grep -q "error" "$tmp/err" || fail "no message for a bad protocol"
  ;;
*) fail "no example $name" ;;
esac
echo "example $name ok"
