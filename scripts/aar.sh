#!/usr/bin/env bash
# Assembles hexin's Android library, org.hexin:hexin-android, into a local Maven repository: the
# release does it with the NDK's libraries (scripts/android.sh), tests/artifacts.sh with the Linux
# library standing in. No Gradle or Android Gradle plugin: an AAR is a zip of known files.
#
#   bash scripts/aar.sh REPO KOTLIN_DIR JNILIBS_DIR [CLASSPATH]
#
# KOTLIN_DIR holds the Kotlin of scripts/bindings.sh's kotlin/ (the generated code and the
# hand-written extensions of bindings/kotlin it copies in); it is compiled with
# kotlinc against JNA, kotlinx-coroutines and CLASSPATH (android.jar, for bindings generated with
# android = true), for Kotlin 2.1 and later. JNILIBS_DIR holds {arm64-v8a,armeabi-v7a,x86_64}/
# libhexin_ffi.so. Writes, VERSION being the workspace's version,
#
#   REPO/org/hexin/hexin-android/VERSION/hexin-android-VERSION.aar   AndroidManifest.xml
#       (android/), classes.jar, jni/ABI/libhexin_ffi.so, proguard.txt (android/consumer-rules.pro,
#       which the app's R8 applies), R.txt (empty: no resources)
#   REPO/org/hexin/hexin-android/VERSION/hexin-android-VERSION.pom   android/hexin-android.pom
#   REPO/org/hexin/hexin-android/maven-metadata.xml                  every version in REPO
#
# each file with .md5, .sha1 and .sha256 beside it, as Maven repositories have. Prints the AAR's path.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '6p' "$0" >&2; exit 2; }
repo=$1 kotlin=$2 jnilibs=$3 classpath=${4:-}
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/kotlin.sh"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
abis="arm64-v8a armeabi-v7a x86_64"

dir=$repo/org/hexin/hexin-android
stage=$(mktemp -d /tmp/hexin-aar.XXXXXX)
trap 'rm -rf "$stage"' EXIT
for abi in $abis; do
    [ -f "$jnilibs/$abi/libhexin_ffi.so" ] || { echo "aar.sh: no $jnilibs/$abi/libhexin_ffi.so" >&2; exit 1; }
    mkdir -p "$stage/aar/jni/$abi"
    cp "$jnilibs/$abi/libhexin_ffi.so" "$stage/aar/jni/$abi/"
done
"$KOTLINC" -nowarn -language-version 2.1 -api-version 2.1 -cp "$JNA_JAR:$KOTLIN_COROUTINES_JAR${classpath:+:$classpath}" \
    -d "$stage/classes" "$kotlin" 2>"$stage/kotlinc.log" || { grep -v '^warning:' "$stage/kotlinc.log" >&2; exit 1; }
(cd "$stage/classes" && zip -qrX "$stage/aar/classes.jar" .)
cp "$root/android/AndroidManifest.xml" "$stage/aar/"
cp "$root/android/consumer-rules.pro" "$stage/aar/proguard.txt"
: >"$stage/aar/R.txt"

mkdir -p "$dir/$version"
name=$dir/$version/hexin-android-$version
rm -f "$name".*
(cd "$stage/aar" && zip -qrXD "$name.aar" AndroidManifest.xml classes.jar R.txt proguard.txt jni)
sed "s/@VERSION@/$version/" "$root/android/hexin-android.pom" >"$name.pom"

# maven-metadata.xml lists the versions present, in version order, the newest as latest and release.
versions=$(cd "$dir" && find . -mindepth 2 -maxdepth 2 -name '*.pom' -printf '%h\n' | cut -c3- | sort -V)
newest=$(tail -1 <<<"$versions")
{
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>org.hexin</groupId>\n  <artifactId>hexin-android</artifactId>\n'
    printf '  <versioning>\n    <latest>%s</latest>\n    <release>%s</release>\n    <versions>\n' "$newest" "$newest"
    for v in $versions; do printf '      <version>%s</version>\n' "$v"; done
    printf '    </versions>\n    <lastUpdated>%s</lastUpdated>\n  </versioning>\n</metadata>\n' "$(date -u +%Y%m%d%H%M%S)"
} >"$dir/maven-metadata.xml"
for file in "$name.aar" "$name.pom" "$dir/maven-metadata.xml"; do
    for sum in md5 sha1 sha256; do "${sum}sum" "$file" | cut -d' ' -f1 >"$file.$sum"; done
done
echo "$name.aar"
