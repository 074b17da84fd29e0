#!/usr/bin/env bash
# Sourced by test.sh and fuzz.sh: defines
#
#   cargo_tool NAME    # nextest or fuzz: installs cargo-NAME at its pinned version (below) when
#                      # missing, and puts it first on PATH, so `cargo NAME` runs that version
#
# Each tool goes into its own directory, ${HEXIN_CACHE:-$HOME/.cache/hexin}/cargo-tools/NAME/bin,
# from PyPI's prebuilt wheel astral-dev-toolchain-cargo-NAME (one binary; glibc Linux x86_64 and
# aarch64, macOS) with `pip install --target`: seconds, no venv, nothing else on PATH. Where pip
# or a wheel for this platform is missing (musl Linux), it is compiled from crates.io instead with
# `cargo install --root` into the same directory (minutes). Quiet when the pinned version is
# already there; after a change of pin the directory is made anew.

HEXIN_CARGO_NEXTEST_VERSION=0.9.148
HEXIN_CARGO_FUZZ_VERSION=0.13.2
HEXIN_CARGO_TOOLS=${HEXIN_CACHE:-$HOME/.cache/hexin}/cargo-tools

# cargo looks for `cargo-NAME` along PATH, but puts its own bin directory first when PATH
# lacks it: name it here, so the tools' directories (prepended below) come before it.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Whether the binary $1 runs and says it is version $2 ("cargo-NAME 1.2.3 ...").
cargo_tool_is() { [ "$("$1" --version 2>/dev/null | head -1 | cut -d' ' -f2)" = "$2" ]; }

cargo_tool() {
    local name=$1 version dir
    case $name in
    nextest) version=$HEXIN_CARGO_NEXTEST_VERSION ;;
    fuzz) version=$HEXIN_CARGO_FUZZ_VERSION ;;
    *) echo "cargo-tools.sh: no pinned version for cargo-$name" >&2; return 1 ;;
    esac
    dir=$HEXIN_CARGO_TOOLS/$name
    if ! cargo_tool_is "$dir/bin/cargo-$name" "$version"; then
        echo "== installing cargo-$name $version into $dir"
        rm -rf "$dir" # another version, or an interrupted install
        # --target puts the wheel's one binary at $dir/bin/cargo-$name.
        if ! { command -v python3 >/dev/null &&
            PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q \
                --target "$dir" --no-deps --only-binary :all: "astral-dev-toolchain-cargo-$name==$version"; }; then
            echo "   no pip or no wheel here: compiling cargo-$name from crates.io (minutes)"
            cargo install -q "cargo-$name" --version "$version" --locked --force --root "$dir" || true
        fi
        if ! cargo_tool_is "$dir/bin/cargo-$name" "$version"; then
            echo "cargo-tools.sh: installing cargo-$name $version into $dir failed" >&2
            return 1
        fi
    fi
    export PATH="$dir/bin:$PATH"
}
