#!/usr/bin/env bash
# Runs a Swift toolchain command, or a program swiftc built, wherever Swift is on this machine:
#
#   scripts/swift-run.sh CMD [ARGS...]   # e.g. swiftc ..., or ./a.out; exit status is CMD's
#   scripts/swift-run.sh --install       # only make sure Swift is there (what swift.sh does)
#   scripts/swift-run.sh --where         # print "local", or the root the commands run in
#
# macOS, or Linux with swiftc on PATH: runs CMD as it is. Otherwise (Linux, as root): runs it
# in a Debian trixie root with Debian's swiftlang, made once with debootstrap in
# $HEXIN_SWIFT_ROOT (default ${HEXIN_CACHE:-$HOME/.cache/hexin}/swift-root; about 1.6 GB;
# minutes the first time, nothing after; a stamp file marks a finished install, so an
# interrupted one is redone from scratch). Each call runs in a private mount namespace
# (unshare -m) where the repository, $CARGO_TARGET_DIR, the current directory, /tmp and the
# directories in $HEXIN_SWIFT_MOUNTS (space- or colon-separated) are bind-mounted into the root
# at their own paths, so host paths work unchanged; the kernel drops those mounts when the call
# ends, however it ends, and they are never visible on the host.
#
# In the root the environment is clean (PATH, HOME=/root, LANG, TERM), plus every HEXIN_* and
# RUST_* variable, the variables named in $HEXIN_SWIFT_ENV, and LD_LIBRARY_PATH set from
# $HEXIN_SWIFT_LD_PATH (colon-separated directories, e.g. where libhexin_ffi.so is). In local
# mode HEXIN_SWIFT_LD_PATH is prepended to LD_LIBRARY_PATH (DYLD_LIBRARY_PATH on macOS).
set -euo pipefail
# debootstrap, chroot and unshare live in sbin, which a minimal PATH leaves out.
PATH=$PATH:/usr/sbin:/sbin

# Bump when the recipe below changes: an existing root with another stamp is made again.
recipe=1
root=${HEXIN_SWIFT_ROOT:-${HEXIN_CACHE:-$HOME/.cache/hexin}/swift-root}
case $root in /*) ;; *) root=$PWD/$root ;; esac
stamp=$root/.hexin-swift-root-$recipe
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "swift-run: $*" >&2; exit 1; }

local_swift() { [ "$(uname)" = Darwin ] || command -v swiftc >/dev/null 2>&1; }

# The mirror the host's apt uses (deb822 .sources or one-line .list), else deb.debian.org.
host_mirror() {
    local m
    m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }')
    [ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\// && $i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }')
    echo "${m:-http://deb.debian.org/debian}"
}

# Mount points at or under $1, deepest first (from this namespace's mountinfo).
mounts_under() {
    awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | LC_ALL=C sort -r
}

apt_host_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

install_root() {
    [ -f "$stamp" ] && return 0
    [ "$(id -u)" = 0 ] || die "no swiftc on PATH, and making the Swift root needs root (debootstrap, chroot)"
    mkdir -p "$(dirname "$root")"
    exec 9>"$root.lock"
    flock 9 # another process may be installing: wait for it
    [ -f "$stamp" ] || make_root
    exec 9>&-
}

make_root() {
    local started=$SECONDS log=$root.log mirror m
    mirror=$(host_mirror)
    echo "== swift: making a Debian trixie root with swiftlang in $root (once; takes minutes)" >&2
    command -v debootstrap >/dev/null || apt_host_install debootstrap
    command -v unshare >/dev/null || die "unshare (util-linux) is needed"

    # A root left by an interrupted install, or an older recipe: make sure nothing is mounted
    # in it (rm would go through a bind mount of the repository), then remove it.
    if [ -e "$root" ]; then
        for m in $(mounts_under "$root"); do umount -l "$m" || true; done
        [ -z "$(mounts_under "$root")" ] || die "still mounted under $root: $(mounts_under "$root" | tr '\n' ' ')"
        rm -rf --one-file-system "$root"
    fi

    echo "   debootstrap --variant=minbase trixie $root $mirror (log: $log)" >&2
    debootstrap --variant=minbase trixie "$root" "$mirror" >"$log" 2>&1 ||
        { tail -n 30 "$log" >&2; die "debootstrap failed (log: $log)"; }

    # Leave out what compiling and running tests never uses: the debugger, the IDE services,
    # the embedded-target stdlib modules, docs (about 0.9 GB of swiftlang's 2.1 GB).
    cat >"$root/etc/dpkg/dpkg.cfg.d/hexin-slim" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/libexec/swift/lib/liblldb.so*
path-exclude=/usr/libexec/swift/bin/lldb*
path-exclude=/usr/libexec/swift/lib/libsourcekitdInProc.so
path-exclude=/usr/libexec/swift/bin/sourcekit-lsp
path-exclude=/usr/libexec/swift/bin/clangd
path-exclude=/usr/libexec/swift/bin/docc
path-exclude=/usr/libexec/swift/share/docc/*
path-exclude=/usr/libexec/swift/lib/swift/embedded/*
EOF
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    echo "   apt-get install swiftlang libc6-dev in the root" >&2
    # /proc and /dev for the maintainer scripts, in a private namespace so they vanish after.
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- /bin/sh -c '
        set -e
        mount -t proc proc "$1/proc"
        mount --rbind /dev "$1/dev"
        chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive /bin/sh -c "
                apt-get update -qq &&
                apt-get install -y -qq --no-install-recommends swiftlang libc6-dev &&
                apt-get clean && rm -rf /var/lib/apt/lists/* &&
                swiftc --version >/.hexin-swiftc-version"
    ' sh "$root" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "installing swiftlang failed (log: $log)"; }

    local version
    version=$(head -1 "$root/.hexin-swiftc-version")
    mv "$root/.hexin-swiftc-version" "$stamp"
    echo "== swift: $version installed in $((SECONDS - started)) s ($(du -sh --one-file-system "$root" | cut -f1))" >&2
}

# The first path component of $1 names a directory of the root's own system.
system_dir() {
    case $1 in
    / | /usr | /usr/* | /etc | /etc/* | /bin | /bin/* | /sbin | /sbin/* | /lib* | /var | /var/* | /proc | /proc/* | \
        /sys | /sys/* | /dev | /dev/* | /boot | /boot/* | /run | /run/*) return 0 ;;
    esac
    return 1
}

run_in_root() {
    install_root
    [ $# -gt 0 ] || die "no command given"
    local dirs=() d
    # shellcheck disable=SC2086 # HEXIN_SWIFT_MOUNTS is a list
    for d in "$repo" "${CARGO_TARGET_DIR:-}" "$PWD" /tmp $(echo "${HEXIN_SWIFT_MOUNTS:-}" | tr ':' ' '); do
        [ -n "$d" ] && [ -d "$d" ] || continue
        d=$(cd "$d" && pwd -P)
        case $d in /dev/* | /proc/*) continue ;; esac # visible anyway: /dev and /proc are mounted
        if system_dir "$d"; then
            [ "$d" = "$PWD" ] || echo "swift-run: not mounting $d (a system directory of the root)" >&2
            continue
        fi
        dirs+=("$d")
    done
    mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | LC_ALL=C sort -u | sed '/^$/d') # parents sort first
    local envs=(PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 "TERM=${TERM:-dumb}") name
    [ -z "${HEXIN_SWIFT_LD_PATH:-}" ] || envs+=("LD_LIBRARY_PATH=$HEXIN_SWIFT_LD_PATH")
    for name in $(compgen -e | grep -E '^(HEXIN|RUST)_' || true) ${HEXIN_SWIFT_ENV:-}; do
        [ -n "${!name+x}" ] && envs+=("$name=${!name}")
    done
    # Mount in a private mount namespace: parents before children, each at its own path.
    # shellcheck disable=SC2016 # expanded by the inner shell
    exec unshare --mount --propagation private -- /bin/bash -c '
        set -e
        root=$1 cwd=$2 ndirs=$3; shift 3
        mount -t proc proc "$root/proc" 2>/dev/null || mount --rbind /proc "$root/proc"
        mount --rbind /dev "$root/dev"
        for d in "${@:1:ndirs}"; do
            mkdir -p "$root$d"
            mount --rbind "$d" "$root$d"
        done
        shift "$ndirs"
        nenv=$1; shift
        envs=("${@:1:nenv}"); shift "$nenv"
        exec chroot "$root" /usr/bin/env -i "${envs[@]}" /bin/sh -c "cd \"\$0\" 2>/dev/null || cd /; exec \"\$@\"" "$cwd" "$@"
    ' swift-run "$root" "$PWD" "${#dirs[@]}" "${dirs[@]}" "${#envs[@]}" "${envs[@]}" "$@"
}

case ${1:-} in
--install)
    local_swift || install_root
    ;;
--where)
    if local_swift; then echo local; else echo "$root"; fi
    ;;
*)
    if local_swift; then
        if [ -n "${HEXIN_SWIFT_LD_PATH:-}" ]; then
            if [ "$(uname)" = Darwin ]; then
                export DYLD_LIBRARY_PATH=$HEXIN_SWIFT_LD_PATH${DYLD_LIBRARY_PATH:+:$DYLD_LIBRARY_PATH}
            else
                export LD_LIBRARY_PATH=$HEXIN_SWIFT_LD_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
            fi
        fi
        exec "$@"
    fi
    run_in_root "$@"
    ;;
esac
