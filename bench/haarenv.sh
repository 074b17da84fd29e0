# The Python venv of bench/faces.sh, whose peer is OpenCV's Haar cascade face detector; sourced,
# sets HAAR_PY (and CACHE). OpenCV 5 (bench/pyenv.sh) no longer ships cv2.CascadeClassifier nor
# its cascades, so this venv has OpenCV 4. Pinned versions, installed only when the import fails
# (bench/venv.sh).
# shellcheck source=bench/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
HAAR_PY=$(bench_venv haarenv 'import PIL, numpy, cv2; cv2.CascadeClassifier' pillow==13.0.0 opencv-python-headless==4.14.0.94 numpy==2.4.6)
