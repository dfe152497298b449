#!/usr/bin/env bash
# Output files: every file mnsim writes is written whole or not at all, and
# only over a regular file. --force never turns a device, a FIFO or a
# symbolic link into a regular file; a figure into a missing folder is an
# mnsim error (PLplot prints nothing and does not end the program); a full
# disk (here a file size limit) leaves no truncated PNG behind.
. "$(dirname "$0")/lib.sh"

is_fifo() { checks=$((checks + 1)); [ -p "$1" ] || fail "$1 is no longer a FIFO"; }
no_temp() {  # nothing left behind in a folder: no *.tmp-*, no staging folder
  checks=$((checks + 1))
  ! ls -A "$1" | grep -qE '\.tmp-|\.mnsim-stage-' || fail "temporary files left in $1: $(ls -A "$1")"
}
one_error_line() {  # stderr is one mnsim error, nothing from PLplot
  checks=$((checks + 1))
  [ "$(wc -l < "$ERR")" -eq 1 ] && grep -q '^mnsim: error: ' "$ERR" || fail "stderr is not one mnsim error"
  checks=$((checks + 1)); ! grep -qiE "can't open|plplot|aborted" "$ERR" || fail "PLplot printed"
}

ROLL=(roll --device roller-192-1.5mm --zone left-cheek)
HEAL=(heal --device roller-192-1.5mm --site cheek --sessions 2 --interval "4 weeks")
DEPTH=(depth --device roller-192-1.5mm --site cheek)
DELIVER=(deliver --compound niacinamide --intact --time "5 min" --site forehead)
PLAN=(plan --indication acne-scars --zones cheeks --start 2027-01-04)

# A device stays a device, with --force (as root the old code replaced
# /dev/null with a regular file). Never tried on the real /dev/null: a
# regression would break the machine. As root, a private copy of it (the
# same device numbers) in the test's folder; otherwise the FIFOs below.
if [ "$(id -u)" -eq 0 ] && mknod "$TMPD/null" c 1 3 2>/dev/null; then
  run "${ROLL[@]}" --csv "$TMPD/null" --force; expect_rc 1; expect_err "$TMPD/null is a character device"
  checks=$((checks + 1)); [ -c "$TMPD/null" ] || fail "$TMPD/null is no longer a character device"
  run "${HEAL[@]}" --csv "$TMPD/null" --force; expect_rc 1; expect_err "is a character device"
  run "${PLAN[@]}" -o "$TMPD/null" --force;    expect_rc 1; expect_err "is a character device"
  checks=$((checks + 1)); [ -c "$TMPD/null" ] || fail "$TMPD/null is no longer a character device"
fi

# A FIFO (any user can make one) at every kind of output, with --force.
F="$TMPD/fifo"; mkdir "$F"
for name in roll.csv map.png heal.csv heal.png depth.png deliver.csv deliver.png plan.yaml plan.ics fit.yaml; do
  mkfifo "$F/$name"
done
run "${ROLL[@]}" --csv "$F/roll.csv" --force;       expect_rc 1; expect_err "$F/roll.csv is a FIFO"
run "${ROLL[@]}" --map "$F/map.png" --force;        expect_rc 1; expect_err "$F/map.png is a FIFO"
run "${HEAL[@]}" --csv "$F/heal.csv" --force;       expect_rc 1; expect_err "$F/heal.csv is a FIFO"
run "${HEAL[@]}" --figure "$F/heal.png" --force;    expect_rc 1; expect_err "$F/heal.png is a FIFO"
run "${DEPTH[@]}" --figure "$F/depth.png" --force;  expect_rc 1; expect_err "$F/depth.png is a FIFO"
run "${DELIVER[@]}" --csv "$F/deliver.csv" --force; expect_rc 1; expect_err "$F/deliver.csv is a FIFO"
run "${DELIVER[@]}" --figure "$F/deliver.png" --force; expect_rc 1; expect_err "$F/deliver.png is a FIFO"
run "${PLAN[@]}" -o "$F/plan.yaml" --force;         expect_rc 1; expect_err "$F/plan.yaml is a FIFO"
run "${PLAN[@]}" --ics "$F/plan.ics" --force;       expect_rc 1; expect_err "$F/plan.ics is a FIFO"
run fit --params collagen_i_synthesis_per_day -o "$F/fit.yaml" --force; expect_rc 1; expect_err "$F/fit.yaml is a FIFO"
run "${ROLL[@]}" --csv "$F/roll.csv";               expect_rc 1; expect_err "is a FIFO"   # without --force too
for name in roll.csv map.png heal.csv heal.png depth.png deliver.csv deliver.png plan.yaml plan.ics fit.yaml; do
  is_fifo "$F/$name"
done
no_temp "$F"

# The journal's CSV export replaces its own files, never a FIFO.
run journal init --db "$TMPD/j.db"; expect_rc 0
mkdir "$TMPD/jcsv"; mkfifo "$TMPD/jcsv/session.csv"
run journal export --db "$TMPD/j.db" --format csv -o "$TMPD/jcsv"; expect_rc 1; expect_err "session.csv is a FIFO"
is_fifo "$TMPD/jcsv/session.csv"; no_temp "$TMPD/jcsv"

# A symbolic link is never written through nor replaced.
L="$TMPD/link"; mkdir "$L"; echo kept > "$L/target"
for name in roll.csv heal.csv depth.png plan.ics; do ln -s target "$L/$name"; done
run "${ROLL[@]}" --csv "$L/roll.csv" --force;      expect_rc 1; expect_err "$L/roll.csv is a symbolic link"
run "${HEAL[@]}" --csv "$L/heal.csv" --force;      expect_rc 1; expect_err "symbolic link"
run "${DEPTH[@]}" --figure "$L/depth.png" --force; expect_rc 1; expect_err "symbolic link"
run "${PLAN[@]}" --ics "$L/plan.ics" --force;      expect_rc 1; expect_err "symbolic link"
for name in roll.csv heal.csv depth.png plan.ics; do
  checks=$((checks + 1)); [ -L "$L/$name" ] || fail "$L/$name is no longer a link"
done
checks=$((checks + 1)); [ "$(cat "$L/target")" = kept ] || fail "written through a link"
no_temp "$L"

# A regular file is still replaced with --force, and refused without it.
run "${ROLL[@]}" --csv "$TMPD/r.csv";         expect_rc 0
run "${ROLL[@]}" --csv "$TMPD/r.csv";         expect_rc 1; expect_err "exists; use --force"
run "${ROLL[@]}" --csv "$TMPD/r.csv" --force; expect_rc 0

# Figures into a missing folder: one clear mnsim error, exit 1, nothing from
# PLplot, and the program is not ended by PLplot.
M="$TMPD/missing/sub"
run "${DEPTH[@]}" --figure "$M/d.png";   expect_rc 1; expect_err "$M/d.png: cannot write: the folder $M does not exist"; one_error_line
run "${HEAL[@]}" --figure "$M/h.png";    expect_rc 1; expect_err "does not exist"; one_error_line
run "${ROLL[@]}" --map "$M/m.png";       expect_rc 1; expect_err "does not exist"; one_error_line
run "${DELIVER[@]}" --figure "$M/x.svg"; expect_rc 1; expect_err "does not exist"; one_error_line
run "${DELIVER[@]}" --csv "$M/x.csv";    expect_rc 1; expect_err "does not exist"; one_error_line

# A full disk half way through: an error, no truncated file, no temporary
# file, and the old file as it was.
D="$TMPD/full"; mkdir "$D"; echo old > "$D/d.png"
limited() { ( trap '' XFSZ; ulimit -f 16; ${MNSIM_WRAP:-} "$MNSIM" "$@" ) >"$OUT" 2>"$ERR"; RC=$?; LAST="mnsim $* (16 KiB file limit)"; }
limited "${DEPTH[@]}" --figure "$D/d.png" --force; expect_rc 1; expect_err "not written whole"
limited "${DEPTH[@]}" --figure "$D/new.svg";       expect_rc 1; expect_err "not written whole"
limited "${ROLL[@]}" --csv "$D/r.csv";             expect_rc 1; expect_err "$D/r.csv: cannot write"
checks=$((checks + 1)); [ "$(cat "$D/d.png")" = old ] || fail "the old figure was replaced by a broken one"
checks=$((checks + 1)); [ ! -e "$D/new.svg" ] && [ ! -e "$D/r.csv" ] || fail "a truncated file was left"
no_temp "$D"
finish
