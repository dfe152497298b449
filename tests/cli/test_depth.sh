#!/usr/bin/env bash
# mnsim depth: the issue's done-when cases, JSON, figure, bad options.
. "$(dirname "$0")/lib.sh"

# A 1.5 mm roller on the cheek: well under 1.5 mm, in the dermis, bleeding likely.
run depth --device roller-192-1.5mm --site cheek --json; expect_rc 0
expect_json 'd["sites"][0]["site"] == "cheek"'
expect_json '300 < d["sites"][0]["depth_um"] < 1200'
expect_json 'd["sites"][0]["layer"] in ("papillary dermis", "reticular dermis")'
expect_json 'd["sites"][0]["bleeding_likely"] and d["sites"][0]["anaesthesia_advised"]'
run depth --device roller-192-1.5mm --site cheek; expect_rc 0; expect_out "cheek"; expect_out "likely"
# A 0.25 mm roller: no bleeding.
run depth --device roller-192-0.25mm --site cheek --json; expect_rc 0
expect_json 'd["sites"][0]["bleeding_fraction"] < 0.01 and not d["sites"][0]["bleeding_likely"]'
# All sites; deeper with firmer pressure; the eyelid warning for long needles.
run depth --device roller-192-2.5mm --json; expect_rc 0
expect_json 'len(d["sites"]) == 18'
expect_json '[s for s in d["sites"] if s["site"] == "periorbital"][0]["beyond_dermis_warning"]'
run depth --device roller-192-1.0mm --site cheek --pressure firm --json; expect_rc 0
firm=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sites"][0]["depth_um"])' "$OUT")
run depth --device roller-192-1.0mm --site cheek --pressure "2 N" --json; expect_rc 0
expect_json "d['sites'][0]['depth_um'] < $firm and d['force_n'] == 2"
run depth --device pen-12-0.25-2.5mm --site forehead; expect_rc 0; expect_out "forehead"
# Figure: a non-empty PNG; refuses to overwrite without --force.
run depth --device roller-192-1.5mm --site cheek --figure "$TMPD/cheek.png"; expect_rc 0
checks=$((checks + 1)); [ -s "$TMPD/cheek.png" ] && head -c 8 "$TMPD/cheek.png" | grep -q PNG || fail "no PNG written"
run depth --device roller-192-1.5mm --site cheek --figure "$TMPD/cheek.png"; expect_rc 1; expect_err "use --force"
run depth --device roller-192-1.5mm --site cheek --figure "$TMPD/cheek.png" --force; expect_rc 0
run depth --device roller-192-1.5mm --site cheek --figure "$TMPD/cheek.svg"; expect_rc 0
checks=$((checks + 1)); grep -q '<svg' "$TMPD/cheek.svg" || fail "no SVG written"
# Usage errors and failures.
run depth;                                         expect_rc 2; expect_err "needs --device"
run depth --device roller-192-1.5mm --pressure hard; expect_rc 2; expect_err "--pressure"
run depth --device roller-192-1.5mm --pressure "500 N"; expect_rc 2
run depth --device roller-192-1.5mm --figure x.png; expect_rc 2; expect_err "give --site"
run depth --device roller-192-1.5mm --site cheek --figure x.pdf; expect_rc 2
run depth --device roller-192-1.5mm --bogus;       expect_rc 2
run depth --device nosuch --site cheek;            expect_rc 1; expect_err "no device named"
run depth --device roller-192-1.5mm --site elbow;  expect_rc 1; expect_err "no site named"
finish
