# Sourced by tests/bindings.sh and tests/artifacts.sh, from the repository root: what the Kotlin
# and Swift tests run against.
#
#   binding_test_fixtures WORK
#
# starts the local tus server (scripts/node.sh's start_tus_server; its pid in TUS_SERVER, for
# the caller to kill) with its store in WORK/server, writes the capture guide's recorded preview
# frames (raw luma + frames.json), replayed by both, and the document corpus (a second ID card:
# the specimens share their photos) into WORK, and exports the HEXIN_* variables the tests read.
binding_test_fixtures() {
    local work=$1
    source scripts/node.sh
    start_tus_server "$work/server"
    cargo run -q -p hexin-testing --bin corpus -- --frames "$work/frames" --out "$work/corpus" >/dev/null
    export HEXIN_FRAMES=$work/frames HEXIN_CORPUS=$work/corpus HEXIN_ENDPOINT=$TUS_ENDPOINT HEXIN_SERVER_PACKAGES=$work/server/packages HEXIN_SPECIMENS=$PWD/specimens
    HEXIN_REAL_PHOTOS=$(realpath "${HEXIN_REAL_PHOTOS:-$PWD/../shared/fixtures/real-photos}")
    export HEXIN_REAL_PHOTOS HEXIN_SWIFT_MOUNTS=$HEXIN_REAL_PHOTOS
}
