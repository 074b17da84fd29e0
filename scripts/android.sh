#!/usr/bin/env bash
# Builds hexin for Android: the .so files for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk,
# and the Kotlin bindings with android = true, into android-sample/app/build/generated/hexin
# (jniLibs/ and kotlin/), where the sample's Gradle build picks them up. Another app copies the
# same two directories (see docs/mobile.md, "Adding hexin to an Android app").
#
# Needs the Android NDK (ANDROID_NDK_HOME, e.g. $ANDROID_HOME/ndk/27.2.12479018) and rustup.
# Not run on the CI machine, which has no NDK.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the NDK directory}"
out=${1:-android-sample/app/build/generated/hexin}

rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
command -v cargo-ndk >/dev/null || cargo install cargo-ndk --version 4.1.2 --locked
# API 26 = the sample's minSdk; --release uses the workspace's release profile (thin LTO, one
# codegen unit); strip the symbols the app does not need.
cargo ndk --platform 26 -t arm64-v8a -t armeabi-v7a -t x86_64 -o "$out/jniLibs" build --release -p hexin-ffi --lib
find "$out/jniLibs" -name '*.so' -exec "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-strip --strip-unneeded {} \;

config=$(mktemp)
trap 'rm -f "$config"' EXIT
sed 's/^android = false/android = true/' uniffi.toml >"$config"
HEXIN_UNIFFI_CONFIG=$config bash scripts/bindings.sh --release "$out" >/dev/null
rm -rf "$out/swift"
ls -l "$out"/jniLibs/*/libhexin_ffi.so
