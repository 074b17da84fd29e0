"""Bytes of a Rust shared library by crate: `llvm-nm -S` of the library with its symbols, each
defined symbol counted to the crate its (legacy-mangled) name starts with; C symbols by prefix
(ring's C and assembly by their prefixes, the rest is SQLite's). Data without a symbol of its own (include_bytes!,
string and constant pools) is left in "no symbol". Usage: size-by-crate.py LIB [N]"""
import re
import subprocess
import sys
from collections import Counter

ESCAPES = {"$LT$": "<", "$GT$": ">", "$u20$": " ", "$RF$": "&", "$C$": ",", "$BP$": "*",
           "$u7b$": "{", "$u7d$": "}", "$u5b$": "[", "$u5d$": "]", "$LP$": "(", "$RP$": ")", "..": "::"}
STD = {"core", "alloc", "std", "std_detect", "panic_unwind"}
RING = re.compile(r"^(ring_core_|ecp_nistz256|p256_|aes_|gcm_|ChaCha20|chacha20_poly1305|bn_|sha256_block|sha512_block|x25519|k25519|vpaes_|GFp|LIMBS_|little_endian|OPENSSL_|CRYPTO_)")


def crate(symbol):
    m = re.match(r"_R.*?C(?:s[0-9A-Za-z]*_)?\d+([A-Za-z_][A-Za-z0-9_]*)", symbol)
    if m:  # v0 mangling: the standard library's (prebuilt), with its backtrace symbolizer
        return "std"
    m = re.match(r"_ZN(\d+)", symbol)
    if m:  # legacy mangling: _ZN, then each path component as its length and its text
        start = m.end()
        first = symbol[start:start + int(m.group(1))]
        if not first.startswith("_$LT$"):
            return "std" if first in STD else first
        symbol = symbol[start:]  # <Type as Trait> or <impl ...>: the crate of what comes first
    name = symbol[1:] if symbol.startswith("_$LT$") else symbol
    for k, v in ESCAPES.items():
        name = name.replace(k, v)
    name = name.lstrip("<&*([ ").removeprefix("mut ").removeprefix("dyn ").lstrip("<&*([ ")
    if "::" in name and not name.startswith("impl "):
        first = re.split(r"::|<| ", name)[0]
        return "std" if first in STD else first
    if RING.match(symbol):
        return "ring (C, assembly)"
    if symbol.lower().startswith("uniffi"):
        return "uniffi scaffolding and metadata"
    return "C: SQLite (and libc glue)"


def main():
    lib, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30
    out = subprocess.run(["llvm-nm", "-S", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    sizes, seen = Counter(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[0] in seen:
            continue
        seen.add(parts[0])  # aliases at one address count once
        sizes[crate(parts[3])] += int(parts[1], 16)
    sections = subprocess.run(["llvm-size", "-A", lib], capture_output=True, text=True, check=True).stdout
    alloc = sum(int(l.split()[1]) for l in sections.splitlines()[2:]
                if l.split() and l.split()[0] in (".text", ".rodata", ".data.rel.ro", ".data", ".bss", ".tbss", ".tdata"))
    total = sum(sizes.values())
    print(f"{'crate':<34} {'bytes':>10} {'share':>6}")
    for name, size in sizes.most_common(n):
        print(f"{name:<34} {size:>10} {100 * size / alloc:5.1f}%")
    rest = sum(s for _, s in sizes.most_common()[n:])
    print(f"{'(the other ' + str(len(sizes) - n) + ' crates)':<34} {rest:>10} {100 * rest / alloc:5.1f}%")
    print(f"{'no symbol (anonymous data)':<34} {alloc - total:>10} {100 * (alloc - total) / alloc:5.1f}%")
    print(f"{'code and data (.text, .rodata, .data*)':<34} {alloc:>10}")


main()
