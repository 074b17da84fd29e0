#!/usr/bin/env bash
# Upload throughput on loopback: hexin's tus client against curl, side by side in one run, on
# the same local @tus/server (tests/tus-server) and the same random files.
#
#   bash bench/upload.sh            # sizes 10, 50, 200 MB; ROUNDS=5 interleaved rounds
#   SIZES="50" ROUNDS=9 bash bench/upload.sh
#   CHUNKS="default 8388608 whole" WORKERS=2 bash bench/upload.sh   # whole = one chunk per file
#
# Timings, both measured inside the process (no process start-up): curl = the time_total of its
# creation POST plus that of one PATCH carrying the whole file (-T streams it from disk); hexin =
# upload_file from its first request (OPTIONS, then creation-with-upload carrying the first
# chunk) to the last acknowledged PATCH. Neither includes hashing. Prints medians, the throughput ratio
# hexin / curl (goal >= 0.8 at 50 MB) and hexin's peak RSS per size (goal: flat), then whether
# each goal is met. Both include the test server's own SHA-256 of the finished upload (its
# onUploadFinish hook), which runs before the last response. Exits 0 either way: a report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
SIZES=${SIZES:-"10 50 200"}
ROUNDS=${ROUNDS:-5}
CHUNKS=${CHUNKS:-"default 1048576 8388608"}
WORKERS=${WORKERS:-0} # tokio runtime of tus_upload: 0 = current_thread, N = N worker threads

cargo build --release -q -p hexin-bench --bin tus_upload
bin=${CARGO_TARGET_DIR:-target}/release/tus_upload
work=$(mktemp -d)
trap 'kill ${TUS_SERVER:-} 2>/dev/null || true; rm -rf "$work"' EXIT
start_tus_server "$work"
endpoint=$TUS_ENDPOINT

curl_upload() { # FILE SIZE SHA → seconds: curl's own time_total of the POST plus the PATCH
    local headers location post patch
    headers="$work/headers"
    post=$(curl -sS -o /dev/null -D "$headers" -w '%{time_total}' -X POST "$endpoint" -H 'Tus-Resumable: 1.0.0' \
        -H "Upload-Length: $2" -H "Upload-Metadata: filename YmVuY2guYmlu,sha256 $(printf %s "$3" | base64 -w0)")
    location=$(tr -d '\r' <"$headers" | sed -n 's/^[Ll]ocation: //p')
    patch=$(curl -sS -o /dev/null -w '%{time_total}' -X PATCH -T "$1" "$location" -H 'Tus-Resumable: 1.0.0' \
        -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' -H 'Expect:')
    echo "$post + $patch" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

: >"$work/summary"
printf '%-6s %-22s %10s %9s %8s %12s\n' size tool median_s MB/s ratio peak_rss_MB
for size in $SIZES; do
    file="$work/file-$size"
    head -c "$((size * 1000000))" /dev/urandom >"$file"
    sha=$(sha256sum "$file" | cut -d' ' -f1)
    : >"$work/curl-$size"
    for chunk in $CHUNKS; do : >"$work/hexin-$size-$chunk"; : >"$work/rss-$size-$chunk"; done
    for _ in $(seq "$ROUNDS"); do
        curl_upload "$file" "$((size * 1000000))" "$sha" >>"$work/curl-$size"
        rm -rf "$work/store"/*
        for chunk in $CHUNKS; do
            case $chunk in
                default) flags=() ;;
                whole) flags=(--chunk-size "$((size * 1000000))") ;;
                *) flags=(--chunk-size "$chunk") ;;
            esac
            line=$("$bin" "$endpoint" "$file" "$sha" --workers "$WORKERS" "${flags[@]}")
            echo "$line" | sed 's/.*"seconds":\([0-9.]*\).*/\1/' >>"$work/hexin-$size-$chunk"
            echo "$line" | sed 's/.*"peak_rss_kb":\([0-9]*\).*/\1/' >>"$work/rss-$size-$chunk"
            rm -rf "$work/store"/*
        done
    done
    curl_s=$(median <"$work/curl-$size")
    printf '%-6s %-22s %10.3f %9.0f %8s %12s\n' "${size}MB" curl "$curl_s" "$(echo "$size / $curl_s" | bc -l)" 1.00 -
    for chunk in $CHUNKS; do
        s=$(median <"$work/hexin-$size-$chunk")
        rss=$(sort -g "$work/rss-$size-$chunk" | tail -1)
        case $chunk in
            default) label="hexin default (1-8 MiB)" ;;
            whole) label="hexin one chunk (whole)" ;;
            *) label="hexin fixed $((chunk / 1048576)) MiB" ;;
        esac
        ratio=$(echo "$curl_s / $s" | bc -l)
        printf '%-6s %-22s %10.3f %9.0f %8.2f %12.1f\n' "${size}MB" "$label" "$s" \
            "$(echo "$size / $s" | bc -l)" "$ratio" "$(echo "$rss / 1024" | bc -l)"
        echo "$size $chunk $ratio $rss" >>"$work/summary"
    done
    rm -f "$file"
done
echo "ratio = hexin throughput / curl throughput (goal >= 0.8 at 50 MB); peak RSS should not grow with the file"

# Verdicts, for the default configuration when it was measured (else the first in CHUNKS).
main=default
case " $CHUNKS " in *" default "*) ;; *) main=${CHUNKS%% *} ;; esac
ratio50=$(awk -v c="$main" '$1 == 50 && $2 == c {print $3}' "$work/summary")
if [ -z "$ratio50" ]; then
    echo "throughput goal: not measured (SIZES has no 50)"
elif [ "$(echo "$ratio50 >= 0.8" | bc -l)" = 1 ]; then
    printf 'throughput goal (>= 0.8x curl at 50 MB, %s): MET (%.2fx)\n' "$main" "$ratio50"
else
    printf 'throughput goal (>= 0.8x curl at 50 MB, %s): NOT MET (%.2fx)\n' "$main" "$ratio50"
fi
# Flat: the largest size's peak RSS within 10% (+1 MB) of the next largest's. (Not the smallest's:
# the default's chunks ramp up to 8 MiB only on files over 15 MiB, so a 10 MB file peaks lower.)
read -r slo lo shi hi < <(awk -v c="$main" '$2 == c {print $1, $4}' "$work/summary" | sort -n | tail -2 |
    awk 'NR == 1 {slo = $1; lo = $2} {shi = $1; hi = $2} END {if (NR > 1) print slo, lo, shi, hi}') || true
if [ -z "${lo:-}" ]; then
    echo "memory goal: needs two or more SIZES"
else
    verdict="NOT MET"
    [ "$(echo "$hi <= $lo * 1.1 + 1024" | bc -l)" = 1 ] && verdict=MET
    printf 'memory goal (flat peak RSS, %s): %s (%.1f MB at %s MB, %.1f MB at %s MB)\n' \
        "$main" "$verdict" "$(echo "$lo / 1024" | bc -l)" "$slo" "$(echo "$hi / 1024" | bc -l)" "$shi"
fi
