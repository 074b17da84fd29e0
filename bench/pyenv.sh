# The Python venv of bench/compare.sh and bench/documents.sh; sourced, sets PY.
# HEXIN_CACHE (default ~/.cache/hexin) holds it. Pinned versions, installed only when an import fails.
CACHE=${HEXIN_CACHE:-$HOME/.cache/hexin}
VENV=$CACHE/pyenv
if ! "$VENV/bin/python" -c 'import PIL, cv2, numpy' 2>/dev/null; then
    echo "bench: setting up $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet pillow==13.0.0 opencv-python-headless==5.0.0.93 numpy==2.4.6
fi
PY=$VENV/bin/python
