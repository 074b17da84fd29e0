#!/usr/bin/env bash
# Builds hexin for iOS on macOS: static libraries for devices (aarch64-apple-ios) and the
# simulators (aarch64-apple-ios-sim and x86_64-apple-ios, merged with lipo), and from them, with
# the Swift bindings, the Swift package (scripts/swift-package.sh):
#
#   bash scripts/ios.sh            # a release: target/ios/HexinFFI.xcframework.zip to upload to
#                                  # $HEXIN_RELEASE_URL (default: the GitHub release of the
#                                  # workspace version) and target/ios/Hexin/, the package to
#                                  # publish, whose Package.swift names that URL and its checksum
#   bash scripts/ios.sh --local    # ios-sample/build/Hexin, the package with the XCFramework in
#                                  # it, which ios-sample/project.yml uses
#
# Needs Xcode (lipo, swift) and rustup. Not run on the CI machine, which is Linux; there
# tests/artifacts.sh runs scripts/swift-package.sh with the Linux library standing in.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "scripts/ios.sh needs macOS with Xcode" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-$PWD/target}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
if [ "${1:-}" = --local ]; then
    out=ios-sample/build url=local
else
    out=$target/ios url=${HEXIN_RELEASE_URL:-https://github.com/hexin-sdk/hexin/releases/download/v$version/HexinFFI.xcframework.zip}
fi

rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
for triple in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
    IPHONEOS_DEPLOYMENT_TARGET=16.0 cargo build --release -p hexin-ffi --lib --target $triple
done
rm -rf "$out" && mkdir -p "$out/simulator"
lipo -create "$target/aarch64-apple-ios-sim/release/libhexin_ffi.a" "$target/x86_64-apple-ios/release/libhexin_ffi.a" \
    -output "$out/simulator/libhexin_ffi.a"
# The Swift and the C headers come from the host build: they are the same for every target.
bash scripts/bindings.sh --release "$out/bindings" >/dev/null
bash scripts/swift-package.sh "$out" "$target/aarch64-apple-ios/release/libhexin_ffi.a" "$out/simulator/libhexin_ffi.a" \
    "$out/bindings/swift" "$url"
rm -rf "$out/simulator" "$out/bindings"
ls -l "$out"
