#!/bin/bash
# hv-inner.sh HVDIR HOSTNAME
# Runs as: nsenter --net=/run/netns/hvN -- unshare --mount --uts
#          --propagation private -- hv-inner.sh HVDIR HOSTNAME
# Gives this hypervisor private libvirt folders, /etc/hosts, /etc/resolv.conf and hostname,
# mounts its XFS pool at /var/lib/libvirt/xen-data, then becomes libvirtd.
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
hostname "$HN"
exec /usr/sbin/libvirtd --listen --pid-file /run/libvirt/libvirtd.pid
