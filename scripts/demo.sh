#!/usr/bin/env bash
# The main job on a fresh machine, the whole flow: build hexin, check real camera photos, list
# what a filing still needs, check and seal the shipped individual and enterprise specimens into
# packages, start the local tus server, upload both through an encrypted outbox with a progress
# bar, and verify what the server stored.
#   target/demo/checked/       normalized JPEGs of the accepted real photos
#   target/demo/individual/    a sealed package (manifest.json + materials)
#   target/demo/enterprise/    another, signed with a throwaway P-256 key
#   target/demo/outbox/        the on-device outbox (encrypted with target/demo/outbox.key)
#   target/demo/server/        what the tus server stored: uploads, and the assembled packages
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
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

# Every photo in an example directory, as --material KIND=PATH (the file's stem is its kind; the
# owner is the one person's or website's). The photos stand for captures taken in an app's camera
# (--source camera): the default policy refuses ID cards, faces and forms from the gallery.
materials() {
    for f in "specimens/$1"/*.jpg; do
        printf -- '--material\n%s=%s\n' "$(basename "$f" .jpg)" "$f"
    done
}

echo "== 2. validate, list what is needed, seal and verify the individual example (Beijing)"
$hexin validate id-number 11010519491231002X
mapfile -t individual < <(materials individual)
$hexin requirements --subject individual --province 11 --fields specimens/individual/fields.json "${individual[@]}"
$hexin seal --subject individual --province 11 --fields specimens/individual/fields.json \
    "${individual[@]}" --source camera --out target/demo/individual
$hexin verify target/demo/individual

echo "== 3. what an enterprise whose website someone else runs needs in Shanghai (exit 1: not ready)"
status=0
$hexin requirements --subject enterprise --province 31 --fields examples/enterprise-website-delegate/fields.json || status=$?
[ "$status" -eq 1 ]

echo "== 4. seal and verify the enterprise example (Guangdong), signed"
key=target/demo/demo-key.pem
cargo run -q --release -p hexin-testing --bin keygen -- "$key"
mapfile -t enterprise < <(materials enterprise)
$hexin seal --subject enterprise --province guangdong --fields specimens/enterprise/fields.json \
    "${enterprise[@]}" --source camera --signing-key "$key" --out target/demo/enterprise
$hexin verify --trusted-key "$key.pub" target/demo/enterprise

echo "== 5. start the local tus server"
trap 'kill ${TUS_SERVER:-} 2>/dev/null || true' EXIT
start_tus_server target/demo/server
endpoint=$TUS_ENDPOINT
echo "tus server at $endpoint"

echo "== 6. upload both packages through the encrypted outbox"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >target/demo/outbox.key
for package in individual enterprise; do
    $hexin upload --endpoint "$endpoint" --outbox target/demo/outbox --key-file target/demo/outbox.key target/demo/$package
done
$hexin outbox list --outbox target/demo/outbox --key-file target/demo/outbox.key

echo "== 7. verify what the server stored"
for package in individual enterprise; do
    id=$(sed -n 's/.*"package_id":"\([0-9a-f]*\)".*/\1/p' target/demo/$package/manifest.json)
    digest=$(sed -n 's/.*"seal":{"digest":"\([0-9a-f]*\)".*/\1/p' target/demo/$package/manifest.json)
    $hexin verify --expect-digest "$digest" "target/demo/server/packages/$id"
done
echo "done: everything is in target/demo/"
