# The generated corpora and hexin's side of bench/documents.sh and bench/faces.sh; sourced after
# ROOT is set.

# fresh_corpus DIR FLAG: makes DIR with `corpus FLAG DIR` (hexin-testing) unless DIR's stamp says
# it was drawn by the present testing/src from the present photographs in testing/.
fresh_corpus() {
    local dir=$1 flag=$2 stamp
    stamp=$(find "$ROOT/testing/src" "$ROOT/testing/faces" "$ROOT/testing/textures" -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
    if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "bench: making the corpus in $dir" >&2
        rm -rf "$dir"
        (cd "$ROOT" && cargo run --quiet -p hexin-testing --bin corpus -- "$flag" "$dir")
        echo "$stamp" >"$dir/stamp"
    fi
}

# bench_bin PROFILE NAME: builds hexin-bench's binary NAME and prints its path.
bench_bin() {
    echo "bench: building $2 ($1)" >&2
    (cd "$ROOT" && cargo build --quiet --profile "$1" -p hexin-bench --bin "$2")
    echo "${CARGO_TARGET_DIR:-$ROOT/target}/$([ "$1" = dev ] && echo debug || echo "$1")/$2"
}
