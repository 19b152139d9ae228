#!/bin/bash
# build-debian-image.sh OUT_DIR LAB_PUBKEY
# A real Debian 12 root file system for the lab's build tests, made with
# mmdebstrap from Debian's mirror only, as OUT_DIR/bookworm-base.tar.gz + .md5
# (md5sum's format). Cached outside the repository: the build takes minutes,
# CI runs from a clean clone on this machine, so the result is kept in
# ${IGVM_LAB_IMAGE_CACHE:-/var/cache/igvm-lab}/debian-KEY/ where KEY hashes
# every input (this script, guest-debian-customize.sh, lab/lib/guest-debian/,
# the lab key); OUT_DIR gets
# hard links (or copies) of the cached files. The lab key is the machine's
# (igvm-lab keeps it in that cache too), so a clean clone finds its image there.
#
# The image boots with the lab's kernel + busybox initrd (lab/lib/build-image.sh),
# which switch_roots into /sbin/init = systemd. It has no SSH host keys (igvm's
# build writes them) and no network configuration (igvm writes
# /etc/network/interfaces; ifupdown brings eth0 up).
set -euo pipefail
OUT=$1
PUBKEY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=${IGVM_LAB_IMAGE_CACHE:-/var/cache/igvm-lab}
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY=http://deb.debian.org/debian-security
PACKAGES=systemd,systemd-sysv,udev,dbus,openssh-server,puppet-agent,ifupdown,iproute2,xfsprogs,kmod,procps,iputils-ping,netbase,ca-certificates

key=$( { cat "$PUBKEY" "$0" "$HERE/guest-debian-customize.sh"; echo "$PACKAGES"; find "$HERE/guest-debian" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
C=$TOP/debian-$key
mkdir -p "$OUT"
if [ ! -s "$C/bookworm-base.tar.gz.md5" ]; then
    command -v mmdebstrap > /dev/null || { echo "build-debian-image: mmdebstrap is not installed" >&2; exit 1; }
    mkdir -p "$TOP"
    WORK=$(mktemp -d "$TOP/build.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    R=$WORK/root
    t0=$(date +%s)
    # minbase + what a booting, Puppet-managed server needs; no docs, man pages or locales
    # (smaller image, faster extraction at every build)
    mmdebstrap --variant=minbase --mode=root --format=directory \
        --include="$PACKAGES" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook="\"$HERE/guest-debian-customize.sh\" \"\$1\" \"$HERE/guest-debian\" \"$PUBKEY\"" \
        "$SUITE" "$R" \
        "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY $SUITE-security main" \
        > "$WORK/mmdebstrap.log" 2>&1 || { tail -30 "$WORK/mmdebstrap.log" >&2; exit 1; }
    # xattrs (file capabilities, e.g. ping) and numeric owners, as igvm extracts it
    tar --xattrs --xattrs-include='*' --numeric-owner -C "$R" -czf "$WORK/bookworm-base.tar.gz" .
    (cd "$WORK" && md5sum bookworm-base.tar.gz > bookworm-base.tar.gz.md5)
    mkdir -p "$C"
    cp "$WORK/mmdebstrap.log" "$C/"
    du -sm "$R" | cut -f1 > "$C/rootfs-mib"
    echo "$(($(date +%s) - t0))" > "$C/build-seconds"
    mv "$WORK/bookworm-base.tar.gz" "$C/"
    mv "$WORK/bookworm-base.tar.gz.md5" "$C/"   # last: its presence marks a complete cache entry
    echo "build-debian-image: built $C in $(cat "$C/build-seconds") s ($(cat "$C/rootfs-mib") MiB unpacked)"
fi
# entries other checkouts (other lab keys) have not used for a week go
touch "$C/last-used"
find "$TOP" -mindepth 2 -maxdepth 2 -name last-used -mtime +7 -printf '%h\n' | while read -r old; do
    case $old in "$TOP"/debian-*) [ "$old" = "$C" ] || rm -rf "$old" ;; esac
done
for f in bookworm-base.tar.gz bookworm-base.tar.gz.md5; do
    rm -f "$OUT/$f"
    ln "$C/$f" "$OUT/$f" 2> /dev/null || cp "$C/$f" "$OUT/$f"
done
echo "$C" > "$OUT/bookworm-base.source"
ls -la "$OUT"/bookworm-base.*
