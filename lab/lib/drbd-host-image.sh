#!/bin/bash
# drbd-host-image.sh LAB_CACHE LAB_PUBKEY
# The base image of the lab's emulated "DRBD hypervisors" (igvm-lab up --drbd): a Debian 12
# root file system (mmdebstrap, Debian's mirror only) with LVM, drbd-utils, sshd, python3,
# netcat and libvirtd, Debian's kernel modules installed (dm_mod and drbd 8.4 load at boot),
# as a raw ext4 image made with `mkfs.ext4 -d` (no loop device), plus the kernel of the same
# package and a small busybox initrd (lab/lib/initrd-init.sh) that mounts the ext4 root.
#
# Cached outside the repository like build-debian-image.sh's image (the build takes minutes;
# CI runs from a clean clone): ${IGVM_LAB_IMAGE_CACHE:-/var/cache/igvm-lab}/drbd-host-KEY/
# with KEY a hash of every input (this script, drbd-host-customize.sh, initrd-init.sh, the
# package list, the initrd's module list, the kernel package, the lab public key). The entry
# holds rootfs.img (sparse raw ext4, never written after the build: each host boots a
# copy-on-write overlay of it), vmlinuz and its uncompressed vmlinux (what the hosts boot),
# initrd.img, kernel-version; "complete" marks a finished
# entry. LAB_CACHE/drbd-host.source names the entry in use.
#
# Per-host identity (hostname, address, SSH host key, libvirt host_uuid) is not in the image:
# igvm-lab hands it to each guest at boot through QEMU fw_cfg (see drbd-host-customize.sh).
set -euo pipefail
CACHE=$1
PUBKEY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=${IGVM_LAB_IMAGE_CACHE:-/var/cache/igvm-lab}
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY=http://deb.debian.org/debian-security
PACKAGES=systemd-sysv,udev,kmod,iproute2,procps,coreutils,util-linux,openssh-server,lvm2,drbd-utils,python3,netcat-openbsd,pv,zstd,xfsprogs,libvirt-daemon-system,libvirt-daemon-driver-qemu,qemu-system-x86
# the initrd: virtio disk + ext4 (crc32c before ext4: the initrd has no modprobe for the crypto
# request), and the NIC and fw_cfg, so that eth0 and the identity files are there at switch_root
MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk crc16 mbcache jbd2 crc32c_generic ext4 failover net_failover virtio_net qemu_fw_cfg"
ROOT_MIB_SPARE=1024     # free space in the root file system beyond its content

[ -s "$CACHE/kernel-package" ] || { echo "drbd-host-image: $CACHE/kernel-package missing (build-image.sh runs first)" >&2; exit 1; }
KPKG=$(cat "$CACHE/kernel-package")
key=$( {
    cat "$PUBKEY" "$0" "$HERE/drbd-host-customize.sh" "$HERE/initrd-init.sh" "$HERE/extract-vmlinux.py"
    echo "$PACKAGES"; echo "$MODS"; echo "$KPKG"; echo "$ROOT_MIB_SPARE"
} | sha256sum | cut -c1-16)
C=$TOP/drbd-host-$key

if [ ! -e "$C/complete" ]; then
    command -v mmdebstrap > /dev/null || { echo "drbd-host-image: mmdebstrap is not installed" >&2; exit 1; }
    mkdir -p "$TOP"
    WORK=$(mktemp -d "$TOP/build.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    t0=$(date +%s)
    # the kernel package the lab's other guests boot (its vmlinuz and all its modules)
    if ! (cd "$WORK" && apt-get download -q "$KPKG" > /dev/null 2>&1); then
        apt-get update -q > /dev/null       # package lists older than the mirror
        (cd "$WORK" && apt-get download -q "$KPKG" > /dev/null)
    fi
    mkdir -p "$WORK/k"
    dpkg-deb -x "$WORK"/linux-image-*.deb "$WORK/k"
    KV=$(ls "$WORK/k/lib/modules")
    R=$WORK/root
    mmdebstrap --variant=minbase --mode=root --format=directory \
        --include="$PACKAGES" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --customize-hook="\"$HERE/drbd-host-customize.sh\" \"\$1\" \"$WORK/k/lib/modules/$KV\" \"$KV\" \"$PUBKEY\"" \
        "$SUITE" "$R" \
        "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY $SUITE-security main" \
        > "$WORK/mmdebstrap.log" 2>&1 || { tail -40 "$WORK/mmdebstrap.log" >&2; exit 1; }
    O=$WORK/out
    mkdir -p "$O"
    # initrd: static busybox + the modules in load order + the lab's /init (mounts root=, rootfstype=)
    I=$WORK/initrd
    mkdir -p "$I/bin" "$I/mods" "$I/proc" "$I/sys" "$I/dev" "$I/newroot"
    cp /bin/busybox "$I/bin/busybox"
    for m in $MODS; do
        f=$(find "$WORK/k/lib/modules" -name "$m.ko" | head -1)
        [ -n "$f" ] || { echo "drbd-host-image: module $m not in $KPKG" >&2; exit 1; }
        cp "$f" "$I/mods/"
    done
    echo "$MODS" | tr ' ' '\n' > "$I/mods/order"
    install -m 755 "$HERE/initrd-init.sh" "$I/init"
    (cd "$I" && find . | cpio -o -H newc --quiet | gzip -6) > "$O/initrd.img"
    cp "$WORK/k/boot/vmlinuz-$KV" "$O/vmlinuz"
    # the uncompressed ELF kernel too: QEMU boots it directly (PVH entry), without the
    # decompression of the xz bzImage that takes ~5 s under TCG (more on a busy machine)
    python3 "$HERE/extract-vmlinux.py" "$O/vmlinuz" "$O/vmlinux"
    echo "$KV" > "$O/kernel-version"
    # the root file system as a sparse raw ext4 image, without a loop device
    mib=$(du -sm "$R" | cut -f1)
    truncate -s "$((mib + ROOT_MIB_SPARE))M" "$O/rootfs.img"
    mkfs.ext4 -q -F -L drbd-root -E lazy_itable_init=0 -d "$R" "$O/rootfs.img"
    echo "$mib" > "$O/rootfs-mib"
    cp "$WORK/mmdebstrap.log" "$O/"
    echo "$(($(date +%s) - t0))" > "$O/build-seconds"
    touch "$O/complete"
    rm -rf "$C"
    mv "$O" "$C"
    echo "drbd-host-image: built $C in $(cat "$C/build-seconds") s ($mib MiB in the root file system, kernel $KV)"
fi
# entries not used for a week (other lab keys, older inputs) go
touch "$C/last-used"
find "$TOP" -mindepth 2 -maxdepth 2 -name last-used -mtime +7 -printf '%h\n' | while read -r old; do
    case $old in "$TOP"/drbd-host-*) [ "$old" = "$C" ] || rm -rf "$old" ;; esac
done
echo "$C" > "$CACHE/drbd-host.source"
ls -la "$C"
