#!/usr/bin/env bash
# The release artifacts (docs/mobile.md, "Making a release"), built by the release's own scripts
# from what this Linux machine can build, and checked (tests/artifacts/check.py):
#
# - Android: scripts/aar.sh packages the generated Kotlin (android = false: there is no
#   android.jar here) and, standing in for each ABI's libhexin_ffi.so, the host library; the
#   AAR's entries, manifest and consumer rules, the POM, the Maven layout and its checksums, and
#   the sample's Gradle build naming this version.
# - The consumer rules under a real shrinker: ProGuard 6.2.2 (Debian's proguard-cli) shrinks and
#   renames the AAR's classes.jar, android-sample/logic and tests/kotlin with the AAR's
#   proguard.txt alone (and a keep for the tests' main), and the Kotlin tests run on the result
#   against the real library and the local tus server.
# - 16 KB pages: hexin-ffi for aarch64 Linux (cargo-zigbuild, debug), linked with
#   -z max-page-size=16384 as scripts/android.sh links arm64-v8a and x86_64, passes
#   scripts/page-size.sh.
# - iOS: scripts/swift-package.sh with the host's libhexin_ffi.a standing in for the iOS
#   libraries: the XCFramework's Info.plist and layout, the zip and its SwiftPM checksum (against
#   sha256sum), Package.swift read by `swift package dump-package`, and the Hexin Swift compiled
#   with only the XCFramework's headers folder on its include path.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin.sh
source scripts/swift.sh
source tests/fixtures.sh
lib=$(bash scripts/bindings.sh)
libdir=$(dirname "$lib")
bindings=$libdir/../bindings
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
work=$(mktemp -d /tmp/hexin-artifacts.XXXXXX)
trap 'kill ${TUS_SERVER:-} 2>/dev/null || true; rm -rf "$work"' EXIT
took() { echo "   ($SECONDS s)"; SECONDS=0; }
SECONDS=0

echo "== artifacts: the AAR in a Maven repository (the host library standing in for each ABI's)"
# Without debug info, as the release strips it: the debug library is hundreds of MB.
for abi in arm64-v8a armeabi-v7a x86_64; do
    mkdir -p "$work/jniLibs/$abi" && strip --strip-debug -o "$work/jniLibs/$abi/libhexin_ffi.so" "$lib"
done
aar=$(bash scripts/aar.sh "$work/maven" "$bindings/kotlin" "$work/jniLibs")
python3 tests/artifacts/check.py maven "$work/maven" "$version"
took

echo "== artifacts: the Kotlin tests shrunk and renamed by ProGuard with the AAR's proguard.txt alone"
if ! command -v proguard >/dev/null; then
    echo "   installing proguard-cli (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq proguard-cli >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq proguard-cli >/dev/null; }
fi
mkdir -p "$work/shrink"
unzip -q -d "$work/shrink" "$aar" classes.jar proguard.txt
"$KOTLINC" -nowarn -cp "$work/shrink/classes.jar:$JNA_JAR:$KOTLIN_COROUTINES_JAR" -d "$work/shrink/tests.jar" \
    android-sample/logic/src/main/kotlin tests/kotlin 2>"$work/kotlinc.log" || { grep -v '^warning:' "$work/kotlinc.log"; exit 1; }
python3 tests/artifacts/check.py jdk-library "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/jmods/java.base.jmod" "$work/shrink/java.base.jar"
# javax.imageio: the sample's rotation test writes a JPEG with it; ProGuard's library jar is
# java.base alone, and the tests run on the whole JDK.
cat >"$work/shrink/run.pro" <<PRO
-injars $work/shrink/classes.jar(!META-INF/**)
-injars $work/shrink/tests.jar(!META-INF/**)
-outjars $work/shrink/shrunk.jar
-libraryjars $work/shrink/java.base.jar
-libraryjars $JNA_JAR(!META-INF/versions/**)
-libraryjars $KOTLIN_STDLIB_JAR(!META-INF/versions/**)
-libraryjars $KOTLIN_COROUTINES_JAR(!META-INF/versions/**)
-libraryjars $(dirname "$KOTLIN_STDLIB_JAR")/annotations-13.0.jar
-include $work/shrink/proguard.txt
-keep class org.hexin.test.FilingFlowTestKt { public static void main(java.lang.String[]); }
-dontwarn javax.imageio.**
-printmapping $work/shrink/mapping.txt
PRO
proguard @"$work/shrink/run.pro" >"$work/proguard.log" 2>&1 || { cat "$work/proguard.log"; exit 1; }
# Renamed indeed: the bindings' classes that JNA does not reach lose their names.
outbox=$(sed -n 's/^org\.hexin\.Outbox -> \(.*\):$/\1/p' "$work/shrink/mapping.txt")
[ -n "$outbox" ] && [ "$outbox" != org.hexin.Outbox ] ||
    { echo "artifacts: ProGuard did not rename org.hexin.Outbox (mapping: '$outbox')" >&2; exit 1; }
binding_test_fixtures "$work"
mkdir -p "$work/kotlin"
HEXIN_WORK=$work/kotlin java -Djna.library.path="$libdir" \
    -cp "$work/shrink/shrunk.jar:$JNA_JAR:$KOTLIN_COROUTINES_JAR:$KOTLIN_STDLIB_JAR" org.hexin.test.FilingFlowTestKt
took

echo "== artifacts: 16 KB pages in hexin-ffi for aarch64"
bash scripts/aarch64.sh cargo rustc -q -p hexin-ffi --lib --crate-type cdylib -- -C link-arg=-Wl,-z,max-page-size=16384
bash scripts/page-size.sh "${CARGO_TARGET_DIR:-target}/aarch64-unknown-linux-gnu/debug/libhexin_ffi.so"
took

echo "== artifacts: the Swift package (the host's libhexin_ffi.a standing in for the iOS libraries)"
staticlib=$work/libhexin_ffi.a
strip --strip-debug -o "$staticlib" "$libdir/libhexin_ffi.a"
url=https://example.invalid/v$version/HexinFFI.xcframework.zip
checksum=$(bash scripts/swift-package.sh "$work/swift" "$staticlib" "$staticlib" "$bindings/swift" "$url")
python3 tests/artifacts/check.py xcframework "$work/swift"
[ "$checksum" = "$(sha256sum "$work/swift/HexinFFI.xcframework.zip" | cut -d' ' -f1)" ] ||
    { echo "artifacts: the SwiftPM checksum $checksum is not the zip's SHA-256" >&2; exit 1; }
(cd "$work/swift/Hexin" && hexin_swift swift package dump-package) >"$work/package.json"
python3 - "$work/package.json" "$url" "$checksum" <<'PY'
import json, sys
package, url, checksum = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
targets = {t["name"]: t for t in package["targets"]}
assert targets["HexinFFI"]["type"] == "binary" and targets["HexinFFI"]["url"] == url and targets["HexinFFI"]["checksum"] == checksum, targets["HexinFFI"]
assert targets["Hexin"]["dependencies"] == [{"byName": ["HexinFFI", None]}], targets["Hexin"]
assert [p["name"] for p in package["products"]] == ["Hexin"], package["products"]
PY
# The C modules are found through the folder alone, as Xcode finds them in the app's build.
hexin_swift swiftc -typecheck -module-name Hexin -I "$work/swift/HexinFFI.xcframework/ios-arm64/Headers" \
    "$work"/swift/Hexin/Sources/Hexin/*.swift
took
