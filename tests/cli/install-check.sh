#!/usr/bin/env bash
# Install into a fresh prefix and check the installed pieces work there.
set -eu
build=$1 prefix=$2
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" > /dev/null
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$prefix/bin/mnsim" ] || fail "no bin/mnsim"
[ -f "$prefix/include/mnsim/mnsim.h" ] || fail "no headers"
[ -f "$prefix/share/mnsim/devices.yaml" ] || fail "no data"
[ -f "$prefix/share/man/man1/mnsim.1" ] || fail "no man page"
[ -f "$prefix/share/mnsim/references.md" ] || fail "no bibliography"
[ -f "$prefix/share/mnsim/validation/healing.yaml" ] || fail "no validation cases"
pc=$(ls "$prefix"/lib*/pkgconfig/mnsim.pc "$prefix"/lib/*/pkgconfig/mnsim.pc 2>/dev/null | head -n 1)
[ -n "$pc" ] || fail "no mnsim.pc"
# The installed command finds its data next to itself, not in the source tree.
out=$(cd / && env -u MNSIM_DATA_DIR "$prefix/bin/mnsim" --json devices roller-192-1.5mm) || fail "installed mnsim devices failed"
echo "$out" | grep -q '"needles": 192' || fail "unexpected output: $out"
# The installed command prints the full references of the rules it cites.
src=$(cd "$(dirname "$0")/../.." && pwd)
refs=$(cd / && env -u MNSIM_DATA_DIR "$prefix/bin/mnsim" check "$src/examples/seed-protocol.yaml" 2>&1 || true)
echo "$refs" | grep -q "Kalluri H, Kolli CS, Banga AK" || fail "no full references from the installed bibliography"
# The libraries: libmnsim.so.0 -> libmnsim.so.0.1.0 (the project's
# version), libmnsim.so for the linker, and libmnsim.a.
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH=$(dirname "$pc")
version=$(pkg-config --modversion mnsim)
major=${version%%.*}
[ -f "$libdir/libmnsim.a" ] || fail "no libmnsim.a"
[ -f "$libdir/libmnsim.so.$version" ] || fail "no libmnsim.so.$version"
[ "$(readlink "$libdir/libmnsim.so.$major")" = "libmnsim.so.$version" ] || fail "libmnsim.so.$major does not point to libmnsim.so.$version"
[ "$(readlink "$libdir/libmnsim.so")" = "libmnsim.so.$major" ] || fail "libmnsim.so does not point to libmnsim.so.$major"
soname=$(readelf -d "$libdir/libmnsim.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libmnsim.so.$major" ] || fail "SONAME is '$soname', not libmnsim.so.$major (readelf)"
objdump -p "$libdir/libmnsim.so.$version" | grep -Eq "^ +SONAME +libmnsim\.so\.$major$" || fail "objdump sees no SONAME libmnsim.so.$major"
# It exports the public API (mn_*) and nothing else, and needs no C++.
nm -D --defined-only "$libdir/libmnsim.so" | awk '{print $NF}' > "$prefix/exported"
grep -q '^mn_course_run$' "$prefix/exported" || fail "libmnsim.so does not export mn_course_run"
other=$(grep -v '^mn_' "$prefix/exported" | head -n 5 || true)
[ -z "$other" ] || fail "libmnsim.so exports more than mn_*: $other"
for internal in mn_tr_cg_solve mn_roll__generate mn_heal__rhs; do
  ! grep -q "^$internal\$" "$prefix/exported" || fail "libmnsim.so exports the internal $internal"
done
readelf -d "$libdir/libmnsim.so" | grep NEEDED | grep -q 'stdc++' && fail "libmnsim.so needs libstdc++"
for flags in "--libs" "--static --libs"; do
  pkg-config $flags mnsim | grep -q 'stdc++' && fail "pkg-config $flags mnsim asks for -lstdc++: $(pkg-config $flags mnsim)"
done
# A program compiled against the installed library through pkg-config,
# both ways: shared (the default: -lmnsim finds libmnsim.so) and static
# (libmnsim.a, with what `pkg-config --static` adds; GNU ld's -l: names
# the archive, since -lmnsim would find the shared library first).
cat > "$prefix/t.c" <<'C'
#include <mnsim/mnsim.h>
#include <stdio.h>
int main(void) { mn_error e; mn_error_set(&e, MN_EINVAL, "x"); printf("%s %s\n", mn_version(), mn_strerror(e.code)); return 0; }
C
cflags=$(pkg-config --cflags mnsim)
shared_libs=$(pkg-config --libs mnsim)
static_libs=$(pkg-config --static --libs mnsim | sed 's/-lmnsim\b/-l:libmnsim.a/')
cc $cflags "$prefix/t.c" -o "$prefix/t-shared" $shared_libs || fail "cannot build against mnsim.pc (shared): cc $cflags t.c $shared_libs"
cc $cflags "$prefix/t.c" -o "$prefix/t-static" $static_libs || fail "cannot build against mnsim.pc (static): cc $cflags t.c $static_libs"
readelf -d "$prefix/t-shared" | grep -q "NEEDED.*\[libmnsim.so.$major\]" || fail "the shared program does not load libmnsim.so.$major"
readelf -d "$prefix/t-static" | grep -q "NEEDED.*libmnsim" && fail "the static program loads libmnsim.so"
LD_LIBRARY_PATH=$libdir "$prefix/t-shared" | grep -q "^$version invalid value" || fail "the shared program failed"
"$prefix/t-static" | grep -q "^$version invalid value" || fail "the static program failed"
# `pkg-config --static` names every library that any part of libmnsim.a
# needs: a program that links all of it.
cc $cflags "$prefix/t.c" -o "$prefix/t-whole" -Wl,--whole-archive -l:libmnsim.a -Wl,--no-whole-archive \
  $(pkg-config --static --libs mnsim | sed 's/-lmnsim\b//') || fail "libmnsim.a needs more than pkg-config --static --libs mnsim gives"
# The examples of examples/c, built both ways against the installed
# library, on the installed data.
datadir=$(pkg-config --variable=datadir mnsim)
[ -f "$datadir/devices.yaml" ] || fail "mnsim.pc's datadir ($datadir) has no devices.yaml"
for ex in depth roll; do
  cc $cflags "$src/examples/c/$ex.c" -o "$prefix/$ex-shared" $shared_libs || fail "cannot build examples/c/$ex.c (shared)"
  cc $cflags "$src/examples/c/$ex.c" -o "$prefix/$ex-static" $static_libs || fail "cannot build examples/c/$ex.c (static)"
done
a=$(LD_LIBRARY_PATH=$libdir "$prefix/depth-shared" "$datadir") || fail "examples/c/depth.c (shared) failed"
b=$("$prefix/depth-static" "$datadir") || fail "examples/c/depth.c (static) failed"
echo "$a" | grep -q '^layer reticular dermis$' || fail "unexpected output of depth: $a"
[ "$a" = "$b" ] || fail "the shared and static depth differ"
a=$(LD_LIBRARY_PATH=$libdir "$prefix/roll-shared" "$datadir" roller-192-0.5mm forehead 4) || fail "examples/c/roll.c (shared) failed"
b=$("$prefix/roll-static" "$datadir" roller-192-0.5mm forehead 4) || fail "examples/c/roll.c (static) failed"
echo "$a" | grep -q '^forehead ' || fail "unexpected output of roll: $a"
[ "$a" = "$b" ] || fail "the shared and static roll differ"
echo "install ok: $prefix"
