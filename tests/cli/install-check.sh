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
# A program compiled against the installed library through pkg-config.
cat > "$prefix/t.c" <<'C'
#include <mnsim/mnsim.h>
#include <stdio.h>
int main(void) { mn_error e; mn_error_set(&e, MN_EINVAL, "x"); printf("%s %s\n", mn_version(), mn_strerror(e.code)); return 0; }
C
PKG_CONFIG_PATH=$(dirname "$pc") cc "$prefix/t.c" -o "$prefix/t" $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs --static mnsim) -fopenmp || fail "cannot build against mnsim.pc"
LD_LIBRARY_PATH=$(dirname "$(dirname "$pc")") "$prefix/t" | grep -q "invalid value" || fail "linked program failed"
echo "install ok: $prefix"
