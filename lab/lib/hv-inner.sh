#!/bin/bash
# hv-inner.sh HVDIR HOSTNAME
# Runs as: nsenter --net=/run/netns/hvN -- unshare --mount --uts
#          --propagation private -- hv-inner.sh HVDIR HOSTNAME
# Gives this hypervisor private libvirt folders, /etc/hosts, /etc/resolv.conf and hostname,
# mounts its XFS pool at /var/lib/libvirt/xen-data, gives root Debian's stock .bashrc,
# then becomes libvirtd.
set -euo pipefail
B=$1
HN=$2
mkdir -p /run/libvirt
# a sysfs of this network namespace (as `ip netns exec` does), so libvirt
# sees br0 and its taps, not the root namespace's interfaces
umount -l /sys
mount -t sysfs sysfs /sys
mount --bind "$B/etc" /etc/libvirt
mount --bind "$B/run" /run/libvirt
mount --bind "$B/lib" /var/lib/libvirt
mount --bind "$B/log" /var/log/libvirt
mount --bind "$B/cache" /var/cache/libvirt
mount --bind "$B/hosts" /etc/hosts
mount --bind "$B/resolv.conf" /etc/resolv.conf
mount --bind "$B/xen-data" /var/lib/libvirt/xen-data
# Debian's stock root .bashrc for the commands sshd runs here: bash sources ~/.bashrc for them,
# and a machine's own (this one's starts pyenv) can fork dozens of processes per command
# (85 ms each here) and put another python3 first in PATH than a hypervisor would have
if [ -f /root/.bashrc ] && [ -f /usr/share/base-files/dot.bashrc ]; then
    mount --bind /usr/share/base-files/dot.bashrc /root/.bashrc
fi
hostname "$HN"
exec /usr/sbin/libvirtd --listen --pid-file /run/libvirt/libvirtd.pid
