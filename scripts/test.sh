#!/usr/bin/env bash
# Runs every test: the Rust suites (unit, pipeline, real photos, CLI, property tests) and the
# fuzz targets for a bounded time. Installs what it needs (cargo-fuzz) idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi
FUZZ_SECONDS="${FUZZ_SECONDS:-30}" bash scripts/fuzz.sh
