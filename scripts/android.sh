#!/usr/bin/env bash
# Builds hexin's Android library for a release: libhexin_ffi.so for arm64-v8a, armeabi-v7a and
# x86_64 with cargo-ndk, the Kotlin bindings generated with android = true, and from them the
# AAR with its POM in a local Maven repository (scripts/aar.sh):
#
#   bash scripts/android.sh [REPO]    # REPO defaults to target/maven
#
# writes REPO/org/hexin/hexin-android/VERSION/ (the .aar, the .pom, checksums) and
# maven-metadata.xml: publish that tree to a Maven repository, or point an app's Gradle build at
# it as android-sample does (docs/mobile.md, "Adding hexin to an Android app").
#
# The 64-bit libraries are linked with 16 KB pages (-z max-page-size=16384; NDK r28 and later
# do it by default), which Android 15 devices with 16 KB pages and Google Play require;
# scripts/page-size.sh checks them before they are packaged.
#
# Needs the Android NDK (ANDROID_NDK_HOME, e.g. $ANDROID_HOME/ndk/27.2.12479018), android.jar
# (ANDROID_JAR, default $ANDROID_HOME/platforms/android-35/android.jar: the generated Kotlin uses
# android.system.SystemCleaner), rustup, Java and npm (scripts/kotlin.sh). Not run on the CI
# machine, which has no NDK: tests/artifacts.sh packages the Linux library there.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the NDK directory}"
android_jar=${ANDROID_JAR:-${ANDROID_HOME:?set ANDROID_HOME or ANDROID_JAR}/platforms/android-35/android.jar}
[ -f "$android_jar" ] || { echo "android.sh: no $android_jar (set ANDROID_JAR)" >&2; exit 1; }
target=${CARGO_TARGET_DIR:-$PWD/target}
repo=${1:-$target/maven}
build=$target/android

rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
command -v cargo-ndk >/dev/null || cargo install cargo-ndk --version 4.1.2 --locked
# API 26 = the AAR's minSdk; --release uses the workspace's release profile.
page16k="-C link-arg=-Wl,-z,max-page-size=16384"
rm -rf "$build" && mkdir -p "$build"
CARGO_TARGET_AARCH64_LINUX_ANDROID_RUSTFLAGS=$page16k CARGO_TARGET_X86_64_LINUX_ANDROID_RUSTFLAGS=$page16k \
    cargo ndk --platform 26 -t arm64-v8a -t armeabi-v7a -t x86_64 -o "$build/jniLibs" build --release -p hexin-ffi --lib
find "$build/jniLibs" -name '*.so' -exec "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-strip --strip-unneeded {} \;
bash scripts/page-size.sh "$build"/jniLibs/{arm64-v8a,x86_64}/libhexin_ffi.so

config=$build/uniffi-android.toml
sed 's/^android = false/android = true/' uniffi.toml >"$config"
HEXIN_UNIFFI_CONFIG=$config bash scripts/bindings.sh --release "$build/bindings" >/dev/null
bash scripts/aar.sh "$repo" "$build/bindings/kotlin" "$build/jniLibs" "$android_jar"
ls -l "$build"/jniLibs/*/libhexin_ffi.so
