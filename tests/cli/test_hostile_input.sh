#!/usr/bin/env bash
# Hostile and malformed input through the commands that read it (docs/cli.md,
# "Input limits"): each problem reported once, at its line; a second YAML
# document, a duplicate key, too many session dates refused by check, run
# and journal import alike; long messages cut after a whole word.
. "$(dirname "$0")/lib.sh"

# A syntax error is reported once (the limits' pass over the text does not
# report it again).
run check tests/bad/syntax-error.yaml; expect_rc 1
checks=$((checks + 1)); [ "$(grep -c 'YAML syntax' "$ERR")" -eq 1 ] || fail "syntax error reported $(grep -c 'YAML syntax' "$ERR") times"

# A second document is not ignored, by check or run.
{ cat examples/acne-scars.yaml; printf -- '---\nkind: protocol\n'; } >"$TMPD/two.yaml"
run check "$TMPD/two.yaml"; expect_rc 1; expect_err "two.yaml:36:1: a second YAML document ('---') starts here"
run run "$TMPD/two.yaml" -o "$TMPD/out"; expect_rc 1; expect_err "a second YAML document ('---') starts here"

# 201 session dates: check and run refuse them at once.
python3 tests/bad/limit-dates.gen >"$TMPD/dates.yaml"
run run "$TMPD/dates.yaml" -o "$TMPD/out2"; expect_rc 1; expect_err "sessions.dates: 201 items, more than the 200 allowed"
checks=$((checks + 1)); [ ! -e "$TMPD/out2/results.json" ] || fail "results written for a refused protocol"

# A duplicate key in a journal export: the import's reader is the same.
DB="$TMPD/j.db"
run journal init --db "$DB"; expect_rc 0
printf '{"mnsim_journal": 1, "person": [{"id": 1, "code": "P1", "code": "P2"}]}\n' >"$TMPD/dup.json"
run journal import "$TMPD/dup.json" --db "$DB"; expect_rc 1; expect_err "dup.json:1:58: person[0]: duplicate key 'code' (first at line 1)"
printf '{"mnsim_journal": 1}\n---\n{"mnsim_journal": 1}\n' >"$TMPD/two.json"
run journal import "$TMPD/two.json" --db "$DB"; expect_rc 1; expect_err "a second YAML document ('---') starts here"
printf '{"mnsim_journal": 1, "person": [{"id": 99999999999999999999, "code": "P1"}]}\n' >"$TMPD/big.json"
run journal import "$TMPD/big.json" --db "$DB"; expect_rc 1; expect_err "person[0].id: 99999999999999999999 is outside the range of whole numbers"
printf '{"mnsim_journal": "1x"}\n' >"$TMPD/ver.json"
run journal import "$TMPD/ver.json" --db "$DB"; expect_rc 1; expect_err "no supported mnsim_journal version"
run journal import tests/fuzz/seeds/journal-export.json --db "$DB"; expect_rc 0

# Too many problems: the first 199 and a line that says more were found.
python3 -c 'print("kind: device"); [print(f"k{i}: 1") for i in range(900)]' >"$TMPD/many.yaml"
run check "$TMPD/many.yaml"; expect_rc 1; expect_err "more problems were found; mnsim lists the first 199"
checks=$((checks + 1)); [ "$(wc -l <"$ERR")" -le 201 ] || fail "$(wc -l <"$ERR") lines of problems"

# A message longer than 1,023 bytes ends in "..." after a whole word (it
# was cut at 511 bytes, mid-word): the unknown key of healing parameters
# lists all 49 allowed keys.
printf 'kind: healing\nparameters:\n  zzzzzzzzzzzz: 1\n' >"$TMPD/h.yaml"
run check "$TMPD/h.yaml"; expect_rc 1
msg=$(grep "unknown key 'zzzzzzzzzzzz'" "$ERR" | head -n 1 | sed 's/^error: [^ ]* //')
checks=$((checks + 1)); case $msg in *[a-z_]...) ;; *) fail "long message does not end in a word and '...': ${msg: -40}" ;; esac
checks=$((checks + 1)); [ ${#msg} -lt 1024 ] && [ ${#msg} -gt 900 ] || fail "long message of ${#msg} bytes"
last=${msg%...}; last=${last##* }; last=${last%,}
checks=$((checks + 1)); grep -q "^  $last:" data/healing.yaml || fail "'$last' is not a whole key of data/healing.yaml"
finish
