#!/usr/bin/env bash
# hexin vs OpenCV's Haar cascade face detector (bench/faces.py) on the face corpus; rewrites
# bench/FACES.md.
#
#   bash bench/faces.sh               score both sides, print per-code errors and times, write FACES.md
#   bash bench/faces.sh --wrong       the same, and list every capture each side gets wrong
#   bash bench/faces.sh --self-test   the scoring's own test (no cargo, no corpus)
#   bash bench/faces.sh --must-win    the same as the first, failing unless hexin finds at least as
#                                     many faces as Haar with fewer false positives (none when Haar
#                                     has none)
#
# Environment: HEXIN_CACHE (default ~/.cache/hexin) holds the Python venv (bench/haarenv.sh) and
# the corpus; CORPUS (a directory of JPEGs and labels.json to score; by default
# $HEXIN_CACHE/faces-corpus, made by `cargo run -p hexin-testing --bin corpus -- --faces DIR` and
# remade whenever testing/src or its photographs change); PROFILE (dev or release, default release:
# the times are only meaningful optimised) of the document_report and face_timing builds; RESULTS (default
# bench/FACES.md; empty: print only). Everything runs on one core (taskset -c 1) when taskset exists.
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# shellcheck source=bench/haarenv.sh
source "$ROOT/bench/haarenv.sh"

if [ "${1:-}" = --self-test ]; then
    exec "$HAAR_PY" "$ROOT/bench/faces.py" self-test
fi

# shellcheck source=bench/corpus.sh
source "$ROOT/bench/corpus.sh"
if [ -z "${CORPUS:-}" ]; then
    CORPUS=$CACHE/faces-corpus
    fresh_corpus "$CORPUS" --faces
fi
PROFILE=${PROFILE:-release}
HEXIN=$(bench_bin "$PROFILE" document_report)
DETECTOR=$(bench_bin "$PROFILE" face_timing)

RESULTS=${RESULTS-$ROOT/bench/FACES.md}
args=(score --corpus "$CORPUS" --hexin "$HEXIN" --face-timing "$DETECTOR" --hexin-profile "$PROFILE" --raw "$CACHE/faces-raw.json")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
[ "${1:-}" = --wrong ] && args+=(--wrong)
[ "${1:-}" = --must-win ] && args+=(--must-win)
one_core=()
command -v taskset >/dev/null && one_core=(taskset -c 1)
exec "${one_core[@]}" "$HAAR_PY" "$ROOT/bench/faces.py" "${args[@]}"
