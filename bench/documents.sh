#!/usr/bin/env bash
# hexin vs a classic OpenCV document scanner (bench/scanner.py) on the document corpus; rewrites
# bench/DOCUMENTS.md.
#
#   bash bench/documents.sh               score both sides, print per-code errors, write DOCUMENTS.md
#   bash bench/documents.sh --self-test   the scoring's own test (no cargo, no corpus)
#
# Environment: HEXIN_CACHE (default ~/.cache/hexin) holds the Python venv and the corpus;
# CORPUS (default $HEXIN_CACHE/documents-corpus, made by `cargo run -p hexin-testing --bin corpus`
# when it has no labels.json; delete it to remake it); PROFILE (dev or release, default dev) of
# the document_report build; RESULTS (default bench/DOCUMENTS.md; empty: print only).
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# shellcheck source=bench/pyenv.sh
source "$ROOT/bench/pyenv.sh"

if [ "${1:-}" = --self-test ]; then
    exec "$PY" "$ROOT/bench/documents.py" self-test
fi

CORPUS=${CORPUS:-$CACHE/documents-corpus}
if [ ! -f "$CORPUS/labels.json" ]; then
    echo "documents: making the corpus in $CORPUS" >&2
    (cd "$ROOT" && cargo run --quiet -p hexin-testing --bin corpus -- --out "$CORPUS")
fi

PROFILE=${PROFILE:-dev}
echo "documents: building document_report ($PROFILE)" >&2
(cd "$ROOT" && cargo build --quiet --profile "$PROFILE" -p hexin-bench --bin document_report)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
HEXIN=$TARGET/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")/document_report

RESULTS=${RESULTS-$ROOT/bench/DOCUMENTS.md}
args=(score --corpus "$CORPUS" --hexin "$HEXIN" --hexin-profile "$PROFILE" --raw "$CACHE/documents-raw.json")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
exec "$PY" "$ROOT/bench/documents.py" "${args[@]}"
