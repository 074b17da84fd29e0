#!/usr/bin/env bash
# hexin vs a classic OpenCV document scanner (bench/scanner.py) on the document corpus; rewrites
# bench/DOCUMENTS.md.
#
#   bash bench/documents.sh               score both sides, print per-code errors, write DOCUMENTS.md
#   bash bench/documents.sh --wrong       the same, and list every capture each side gets wrong
#   bash bench/documents.sh --self-test   the scoring's own test (no cargo, no corpus)
#   bash bench/documents.sh --must-win    the same as the first, failing unless hexin is right on
#                                         more captures than the scanner (the test command)
#
# Environment: HEXIN_CACHE (default ~/.cache/hexin) holds the Python venv and the corpus;
# CORPUS (a directory of JPEGs and labels.json to score; by default $HEXIN_CACHE/documents-corpus,
# made by `cargo run -p hexin-testing --bin corpus` and remade whenever testing/src or its
# photographs change);
# PROFILE (dev or release, default dev) of the document_report build; RESULTS (default
# bench/DOCUMENTS.md; empty: print only).
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# shellcheck source=bench/pyenv.sh
source "$ROOT/bench/pyenv.sh"

if [ "${1:-}" = --self-test ]; then
    exec "$PY" "$ROOT/bench/documents.py" self-test
fi

# shellcheck source=bench/corpus.sh
source "$ROOT/bench/corpus.sh"
if [ -z "${CORPUS:-}" ]; then
    CORPUS=$CACHE/documents-corpus
    fresh_corpus "$CORPUS" --out
fi
PROFILE=${PROFILE:-dev}
HEXIN=$(bench_bin "$PROFILE" document_report)

RESULTS=${RESULTS-$ROOT/bench/DOCUMENTS.md}
args=(score --corpus "$CORPUS" --hexin "$HEXIN" --hexin-profile "$PROFILE" --raw "$CACHE/documents-raw.json")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
[ "${1:-}" = --wrong ] && args+=(--wrong)
[ "${1:-}" = --must-win ] && args+=(--must-win)
exec "$PY" "$ROOT/bench/documents.py" "${args[@]}"
