#!/usr/bin/env bash
# Sourced: makes kotlinc (the npm package kotlin-compiler, pinned; it carries
# kotlinx-coroutines) and JNA (Debian's libjna-java) available, installing them once.
# Exports KOTLINC, KOTLIN_STDLIB_JAR, KOTLIN_COROUTINES_JAR and JNA_JAR. Needs Java 17+ and, for JNA, apt-get as
# root when /usr/share/java/jna.jar is missing (or set JNA_JAR to a jna.jar yourself).

KOTLIN_COMPILER_VERSION=2.4.20
HEXIN_KOTLIN_DIR=${HEXIN_CACHE:-$HOME/.cache/hexin}/kotlin-$KOTLIN_COMPILER_VERSION

if [ ! -x "$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/bin/kotlinc" ]; then
    echo "== installing kotlin-compiler $KOTLIN_COMPILER_VERSION from npm into $HEXIN_KOTLIN_DIR"
    mkdir -p "$HEXIN_KOTLIN_DIR"
    npm install --prefix "$HEXIN_KOTLIN_DIR" --no-audit --no-fund --loglevel=error "kotlin-compiler@$KOTLIN_COMPILER_VERSION" >/dev/null
fi
export KOTLINC=$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/bin/kotlinc
export KOTLIN_COROUTINES_JAR
KOTLIN_COROUTINES_JAR=$(ls "$HEXIN_KOTLIN_DIR"/node_modules/kotlin-compiler/lib/kotlinx-coroutines-core-jvm*.jar | head -1)
export KOTLIN_STDLIB_JAR=$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar

export JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
if [ ! -f "$JNA_JAR" ]; then
    echo "== installing libjna-java from the Debian archive"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java >/dev/null; }
fi
