#!/usr/bin/env bash
# The Kotlin and Swift tests: builds hexin-ffi, generates both bindings (scripts/bindings.sh),
# starts the local tus server, then compiles and runs tests/kotlin on the JVM (kotlinc, JNA)
# and tests/swift with swiftc, each together with its sample app's logic layer
# (android-sample/logic, ios-sample/Logic). Installs kotlinc, JNA and Swift when missing
# (scripts/kotlin.sh, scripts/swift.sh). `bash tests/bindings.sh kotlin` or `swift` runs one.
set -euo pipefail
cd "$(dirname "$0")/.."
languages=${*:-kotlin swift}
source scripts/node.sh
lib=$(bash scripts/bindings.sh)
libdir=$(dirname "$lib")
bindings=$libdir/../bindings

work=$(mktemp -d /tmp/hexin-bindings.XXXXXX)
trap 'kill ${TUS_SERVER:-} 2>/dev/null || true; rm -rf "$work"' EXIT
source tests/fixtures.sh
binding_test_fixtures "$work"

for language in $languages; do
    mkdir -p "$work/$language"
    export HEXIN_WORK=$work/$language
    case $language in
    kotlin)
        source scripts/kotlin.sh
        echo "== kotlin: compiling the bindings, android-sample/logic and tests/kotlin"
        cp="$JNA_JAR:$KOTLIN_COROUTINES_JAR"
        "$KOTLINC" -nowarn -cp "$cp" -d "$work/kotlin/classes" \
            "$bindings/kotlin" android-sample/logic/src/main/kotlin tests/kotlin 2>"$work/kotlinc.log" ||
            { grep -v '^warning:' "$work/kotlinc.log"; exit 1; }
        java -Djna.library.path="$libdir" -cp "$work/kotlin/classes:$cp:$KOTLIN_STDLIB_JAR" org.hexin.test.FilingFlowTestKt
        ;;
    swift)
        source scripts/swift.sh
        echo "== swift: compiling the Hexin module, ios-sample/Logic and tests/swift"
        maps=(-Xcc "-fmodule-map-file=$bindings/swift/hexinFFI.modulemap" -Xcc "-fmodule-map-file=$bindings/swift/hexin_coreFFI.modulemap")
        out=$work/swift
        hexin_swift swiftc -swift-version 5 -parse-as-library -emit-library -emit-module -module-name Hexin "${maps[@]}" \
            -L "$libdir" -lhexin_ffi "$bindings"/swift/*.swift \
            -emit-module-path "$out/Hexin.swiftmodule" -o "$out/libHexin.so"
        hexin_swift swiftc -swift-version 5 -I "$out" "${maps[@]}" -L "$out" -lHexin -L "$libdir" -lhexin_ffi \
            ios-sample/Logic/*.swift tests/swift/*.swift -o "$out/hexin-swift-tests"
        HEXIN_SWIFT_LD_PATH="$out:$libdir" hexin_swift env HEXIN_ENDPOINT="$HEXIN_ENDPOINT" \
            HEXIN_SERVER_PACKAGES="$HEXIN_SERVER_PACKAGES" HEXIN_SPECIMENS="$HEXIN_SPECIMENS" \
            HEXIN_REAL_PHOTOS="$HEXIN_REAL_PHOTOS" HEXIN_WORK="$HEXIN_WORK" HEXIN_FRAMES="$HEXIN_FRAMES" HEXIN_CORPUS="$HEXIN_CORPUS" "$out/hexin-swift-tests"
        echo "== swift: ios-sample/Logic as Swift 6 (strict concurrency) with tests/swift/sample"
        # The Hexin module stays Swift 5 (uniffi's generated code); its objects, records and
        # errors are declared Sendable, so Logic imports it plainly.
        hexin_swift swiftc -swift-version 6 -I "$out" "${maps[@]}" -L "$out" -lHexin -L "$libdir" -lhexin_ffi \
            ios-sample/Logic/*.swift tests/swift/sample/*.swift -o "$out/hexin-swift6-sample-tests"
        HEXIN_SWIFT_LD_PATH="$out:$libdir" hexin_swift env HEXIN_ENDPOINT="$HEXIN_ENDPOINT" HEXIN_SPECIMENS="$HEXIN_SPECIMENS" \
            HEXIN_WORK="$HEXIN_WORK" "$out/hexin-swift6-sample-tests"
        ;;
    *) echo "unknown language $language" >&2; exit 2 ;;
    esac
done
