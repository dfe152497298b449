#!/usr/bin/env bash
# The shared option parser (src/cli/opts.c) on heal, plan and journal:
# --opt=value is --opt value, after -- nothing is an option, and usage
# errors name the option, what was given and what is accepted.
. "$(dirname "$0")/lib.sh"

same_as() {  # the last output equals the file $1
  checks=$((checks + 1)); cmp -s "$OUT" "$1" || fail "output differs from $1"
}

# heal
run heal --device roller-192-1.5mm --site cheek --sessions 4 --interval "4 weeks" --json
expect_rc 0; cp "$OUT" "$TMPD/heal.json"
run heal --device=roller-192-1.5mm --site=cheek --sessions=4 "--interval=4 weeks" --json
expect_rc 0; same_as "$TMPD/heal.json"
run heal --device roller-192-1.5mm --site cheek --sessions 2 -- --force; expect_rc 2; expect_err "unexpected argument '--force'"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --bogus;    expect_rc 2; expect_err "unknown option '--bogus'"
run heal --device roller-192-1.5mm --site cheek --sessions=0;          expect_rc 2; expect_err "--sessions must be a whole number from 1 to 200, not '0'"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --seed=-1; expect_rc 2; expect_err "--seed must be a whole number from 0 to 2^64-1, not '-1'"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --interval "3 years"; expect_rc 2; expect_err "--interval: '3 years' is outside 1 h to 2 years"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --start 2027-01-04T10:00; expect_rc 2; expect_err "--start: '2027-01-04T10:00' is not a date like 2027-01-04"
run heal --device roller-192-1.5mm --site cheek --sessions;            expect_rc 2; expect_err "--sessions needs a value"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --force=yes; expect_rc 2; expect_err "--force takes no value"

# plan
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --json
expect_rc 0; cp "$OUT" "$TMPD/plan.json"
run plan --indication=acne-scars --zones=cheeks --start=2027-01-04 --json
expect_rc 0; same_as "$TMPD/plan.json"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --output="$TMPD/p1.yaml"; expect_rc 0
run plan --indication acne-scars --zones cheeks --start 2027-01-04 -o "$TMPD/p2.yaml"; expect_rc 0
checks=$((checks + 1)); cmp -s "$TMPD/p1.yaml" "$TMPD/p2.yaml" || fail "-o and --output= differ"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 -- extra; expect_rc 2; expect_err "unexpected argument 'extra'"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --bogus;  expect_rc 2; expect_err "unknown option '--bogus'"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --setting spa; expect_rc 2; expect_err "--setting must be home or clinic, not 'spa'"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --sex=x;  expect_rc 2; expect_err "--sex must be female or male, not 'x'"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 --fitzpatrick 9; expect_rc 2; expect_err "--fitzpatrick must be a whole number from 1 to 6, not '9'"
run plan --indication acne-scars --zones cheeks --start 2027-02-30;          expect_rc 2; expect_err "--start: '2027-02-30' is not a date like 2027-01-04"
run plan --indication acne-scars --zones cheeks --start 2027-01-04 -o;       expect_rc 2; expect_err "--output needs a value"

# journal: record values are options too (--needle-length=VALUE)
DB="$TMPD/j.db"
run journal init --db="$DB";                                            expect_rc 0
run journal add person --db="$DB" --code=P1 --sex=female;               expect_rc 0; expect_out "added person 1"
run journal add session --db "$DB" --person=P1 --at=2027-01-04 "--needle-length=1 mm" --zones=cheek
expect_rc 0; expect_out "added session 1"
run journal --db "$DB" -- list session;                                 expect_rc 0; expect_out "session 1: person=P1"
run journal next P1 --db "$DB" --on 2027-01-10 --json;                   expect_rc 0; cp "$OUT" "$TMPD/next.json"
run journal next P1 --db="$DB" --on=2027-01-10 --json;                   expect_rc 0; same_as "$TMPD/next.json"
expect_json 'd["zones"][0]["zone"] == "cheek" and d["zones"][0]["next_due"] == "2027-02-01"'
run journal list --db "$DB" --yes=1;          expect_rc 2; expect_err "--yes takes no value"
run journal list a b c d --db "$DB";          expect_rc 2; expect_err "unexpected argument 'd'"
run journal list --db;                        expect_rc 2; expect_err "--db needs a value"
run journal list -x --db "$DB";               expect_rc 2; expect_err "unknown option '-x'"
run journal list --db "$DB" --pain 3;         expect_rc 2; expect_err "unknown option --pain for journal list"
run journal next P1 --db "$DB" --on 2027-02-30; expect_rc 2; expect_err "--on: '2027-02-30' is not a date like 2027-01-04"
finish
