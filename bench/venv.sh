# The pinned Python venvs of the bench scripts; sourced by bench/pyenv.sh and bench/haarenv.sh.
# HEXIN_CACHE (default ~/.cache/hexin) holds them.
CACHE=${HEXIN_CACHE:-$HOME/.cache/hexin}

# bench_venv NAME CHECK PACKAGE==VERSION...: makes the venv $CACHE/NAME with those packages unless
# `python -c CHECK` already succeeds in it, then prints its python's path.
bench_venv() {
    local venv=$CACHE/$1 check=$2
    shift 2
    if ! "$venv/bin/python" -c "$check" 2>/dev/null; then
        echo "bench: setting up $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
        "$venv/bin/python" -m pip install --quiet "$@" >&2
    fi
    echo "$venv/bin/python"
}
