#!/usr/bin/env bash
# The API reference (docs/Doxyfile, `make docs`): Doxygen must find the
# documentation of every public function and report no documentation error.
# Undocumented struct members, enum values and macros are allowed.
#   check-doxygen.sh SOURCE_DIR WORK_DIR
set -eu
src=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
command -v doxygen > /dev/null || fail "doxygen is not installed (scripts/install-deps docs)"
rm -rf "$work"
mkdir -p "$work"
log=$work/warnings.log
(cd "$src" && { cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $work"; echo "WARN_LOGFILE = $log"; } |
  doxygen -) || fail "doxygen failed"
undocumented=$(grep '(function) of file .* is not documented' "$log" || true)
[ -z "$undocumented" ] || fail "public functions without documentation:
$undocumented"
other=$(grep -v 'is not documented\.$' "$log" || true)
[ -z "$other" ] || fail "documentation errors:
$other"
# The plain C comments of the headers reached the pages (docs/doxygen-filter.py).
html=$work/html
[ -f "$html/index.html" ] || fail "no index.html"
grep -q 'Run the course c' "$html/course__run_8h.html" || fail "mn_course_run's comment is not in the reference"
grep -q 'Thread safety' "$html/depth_8h.html" || fail "depth.h's opening comment is not in the reference"
n=$(grep -l 'floor: ' "$html"/*_8h.html | wc -l)
headers=$(ls "$src"/include/mnsim/*.h | wc -l)
[ "$n" -ge $((headers - 1)) ] || fail "only $n of $headers headers have their opening comment in the reference"
echo "docs ok: $html/index.html"
