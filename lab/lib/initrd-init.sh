#!/bin/busybox sh
# shellcheck shell=dash disable=SC2013
# igvm lab initrd /init: load virtio + XFS modules, mount root= (default
# /dev/vda, XFS) and switch_root into it.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do
    insmod "/mods/$m.ko" 2>/dev/null || echo "INITRD: insmod $m failed"
done
ROOT=/dev/vda
FST=xfs
for x in $(cat /proc/cmdline); do
    case $x in
        root=*) ROOT=${x#root=} ;;
        rootfstype=*) FST=${x#rootfstype=} ;;
    esac
done
i=0
while [ ! -b "$ROOT" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! mount -t "$FST" -o rw "$ROOT" /newroot; then
    echo "INITRD: mount $ROOT ($FST) failed"; exec sh
fi
# Debian's /sbin/init is an absolute symlink (to /lib/systemd/systemd): resolve it inside the new root
init=$(readlink /newroot/sbin/init 2>/dev/null) || init=/sbin/init
case $init in /*) ;; *) init=/sbin/$init ;; esac
[ -x "/newroot$init" ] || [ -x /newroot/sbin/init ] || { echo "INITRD: no /sbin/init on $ROOT"; exec sh; }
echo "INITRD: switch_root to $ROOT uptime=$(cut -d' ' -f1 /proc/uptime)"
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
