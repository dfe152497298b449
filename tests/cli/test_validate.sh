#!/usr/bin/env bash
# mnsim validate: every case of data/validation runs and passes, each with
# its role and reference; a broken case is reported, never silently skipped.
. "$(dirname "$0")/lib.sh"

if [ -n "${MNSIM_WRAP:-}" ]; then
  # Under valgrind: the cases of two models check memory; all run natively.
  run validate --model depth --samples 2; expect_rc 0
  run validate --model channel --samples 2; expect_rc 0
  finish; exit $?
fi

run validate --json --samples 10; expect_rc 0
expect_json 'len(d["cases"]) >= 20 and d["unexpected"] == 0 and d["not_run"] == 0'
expect_json 'all(c["role"] in ("calibration", "validation") for c in d["cases"])'
expect_json 'all(c["reference"] and c["as_expected"] for c in d["cases"])'
expect_json 'all(c["passed"] != ("known_discrepancy" in c) for c in d["cases"])'
expect_json 'any(c["model"] == "depth" for c in d["cases"]) and any(c["model"] == "heal" for c in d["cases"])'
# The band over virtual people holds the median person's value's neighbourhood.
expect_json 'all(c["mnsim_p5"] <= c["mnsim_p95"] for c in d["cases"] if c["mnsim_p5"] is not None)'
run validate --model depth; expect_rc 0; expect_out "kalluri2011-depth-770um"; expect_no_out "lotfi2013"
expect_out "Calibration cases were used to fit parameters"
run validate --role validation --json; expect_rc 0
expect_json 'all(c["role"] == "validation" for c in d["cases"])'
run validate --model=roll --json; expect_rc 0
expect_json 'len(d["cases"]) >= 1 and all(c["model"] == "roll" for c in d["cases"])'

# A case with an input the model does not read is not run, and fails the run.
mkdir -p "$TMPD/cases"
cat >"$TMPD/cases/bad.yaml" <<'YAML'
kind: validation
cases:
  - name: typo
    model: depth
    role: validation
    what: "a case with a typo in its inputs"
    input:
      device: roller-192-1.5mm
      site: cheek
      presure: light
    quantity: depth_um
    value: 500
    tolerance: 50
    reference: kalluri2011
YAML
run validate --cases "$TMPD/cases"; expect_rc 1; expect_out "NOTRUN"; expect_err "has no input 'presure'"
# A wrong value fails, with FAIL in the table.
sed -e 's/presure/pressure/' -e 's/value: 500/value: 5/' "$TMPD/cases/bad.yaml" >"$TMPD/cases/bad2.yaml"
rm "$TMPD/cases/bad.yaml"
run validate --cases "$TMPD/cases"; expect_rc 1; expect_out "FAIL"
# A case without a published value is a schema error at its line.
printf 'kind: validation\ncases:\n  - name: x\n    model: heal\n    role: validation\n    what: "x"\n    input: {sessions: "1"}\n    quantity: ready_days\n    tolerance: 1\n    reference: x\n' >"$TMPD/cases/bad2.yaml"
run validate --cases "$TMPD/cases"; expect_rc 1; expect_err "give the published value"
run check "$TMPD/cases/bad2.yaml"; expect_rc 1
# A stated discrepancy: failing as stated is "known" (exit 0); passing makes
# the statement stale (exit 1).
cat >"$TMPD/cases/bad2.yaml" <<'YAML'
kind: validation
cases:
  - name: known-limit
    model: depth
    role: validation
    what: "a depth the model is known to miss"
    input: {device: roller-192-1.5mm, site: cheek}
    quantity: depth_um
    value: 5
    tolerance: 1
    reference: kalluri2011
    discrepancy: "a stated limit"
YAML
run validate --cases "$TMPD/cases"; expect_rc 0; expect_out "known"; expect_out "known discrepancy known-limit"
sed -i -e 's/value: 5$/value: 800/' -e 's/tolerance: 1$/tolerance: 1000/' "$TMPD/cases/bad2.yaml"
run validate --cases "$TMPD/cases"; expect_rc 1; expect_out "STALE"
run validate --role both; expect_rc 2; expect_err "--role must be calibration or validation"
# --report: a page with a figure per model; never over earlier files without --force.
run validate --model channel --report "$TMPD/rep"; expect_rc 0
checks=$((checks + 1)); head -c 8 "$TMPD/rep/validation-channel.png" | grep -q PNG || fail "no figure"
checks=$((checks + 1)); grep -q "micropore2021-half-life-occluded" "$TMPD/rep/validation.html" && grep -q "data:image/png;base64" "$TMPD/rep/validation.html" || fail "no page"
run validate --model channel --report "$TMPD/rep"; expect_rc 1; expect_err "use --force"
expect_err "validation-channel.png, validation.html"
# All or nothing: a figure alone in the folder is not replaced either, and
# nothing else is written beside it.
mkdir "$TMPD/rep2"; cp "$TMPD/rep/validation-channel.png" "$TMPD/rep2/"
run validate --model channel --report "$TMPD/rep2"; expect_rc 1; expect_err "validation-channel.png"
checks=$((checks + 1)); [ "$(ls -A "$TMPD/rep2")" = validation-channel.png ] || fail "validate --report wrote beside an existing file"
run validate --model channel --report "$TMPD/rep" --force; expect_rc 0
checks=$((checks + 1)); ! ls -A "$TMPD/rep" | grep -qE 'mnsim-stage|\.tmp-' || fail "temporary files left in $TMPD/rep"
# docs/validation.md is the table of the shipped cases, current.
checks=$((checks + 1))
python3 "$(dirname "$0")/../../scripts/validation-table" "$MNSIM" >"$TMPD/validation.md" 2>"$TMPD/vt.err" \
  && cmp -s "$TMPD/validation.md" "$(dirname "$0")/../../docs/validation.md" \
  || fail "docs/validation.md is not current: run scripts/validation-table build/mnsim > docs/validation.md"
# docs/model.md lists the same measurements (between its markers), current.
checks=$((checks + 1))
cp "$(dirname "$0")/../../docs/model.md" "$TMPD/model.md"
python3 "$(dirname "$0")/../../scripts/validation-table" "$MNSIM" --embed "$TMPD/model.md" 2>"$TMPD/vt.err" \
  && cmp -s "$TMPD/model.md" "$(dirname "$0")/../../docs/model.md" \
  || fail "docs/model.md's list of measurements is not current: run scripts/validation-table build/mnsim --embed docs/model.md"
finish
