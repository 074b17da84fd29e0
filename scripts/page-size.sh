#!/usr/bin/env bash
# Checks that shared libraries load on devices with 16 KB memory pages (Android 15+, required by
# Google Play for arm64-v8a and x86_64): every LOAD segment of each ELF file must be aligned to at
# least 16 KB (0x4000), which `-z max-page-size=16384` at link time gives.
#
#   bash scripts/page-size.sh LIB.so...
#
# Reads the program headers with llvm-readelf -lW (binutils' readelf when absent). Prints each
# library's LOAD alignments; exits 1 when one is below 0x4000, 2 when a file is not ELF.
set -euo pipefail
[ $# -gt 0 ] || { sed -n '6p' "$0" >&2; exit 2; }
readelf=$(command -v llvm-readelf || command -v readelf) || { echo "page-size.sh: no llvm-readelf or readelf" >&2; exit 2; }
status=0
for lib in "$@"; do
    # A LOAD line: Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align; Flg may be "R E",
    # so the alignment is the last field.
    aligns=$("$readelf" -lW "$lib" | awk '$1 == "LOAD" { print $NF }') || { echo "page-size.sh: $lib is not an ELF file" >&2; exit 2; }
    [ -n "$aligns" ] || { echo "page-size.sh: $lib has no LOAD segment" >&2; exit 2; }
    small=0
    for align in $aligns; do [ $((align)) -ge $((0x4000)) ] || small=1; done
    if [ $small = 0 ]; then
        echo "ok: $lib: LOAD aligned to" $aligns
    else
        echo "FAIL: $lib: a LOAD segment aligned below 0x4000 (16 KB):" $aligns "(link with -z max-page-size=16384)" >&2
        status=1
    fi
done
exit $status
