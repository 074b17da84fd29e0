#!/usr/bin/env bash
# Prints every check's measurement and the false-accept / false-reject counts on the generated
# calibration set, the shared real camera photos and scikit-image's real photos.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${HEXIN_CACHE:-$HOME/.cache/hexin}/pyenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import skimage" 2>/dev/null || "$venv/bin/pip" install -q scikit-image
sk="$("$venv/bin/python" -c 'import skimage, os; print(os.path.join(os.path.dirname(skimage.__file__), "data"))')"
photos="${HEXIN_REAL_PHOTOS:-../shared/fixtures/real-photos}"
# scikit-image's photographs (its other files are drawings, masks or stacks).
cargo run --release -q -p hexin-bench --bin calibrate -- \
  "$photos/orientation/Landscape_1.jpg" "$photos/orientation/Portrait_1.jpg" "$photos/camera" \
  "$sk"/{astronaut,brick,camera,chelsea,coffee,clock_motion,grass,gravel,hubble_deep_field,ihc,motorcycle_left,page,retina,rocket,text,moon,coins}.*
