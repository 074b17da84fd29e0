#!/usr/bin/env bash
# hexin vs a Pillow + OpenCV reference on 12 MP camera JPEGs, one core; rewrites bench/RESULTS.md.
#
#   bash bench/compare.sh
#
# Each photo is checked as what it is: the real camera photos (no document in them) as `other`,
# the whole frame, with no document step on either side; the synthetic ID card on a table as
# `id-card-front` (hexin finds, straightens and outputs the card) against the reference with its
# document step (bench/scanner.py's find, then a warp to the card). The run stops if either side
# misses the card.
#
# Environment: HEXIN_CACHE (default ~/.cache/hexin) holds the Python venv and the generated photos;
# HEXIN_REAL_PHOTOS (default <repo>/../shared/fixtures/real-photos/camera) the real camera files;
# ROUNDS (5), REPEAT (3), WARMUP (1), TIGHT_ROUNDS (3; 0 skips the binding-budget table), CPU (0),
# REF_OPTIMIZE (auto: the reference writes the kind of Huffman tables hexin's output has; 0 or 1),
# RESULTS (default bench/RESULTS.md; empty: print only), ONLY (comma-separated photo names).
# Idempotent: the venv and the photos are reused when present.
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# shellcheck source=bench/pyenv.sh
source "$ROOT/bench/pyenv.sh"
PHOTOS=$CACHE/bench-photos
REAL=${HEXIN_REAL_PHOTOS:-$ROOT/../shared/fixtures/real-photos/camera}
CPU=${CPU:-0}

echo "compare: building bench_pipeline" >&2
(cd "$ROOT" && cargo build --quiet --release -p hexin-bench --bin bench_pipeline)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
HEXIN=$TARGET/release/bench_pipeline

echo "compare: photos in $PHOTOS" >&2
"$PY" "$ROOT/bench/compare.py" prepare --out "$PHOTOS" --hexin "$HEXIN" --real "$REAL" >&2

RESULTS=${RESULTS-$ROOT/bench/RESULTS.md}
args=(run --hexin "$HEXIN" --photos "$PHOTOS" --rounds "${ROUNDS:-5}" --repeat "${REPEAT:-3}"
      --warmup "${WARMUP:-1}" --tight-rounds "${TIGHT_ROUNDS:-3}" --ref-optimize "${REF_OPTIMIZE:-auto}")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
args+=(--raw "$CACHE/bench-raw.json")
[ -n "${ONLY:-}" ] && args+=(--only "$ONLY")

echo "compare: running on CPU $CPU" >&2
# Everything, driver included, on one core: the children inherit the affinity.
exec taskset -c "$CPU" "$PY" "$ROOT/bench/compare.py" "${args[@]}"
