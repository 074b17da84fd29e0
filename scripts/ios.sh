#!/usr/bin/env bash
# Builds hexin for iOS on macOS: static libraries for devices (arm64) and the simulator (arm64 +
# x86_64, merged with lipo), an XCFramework of them with the C headers, and a Swift package,
# ios-sample/build/HexinPackage, whose `Hexin` module is the generated Swift. The sample's
# project.yml points at that package; another app adds it the same way (see docs/mobile.md).
#
# Needs Xcode (xcodebuild, lipo) and rustup. Not run on the CI machine, which is Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "scripts/ios.sh needs macOS with Xcode" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-$PWD/target}
build=ios-sample/build
package=$build/HexinPackage

rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
for triple in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
    IPHONEOS_DEPLOYMENT_TARGET=16.0 cargo build --release -p hexin-ffi --lib --target $triple
done
rm -rf "$build" && mkdir -p "$build/sim" "$build/headers" "$package/Sources/Hexin"
lipo -create "$target/aarch64-apple-ios-sim/release/libhexin_ffi.a" "$target/x86_64-apple-ios/release/libhexin_ffi.a" \
    -output "$build/sim/libhexin_ffi.a"

# The Swift and the headers come from the host build; both C modules go in one module map.
bash scripts/bindings.sh --release "$build/bindings" >/dev/null
cp "$build"/bindings/swift/*.h "$build/headers/"
cat "$build"/bindings/swift/*.modulemap >"$build/headers/module.modulemap"
xcodebuild -create-xcframework \
    -library "$target/aarch64-apple-ios/release/libhexin_ffi.a" -headers "$build/headers" \
    -library "$build/sim/libhexin_ffi.a" -headers "$build/headers" \
    -output "$package/HexinFFI.xcframework"
cp "$build"/bindings/swift/*.swift "$package/Sources/Hexin/"
cat >"$package/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Hexin",
    platforms: [.iOS(.v16)],
    products: [.library(name: "Hexin", targets: ["Hexin"])],
    targets: [
        .binaryTarget(name: "HexinFFI", path: "HexinFFI.xcframework"),
        .target(name: "Hexin", dependencies: ["HexinFFI"]),
    ]
)
SWIFT
echo "$package"
