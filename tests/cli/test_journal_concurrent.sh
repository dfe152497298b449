#!/usr/bin/env bash
# mnsim journal: two processes adding sessions to one journal at the same
# time all succeed (the busy timeout is set before the first statement of
# an opening, which reads the schema while the other may be writing).
. "$(dirname "$0")/lib.sh"
DB="$TMPD/j.db"
n=100
[ -n "${MNSIM_WRAP:-}" ] && n=10   # under valgrind: fewer, as slow
run journal init --db "$DB";                   expect_rc 0
run journal add person --db "$DB" --code P001; expect_rc 0
writer() {
  for i in $(seq "$n"); do
    ${MNSIM_WRAP:-} "$MNSIM" journal add session --db "$DB" --person P001 \
      --at 2027-01-04T10:00 --needle-length "0.5 mm" --zones cheek --notes "writer $1 item $i" \
      >/dev/null 2>>"$TMPD/errors-$1" || echo "writer $1 item $i failed" >>"$TMPD/failed"
  done
}
writer 1 & writer 2 &
wait
LAST="two writers of $n sessions each"
checks=$((checks + 1))
[ ! -s "$TMPD/failed" ] || fail "$(wc -l <"$TMPD/failed") of $((2 * n)) adds failed: $(sort "$TMPD"/errors-* | uniq -c)"
run journal list session --db "$DB" --json; expect_rc 0
expect_json "len(d['session']) == 2 * $n"
run journal check --db "$DB"; expect_rc 0
finish
