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
run heal --device roller-192-1.5mm --site cheek --sessions 2 --seed=-1; expect_rc 2; expect_err "--seed must be a whole number from 0 to 9223372036854775807, not '-1'"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --interval "3 years"; expect_rc 2; expect_err "--interval: '3 years' is outside 1 h to 2 years"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --start 2027-01-04T10:00; expect_rc 2; expect_err "--start: '2027-01-04T10:00' is not a date like 2027-01-04"
run heal --device roller-192-1.5mm --site cheek --sessions;            expect_rc 2; expect_err "--sessions needs a value"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --force=yes; expect_rc 2; expect_err "--force takes no value"

# Every number through the one parser (src/cli/opts.c): nothing empty, no
# blank, '+', exponent, hexadecimal or trailing junk, no overflow, no
# negative where the range has none; the message says the range.
SEED_RANGE="--seed must be a whole number from 0 to 9223372036854775807"
for bad in '' ' 5' '5 ' '+5' '5x' '1e3' '0x10' '-1' '9223372036854775808' '18446744073709551615' '99999999999999999999999'; do
  run heal --device roller-192-1.5mm --site cheek --sessions 2 --seed "$bad"; expect_rc 2; expect_err "$SEED_RANGE, not '$bad'"
done
for cmd in "roll --area 4cmx4cm" "run examples/acne-scars.yaml -o $TMPD/r" "validate --model depth" "deliver --compound caffeine --intact"; do
  run $cmd --seed ''; expect_rc 2; expect_err "$SEED_RANGE, not ''"
  run $cmd --seed=-0x1; expect_rc 2; expect_err "$SEED_RANGE, not '-0x1'"
done
for bad in '' ' 2' '+2' '2.0' '2 ' '0' '-3' '201' '9223372036854775808'; do
  run heal --device roller-192-1.5mm --site cheek --sessions "$bad"; expect_rc 2
  expect_err "--sessions must be a whole number from 1 to 200, not '$bad'"
done
run roll --area 4cmx4cm --threads ' 4'; expect_rc 2; expect_err "--threads must be a whole number from 1 to 1024, not ' 4'"
run roll --area 4cmx4cm --passes -3;   expect_rc 2; expect_err "--passes must be a whole number from 1 to"
run deliver --compound caffeine --device roller-192-1.0mm --passes=''; expect_rc 2; expect_err "--passes must be a whole number from 1 to 400, not ''"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --interval ''; expect_rc 2; expect_err "--interval: '' is not a number"
run heal --device roller-192-1.5mm --site cheek --sessions 2 --interval "0x10 days"; expect_rc 2; expect_err "hexadecimal numbers are not accepted"
run deliver --compound caffeine --intact --time "1e999 min"; expect_rc 2; expect_err "--time: '1e999 min' is not a finite number"
for bad in '' 0x10 inf nan 0 -5 '250 /cm3' '5e6'; do
  run roll --area 4cmx4cm --target-density "$bad"; expect_rc 2; expect_err "--target-density: '"
done
# The largest seed is written exactly, and seed 0 is seed 0 (run took it for
# "the protocol's", deliver for 1). Simulations: not under valgrind (minutes
# there, and make sanitize runs them).
if [ -z "${MNSIM_WRAP:-}" ]; then
run heal --device roller-192-1.5mm --site cheek --sessions 2 --seed 9223372036854775807 --json
expect_rc 0; expect_json 'd["seed"] == 9223372036854775807'
run roll --area 4cmx4cm --pattern vertical --jitter none --seed 9223372036854775807 --json
expect_rc 0; expect_json 'd["seed"] == 9223372036854775807'
run run examples/acne-scars.yaml -o "$TMPD/seed0" --seed 0 --no-delivery --samples 0 --json
expect_rc 0; expect_json 'd["seed"] == 0'
run run examples/acne-scars.yaml -o "$TMPD/seed42" --no-delivery --samples 0 --json
expect_rc 0; expect_json 'd["seed"] == 42'
run deliver --compound caffeine --device roller-192-1.0mm --patch "0.6 mm" --grid coarse --time "1 min" --seed 0 --json
expect_rc 0; expect_json 'd["device"]["seed"] == 0'
fi
# SOURCE_DATE_EPOCH (plan --ics) is a number too
SOURCE_DATE_EPOCH=12x run plan --indication acne-scars --zones cheeks --start 2027-01-04 --ics "$TMPD/p.ics"
expect_rc 1; expect_err "SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to 9223372036854775807, not '12x'"

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
for bad in '' x 0 ' 1' '+1' 1x 9223372036854775808; do
  run journal show session "$bad" --db "$DB"; expect_rc 2
  expect_err "a record id must be a whole number from 1 to 9223372036854775807, not '$bad'"
done
run journal show session 1 --db "$DB"; expect_rc 0
for bad in '' ' 3' '+3' 3x 99999999999999999999; do  # record values: the journal's own parser, as strict
  run journal edit session 1 --pain "$bad" --db "$DB"; expect_rc 1; expect_err "pain: '$bad' is not a whole number"
done
finish
