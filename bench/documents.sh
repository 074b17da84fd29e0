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
# made by `cargo run -p hexin-testing --bin corpus` and remade whenever testing/src changes);
# PROFILE (dev or release, default dev) of the document_report build; RESULTS (default
# bench/DOCUMENTS.md; empty: print only).
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# shellcheck source=bench/pyenv.sh
source "$ROOT/bench/pyenv.sh"

if [ "${1:-}" = --self-test ]; then
    exec "$PY" "$ROOT/bench/documents.py" self-test
fi

if [ -z "${CORPUS:-}" ]; then
    CORPUS=$CACHE/documents-corpus
    # The corpus is drawn by testing/src: a change there remakes it.
    stamp=$(find "$ROOT/testing/src" -name '*.rs' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
    if [ "$(cat "$CORPUS/stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "documents: making the corpus in $CORPUS" >&2
        rm -rf "$CORPUS"
        (cd "$ROOT" && cargo run --quiet -p hexin-testing --bin corpus -- --out "$CORPUS")
        echo "$stamp" >"$CORPUS/stamp"
    fi
fi

PROFILE=${PROFILE:-dev}
echo "documents: building document_report ($PROFILE)" >&2
(cd "$ROOT" && cargo build --quiet --profile "$PROFILE" -p hexin-bench --bin document_report)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
HEXIN=$TARGET/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")/document_report

RESULTS=${RESULTS-$ROOT/bench/DOCUMENTS.md}
args=(score --corpus "$CORPUS" --hexin "$HEXIN" --hexin-profile "$PROFILE" --raw "$CACHE/documents-raw.json")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
[ "${1:-}" = --wrong ] && args+=(--wrong)
[ "${1:-}" = --must-win ] && args+=(--must-win)
exec "$PY" "$ROOT/bench/documents.py" "${args[@]}"
