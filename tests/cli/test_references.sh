#!/usr/bin/env bash
# The full reference of every publication a finding cites: after the
# findings of mnsim check (and in its JSON), and in the Sources of
# report.html.
. "$(dirname "$0")/lib.sh"

run check examples/seed-protocol.yaml; expect_rc 1
expect_err "references:"; expect_err "[kalluri2011] Kalluri H, Kolli CS, Banga AK."
run check examples/seed-protocol.yaml --json; expect_rc 1
expect_json 'd["references"]["harris2015"].startswith("Harris AG, Naidoo C, Murrell DF.")'
expect_json 'all(v for v in d["references"].values())'
run check data/devices.yaml; expect_rc 0; expect_no_out "references:"
run run examples/acne-scars.yaml -o "$TMPD/r" --samples 2 --no-delivery; expect_rc 0
checks=$((checks + 1))
grep -q '<li>\[harris2015\] Harris AG' "$TMPD/r/report.html" || fail "report.html lacks the full references"
finish
