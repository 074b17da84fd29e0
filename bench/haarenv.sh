# The Python venv of bench/faces.sh's peer, OpenCV's Haar cascade face detector; sourced, sets
# HAAR_PY. OpenCV 5 (bench/pyenv.sh) no longer ships cv2.CascadeClassifier nor its cascades, so
# this is a venv of its own with OpenCV 4. HEXIN_CACHE (default ~/.cache/hexin) holds it.
# Pinned versions, installed only when the import fails.
CACHE=${HEXIN_CACHE:-$HOME/.cache/hexin}
HAAR_VENV=$CACHE/haarenv
if ! "$HAAR_VENV/bin/python" -c 'import PIL, numpy, cv2; cv2.CascadeClassifier' 2>/dev/null; then
    echo "bench: setting up $HAAR_VENV" >&2
    python3 -m venv "$HAAR_VENV"
    "$HAAR_VENV/bin/python" -m pip install --quiet --upgrade pip
    "$HAAR_VENV/bin/python" -m pip install --quiet pillow==13.0.0 opencv-python-headless==4.14.0.94 numpy==2.4.6
fi
HAAR_PY=$HAAR_VENV/bin/python
