#!/usr/bin/env bash
# Builds the hexin-ffi library and generates its Kotlin and Swift bindings from it.
#
#   bash scripts/bindings.sh [--release] [OUT_DIR]    # OUT_DIR defaults to $TARGET/bindings
#
# HEXIN_UNIFFI_CONFIG names another global config than uniffi.toml (scripts/android.sh uses
# one with android = true).
# Writes OUT_DIR/kotlin/org/hexin/{hexin.kt,core/hexin_core.kt} and OUT_DIR/swift/ (hexin.swift,
# hexin_core.swift, their C headers and module maps), and prints the library path. Quick when
# nothing changed: cargo builds nothing, and generation takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=debug
if [ "${1:-}" = --release ]; then profile=release; shift; fi
target=${CARGO_TARGET_DIR:-$PWD/target}
out=${1:-$target/bindings}

if [ $profile = release ]; then
    cargo build -q --release -p hexin-ffi --lib
    cargo build -q -p hexin-uniffi-bindgen
else
    # The debug library with the workspace's test feature set (dev-dependencies unified), the
    # same units `cargo nextest run --workspace` builds: after the Rust tests nothing compiles again.
    cargo build -q --workspace --lib --bins --tests
fi
case "$(uname)" in Darwin) lib=$target/$profile/libhexin_ffi.dylib ;; *) lib=$target/$profile/libhexin_ffi.so ;; esac

rm -rf "$out/kotlin" "$out/swift"
for language in kotlin swift; do
    "$target/debug/uniffi-bindgen" generate --config "${HEXIN_UNIFFI_CONFIG:-uniffi.toml}" --language $language --no-format --out-dir "$out/$language" "$lib" >/dev/null
done
# The hand-written Kotlin and Swift that ship with the generated code (error properties, tasks
# that cancel with their coroutine or Swift task, Flow and AsyncStream).
cp -R bindings/kotlin/. "$out/kotlin/"
cp bindings/swift/*.swift "$out/swift/"
# The one edit to generated code: a HexinException's Kotlin `message` is the applicant's
# sentence (errorText, in the language set with setLanguage) instead of uniffi's list of the
# variant's fields, which may hold what the applicant typed. Every variant must be rewritten.
core_kt=$out/kotlin/org/hexin/core/hexin_core.kt
variants=$(perl -0ne 'print scalar(() = /\) : HexinException\(\) \{/g)' "$core_kt")
perl -0pi -e 's/(\) : HexinException\(\) \{\n\s*override val message\n\s*get\(\) = )"[^\n]*"/$1org.hexin.errorText(this)/g' "$core_kt"
rewritten=$(grep -c 'get() = org.hexin.errorText(this)' "$core_kt")
[ "$variants" -gt 0 ] && [ "$rewritten" = "$variants" ] ||
    { echo "scripts/bindings.sh: rewrote $rewritten of $variants HexinException messages; has uniffi's Kotlin changed?" >&2; exit 1; }
# Counts are signed on the API (Kotlin's Long and Int, bindings/README.md): no field or argument
# of the generated Kotlin is unsigned.
if unsigned=$(grep -rnE '`\w+`: kotlin\.U(Int|Long|Short|Byte)\b' "$out/kotlin"); then
    echo "scripts/bindings.sh: unsigned types in the Kotlin API:" >&2
    echo "$unsigned" >&2
    exit 1
fi
echo "$lib"
