#!/usr/bin/env bash
# The main job on a fresh machine: build hexin, check real camera photos, then seal the shipped
# individual and enterprise examples into packages and verify them.
#   target/demo/checked/       normalized JPEGs of the accepted real photos
#   target/demo/individual/    a sealed package (manifest.json + materials)
#   target/demo/enterprise/    another, signed with a throwaway P-256 key
set -euo pipefail
cd "$(dirname "$0")/.."
photos="${HEXIN_REAL_PHOTOS:-../shared/fixtures/real-photos}"
cargo build --release -q -p hexin-cli
hexin=./target/release/hexin
rm -rf target/demo
mkdir -p target/demo

echo "== 1. check real camera photos as ID-card fronts"
status=0
if [ -d "$photos" ]; then
    $hexin check --material id-card-front --out target/demo/checked "$photos"/camera/* "$photos"/orientation/Portrait_6.jpg || status=$?
    echo "check exit status $status (0: all accepted, 1: some rejected, 2: usage or I/O error)"
    [ "$status" -le 1 ]
else
    echo "($photos not found: skipped)"
fi

# Every photo in an example directory, as --material KIND=PATH (the file's stem is its kind).
materials() {
    for f in "examples/$1"/*.jpg; do
        printf -- '--material\n%s=%s\n' "$(basename "$f" .jpg)" "$f"
    done
}

echo "== 2. validate, seal and verify the individual example (Beijing)"
$hexin validate id-number 11010519491231002X
mapfile -t individual < <(materials individual)
$hexin seal --subject individual --province 11 --fields examples/individual/fields.json \
    "${individual[@]}" --out target/demo/individual
$hexin verify target/demo/individual

echo "== 3. seal and verify the enterprise example (Guangdong), signed"
key=target/demo/demo-key.pem
cargo run -q --release -p hexin-core --example keygen -- "$key"
mapfile -t enterprise < <(materials enterprise)
$hexin seal --subject enterprise --province guangdong --fields examples/enterprise/fields.json \
    "${enterprise[@]}" --signing-key "$key" --out target/demo/enterprise
$hexin verify --trusted-key "$key.pub" target/demo/enterprise
echo "packages in target/demo/"
