#!/usr/bin/env bash
# The main job on a fresh machine: build hexin and check real camera photos as ID-card fronts,
# writing the normalized JPEGs of the accepted ones to target/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
photos="${HEXIN_REAL_PHOTOS:-../shared/fixtures/real-photos}"
cargo build --release -q -p hexin-cli
status=0
./target/release/hexin check --material id-card-front --out target/demo "$photos"/camera/* "$photos"/orientation/Portrait_6.jpg || status=$?
echo "exit status $status (0: all accepted, 1: some rejected, 2: usage or I/O error); outputs in target/demo/"
[ "$status" -le 1 ]
