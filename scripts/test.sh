#!/usr/bin/env bash
# Runs every test: the Rust suites (unit, pipeline, real photos, CLI, property tests, the
# outbox under SIGKILL, uploads against the real tus server with faults), the Kotlin and Swift
# binding tests with the sample apps' logic (tests/bindings.sh), and the fuzz targets for a
# bounded time. Installs what it needs idempotently: Node.js and the tus server's npm packages
# (scripts/node.sh), cargo-nextest and cargo-fuzz, pinned (scripts/cargo-tools.sh), kotlinc and
# JNA (scripts/kotlin.sh), Swift (scripts/swift.sh: on Linux a cached debootstrap root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
source scripts/cargo-tools.sh
cargo_tool nextest

# The binding tests' toolchains (the Swift root, then kotlinc and JNA) install in the background
# while the Rust tests build: on a fresh machine their downloading and unpacking, about a
# minute, overlaps the compiling; when cached this takes no time. One job after the other, as
# both may call apt-get. Their messages are printed before the binding tests, which install
# again whatever failed here and say why.
toolchains_log=$(mktemp)
trap 'wait; rm -f "$toolchains_log"' EXIT
{ bash scripts/swift-run.sh --install && bash -c 'source scripts/kotlin.sh'; } >"$toolchains_log" 2>&1 &
toolchains=$!

# nextest runs no doctests; the workspace has none (its ``` blocks in doc comments are text).
cargo nextest run --workspace --no-fail-fast
# hexin-core without features (no SQLite, HTTP or tokio; tests/tests/layout.rs checks its
# dependency tree) compiles alone, as a server that only verifies packages builds it.
cargo check -q -p hexin-core --lib
# hexin-core's tests again on aarch64, the phones' instruction set and NEON code paths, under qemu
# (scripts/aarch64.sh installs what it needs), less five tests that repeat, too slowly under qemu,
# what the others run once (the two corpus scores: 144 and 60 captures through `check`; a
# package's manifest and files verified again under every byte change; the guide's allocations
# counted over the scripted frames, which no instruction set changes) and the SIGKILL test,
# which starts its own binary again: the kernel here cannot run an aarch64 binary
# (tests/README.md).
bash scripts/aarch64.sh test -q -p hexin-core --features delivery --no-fail-fast -- \
    --skip the_corpus_scores_at_least_its_floor --skip the_face_corpus_scores_at_least_its_floor \
    --skip every_single_byte_change_to_a_file_is_detected --skip every_single_byte_change_to_the_manifest_is_detected \
    --skip the_guide_allocates_nothing_per_frame_once_its_buffers_have_grown \
    --skip sigkill_at_random_moments_leaves_outbox_consistent
# The document benchmark's scoring and peer scanner (bench/documents.py, in bench's Python venv),
# then hexin against the OpenCV scanner on the generated corpus: hexin must be right more often.
bash bench/documents.sh --self-test
RESULTS= bash bench/documents.sh --must-win
# The face benchmark's scoring, then hexin against OpenCV's Haar cascade on the face corpus: hexin
# must find at least as many faces with fewer false positives.
bash bench/faces.sh --self-test
RESULTS= PROFILE=dev bash bench/faces.sh --must-win
wait "$toolchains" || true
cat "$toolchains_log"
bash tests/bindings.sh
bash tests/artifacts.sh
FUZZ_SECONDS="${FUZZ_SECONDS:-30}" bash scripts/fuzz.sh
