#!/usr/bin/env bash
# Sourced by the binding tests: makes the Kotlin compiler and JNA available, installing them
# once, and exports
#
#   KOTLINC                the kotlinc of the npm package kotlin-compiler (pinned below), in
#                          ${HEXIN_CACHE:-$HOME/.cache/hexin}/kotlin
#   KOTLIN_STDLIB_JAR      its kotlin-stdlib.jar (for `java -cp` when not using -include-runtime)
#   KOTLIN_COROUTINES_JAR  its kotlinx-coroutines-core-jvm.jar (uniffi's suspend functions need it)
#   JNA_JAR                Debian's libjna-java (/usr/share/java/jna.jar), or a jna.jar you set
#
# Needs Java 17+ (java on PATH) and npm; JNA comes from apt-get (as root) when missing. Quiet
# when everything is already there. See docs/toolchains.md for the compile and run commands.

HEXIN_KOTLIN_VERSION=2.4.20
HEXIN_KOTLIN_DIR=${HEXIN_CACHE:-$HOME/.cache/hexin}/kotlin

if [ "$(cat "$HEXIN_KOTLIN_DIR/.hexin-kotlin-compiler" 2>/dev/null)" != "$HEXIN_KOTLIN_VERSION" ]; then
    echo "== installing kotlin-compiler $HEXIN_KOTLIN_VERSION from npm into $HEXIN_KOTLIN_DIR"
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    command -v npm >/dev/null || { echo "kotlin.sh: npm is needed to install kotlin-compiler" >&2; return 1; }
    mkdir -p "$HEXIN_KOTLIN_DIR"
    [ -f "$HEXIN_KOTLIN_DIR/package.json" ] || echo '{ "private": true }' >"$HEXIN_KOTLIN_DIR/package.json"
    # The stamp goes last, so an interrupted install is done again.
    if ! { npm install --prefix "$HEXIN_KOTLIN_DIR" --save-exact --no-audit --no-fund --loglevel=error \
        "kotlin-compiler@$HEXIN_KOTLIN_VERSION" >/dev/null &&
        "$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/bin/kotlinc" -version >/dev/null 2>&1; }; then
        echo "kotlin.sh: installing kotlin-compiler $HEXIN_KOTLIN_VERSION failed" >&2
        return 1
    fi
    echo "$HEXIN_KOTLIN_VERSION" >"$HEXIN_KOTLIN_DIR/.hexin-kotlin-compiler"
fi
export KOTLINC=$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/bin/kotlinc
export KOTLIN_STDLIB_JAR=$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar
export KOTLIN_COROUTINES_JAR=$HEXIN_KOTLIN_DIR/node_modules/kotlin-compiler/lib/kotlinx-coroutines-core-jvm.jar
[ -f "$KOTLIN_COROUTINES_JAR" ] || { echo "kotlin.sh: no $KOTLIN_COROUTINES_JAR" >&2; return 1; }

export JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
if [ ! -f "$JNA_JAR" ]; then
    echo "== installing libjna-java from the Debian archive"
    # apt-get update only when the install fails (no lists yet, or old ones).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java >/dev/null; } || true
    [ -f "$JNA_JAR" ] || { echo "kotlin.sh: no JNA at $JNA_JAR (install libjna-java, or set JNA_JAR)" >&2; return 1; }
fi
