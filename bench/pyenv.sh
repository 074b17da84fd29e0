# The Python venv of bench/compare.sh and bench/documents.sh; sourced, sets PY (and CACHE).
# Pinned versions, installed only when an import fails (bench/venv.sh).
# shellcheck source=bench/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
PY=$(bench_venv pyenv 'import PIL, cv2, numpy' pillow==13.0.0 opencv-python-headless==5.0.0.93 numpy==2.4.6)
