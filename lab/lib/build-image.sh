#!/bin/bash
# build-image.sh CACHE_DIR LAB_PUBKEY
# Builds, from Debian packages only, into CACHE_DIR:
#   vmlinuz-lab, initrd-lab.img          guest kernel + initrd (virtio, XFS)
#   vmlinux-lab                          the same kernel uncompressed: what the lab's guests boot
#   lab-busybox.tar.gz                   the small busybox + dropbear root file system of the
#                                        sample VM vm1.lab (fast boot under TCG); the real
#                                        Debian image igvm's build uses is build-debian-image.sh's
# Skips what is already there; the image is keyed on the lab public key.
set -euo pipefail
CACHE=$1
PUBKEY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk virtio-rng crc32c_generic libcrc32c xfs failover net_failover virtio_net evdev button"
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

kernel_pkg() {
    apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

# the initrd is keyed on its /init and module list
initrd_key=$( { cat "$HERE/initrd-init.sh"; echo "$MODS"; } | sha256sum | cut -c1-16)
if [ ! -s "$CACHE/vmlinuz-lab" ] || [ ! -s "$CACHE/initrd-lab.img" ] ||
    [ "$(cat "$CACHE/initrd-lab.key" 2> /dev/null)" != "$initrd_key" ]; then
    pkg=$(kernel_pkg)
    if [ -z "$pkg" ]; then
        apt-get update -q >/dev/null
        pkg=$(kernel_pkg)
    fi
    [ -n "$pkg" ] || { echo "build-image: cannot find the linux-image package" >&2; exit 1; }
    echo "build-image: kernel package $pkg"
    if ! (cd "$WORK" && apt-get download -q "$pkg" >/dev/null 2>&1); then
        # Package lists older than the mirror name a version it no longer serves: refresh once.
        apt-get update -q >/dev/null
        pkg=$(kernel_pkg)
        (cd "$WORK" && apt-get download -q "$pkg" >/dev/null)
    fi
    deb=$(ls "$WORK"/linux-image-*.deb)
    mkdir -p "$WORK/k"
    patterns=("./boot/vmlinuz-*")
    for m in $MODS; do patterns+=("*/$m.ko"); done
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK/k" --wildcards "${patterns[@]}"
    # initrd: static busybox + modules in load order + /init
    I=$WORK/initrd
    mkdir -p "$I/bin" "$I/mods" "$I/proc" "$I/sys" "$I/dev" "$I/newroot"
    cp /bin/busybox "$I/bin/busybox"
    for m in $MODS; do
        f=$(find "$WORK/k/lib/modules" -name "$m.ko" | head -1)
        [ -n "$f" ] || { echo "build-image: module $m not in $pkg" >&2; exit 1; }
        cp "$f" "$I/mods/"
    done
    echo "$MODS" | tr ' ' '\n' > "$I/mods/order"
    install -m 755 "$HERE/initrd-init.sh" "$I/init"
    (cd "$I" && find . | cpio -o -H newc --quiet | gzip -6) > "$WORK/initrd-lab.img"
    cp "$WORK"/k/boot/vmlinuz-* "$WORK/vmlinuz-lab"
    echo "$pkg" > "$WORK/kernel-package"
    mv "$WORK/initrd-lab.img" "$WORK/kernel-package" "$CACHE/"
    mv "$WORK/vmlinuz-lab" "$CACHE/vmlinuz-lab"
    echo "$initrd_key" > "$CACHE/initrd-lab.key"
    rm -f "$CACHE/vmlinux-lab"
fi
if [ ! -s "$CACHE/vmlinux-lab" ]; then
    python3 "$HERE/extract-vmlinux.py" "$CACHE/vmlinuz-lab" "$CACHE/vmlinux-lab"
fi

# keyed on the lab key and on what goes into the image (this script, guest-rootfs)
keyid=$( { cat "$PUBKEY" "$0"; find "$HERE/guest-rootfs" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
if [ ! -s "$CACHE/lab-busybox.tar.gz" ] || [ "$(cat "$CACHE/lab-busybox.key" 2>/dev/null)" != "$keyid" ]; then
    R=$WORK/root
    mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/x86_64-linux-gnu,lib64,etc/ssh,etc/dropbear,etc/igvm,proc,sys,dev,run,tmp,var/log,root/.ssh}
    chmod 1777 "$R/tmp"
    chmod 700 "$R/root" "$R/root/.ssh"
    cp /bin/busybox "$R/bin/busybox"
    for a in $(/bin/busybox --list-full); do
        [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /bin/busybox "$R/$a"
    done
    ln -sf /bin/busybox "$R/sbin/init"
    # dropbear (dropbear-bin) + the shared libraries it needs
    # and xfs_growfs (xfsprogs), which igvm disk-set runs in the guest
    for b in /usr/sbin/dropbear /usr/bin/dropbearconvert /usr/sbin/xfs_growfs; do
        cp "$b" "$R$b"
        ldd "$b" | awk '/=> \//{print $3}' | while read -r l; do
            cp -L "$l" "$R/lib/x86_64-linux-gnu/"
        done
    done
    cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
    # lab files: init scripts, dropbear wrapper, acpid handler, puppet stand-in
    cp -a "$HERE/guest-rootfs/." "$R/"
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
    printf 'root:*:19000:0:99999:7:::\n' > "$R/etc/shadow"
    chmod 600 "$R/etc/shadow"
    printf 'root:x:0:\n' > "$R/etc/group"
    printf '/bin/sh\n' > "$R/etc/shells"
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' > "$R/etc/nsswitch.conf"
    printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
    printf 'localhost\n' > "$R/etc/hostname"
    printf 'PRETTY_NAME="igvm lab busybox image (busybox + dropbear)"\nID=debian\nVERSION_CODENAME=bookworm\n' > "$R/etc/os-release"
    install -m 600 "$PUBKEY" "$R/root/.ssh/authorized_keys"
    : > "$R/var/log/puppet-args.log"
    tar --numeric-owner --owner=0 --group=0 -C "$R" -czf "$WORK/lab-busybox.tar.gz" .
    mv "$WORK/lab-busybox.tar.gz" "$CACHE/"
    echo "$keyid" > "$CACHE/lab-busybox.key"
    # the busybox image was served as bookworm-base.tar.gz before the Debian image existed
    rm -f "$CACHE/bookworm-base.key"
fi
ls -la "$CACHE"
