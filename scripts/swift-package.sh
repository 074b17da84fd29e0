#!/usr/bin/env bash
# Assembles hexin's Swift package from built static libraries: the release does it on macOS
# (scripts/ios.sh), tests/artifacts.sh with the Linux library standing in for the iOS ones.
#
#   bash scripts/swift-package.sh OUT DEVICE_LIB SIMULATOR_LIB SWIFT_BINDINGS_DIR URL|local
#
# DEVICE_LIB is libhexin_ffi.a for aarch64-apple-ios, SIMULATOR_LIB the simulators' (arm64 and
# x86_64 in one file, lipo), SWIFT_BINDINGS_DIR what scripts/bindings.sh generates into swift/,
# URL where the release publishes the zip. Writes
#
#   OUT/HexinFFI.xcframework      Info.plist and ios-arm64/, ios-arm64_x86_64-simulator/, each
#                                 with libhexin_ffi.a and Headers/HexinFFI/: both C headers and
#                                 one module.modulemap, in a folder of their own so the headers
#                                 of other Rust XCFrameworks (each with a module.modulemap) do
#                                 not collide with them in the app's build
#   OUT/HexinFFI.xcframework.zip  what the release uploads to URL
#   OUT/Hexin/                    the package: Package.swift (apple/Package.swift.in with
#                                 .binaryTarget(name:url:checksum:), URL and the zip's SwiftPM
#                                 checksum) and Sources/Hexin/ (scripts/bindings.sh's Swift:
#                                 the generated code and the extensions of bindings/swift)
#
# With `local` instead of a URL (a build from this checkout, e.g. for ios-sample), the package's
# binary target is .binaryTarget(name:path:) and the XCFramework moves into OUT/Hexin/.
# Prints the checksum. Needs zip and Swift (scripts/swift.sh) for `swift package compute-checksum`.
set -euo pipefail
[ $# = 5 ] || { sed -n '5p' "$0" >&2; exit 2; }
out=$1 device=$2 simulator=$3 bindings=$4 url=$5
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/scripts/swift.sh"

xcframework=$out/HexinFFI.xcframework
rm -rf "$xcframework" "$xcframework.zip" "$out/Hexin"
for slice in ios-arm64:"$device" ios-arm64_x86_64-simulator:"$simulator"; do
    dir=$xcframework/${slice%%:*}
    mkdir -p "$dir/Headers/HexinFFI"
    cp "${slice#*:}" "$dir/libhexin_ffi.a"
    cp "$bindings"/*.h "$dir/Headers/HexinFFI/"
    cat "$bindings"/*.modulemap >"$dir/Headers/HexinFFI/module.modulemap"
done
# What `xcodebuild -create-xcframework` writes for these two libraries.
library() { # IDENTIFIER ARCHITECTURES [VARIANT]
    printf '\t\t<dict>\n'
    printf '\t\t\t<key>%s</key>\n\t\t\t<string>%s</string>\n' BinaryPath libhexin_ffi.a HeadersPath Headers \
        LibraryIdentifier "$1" LibraryPath libhexin_ffi.a
    printf '\t\t\t<key>SupportedArchitectures</key>\n\t\t\t<array>\n'
    for arch in $2; do printf '\t\t\t\t<string>%s</string>\n' "$arch"; done
    printf '\t\t\t</array>\n\t\t\t<key>SupportedPlatform</key>\n\t\t\t<string>ios</string>\n'
    [ -z "${3:-}" ] || printf '\t\t\t<key>SupportedPlatformVariant</key>\n\t\t\t<string>%s</string>\n' "$3"
    printf '\t\t</dict>\n'
}
{
    cat <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AvailableLibraries</key>
	<array>
PLIST
    library ios-arm64 arm64
    library ios-arm64_x86_64-simulator "arm64 x86_64" simulator
    cat <<'PLIST'
	</array>
	<key>CFBundlePackageType</key>
	<string>XFWK</string>
	<key>XCFrameworkFormatVersion</key>
	<string>1.0</string>
</dict>
</plist>
PLIST
} >"$xcframework/Info.plist"

# SwiftPM wants the XCFramework at the top of the zip.
(cd "$out" && zip -qrX HexinFFI.xcframework.zip HexinFFI.xcframework)
checksum=$(cd "$out" && hexin_swift swift package compute-checksum HexinFFI.xcframework.zip)

mkdir -p "$out/Hexin/Sources/Hexin"
cp "$bindings"/*.swift "$out/Hexin/Sources/Hexin/"
if [ "$url" = local ]; then
    mv "$xcframework" "$out/Hexin/"
    target='.binaryTarget(name: "HexinFFI", path: "HexinFFI.xcframework")'
else
    target=".binaryTarget(name: \"HexinFFI\", url: \"$url\", checksum: \"$checksum\")"
fi
sed "s|@BINARY_TARGET@|$target|" "$repo/apple/Package.swift.in" >"$out/Hexin/Package.swift"
echo "$checksum"
