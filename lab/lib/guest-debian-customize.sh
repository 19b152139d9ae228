#!/bin/bash
# guest-debian-customize.sh ROOT FILES_DIR LAB_PUBKEY
# mmdebstrap --customize-hook for the lab's Debian image (see build-debian-image.sh).
set -euo pipefail
R=$1
FILES=$2
PUBKEY=$3
cp -a "$FILES/." "$R/"
# igvm's build writes the host keys; the image must carry none
rm -f "$R"/etc/ssh/ssh_host_*
install -d -m 700 "$R/root/.ssh"
install -m 600 "$PUBKEY" "$R/root/.ssh/authorized_keys"
# the NIC is eth0, as /etc/network/interfaces (written by igvm) names it:
# no predictable interface names
mkdir -p "$R/etc/systemd/network"
ln -sf /dev/null "$R/etc/systemd/network/99-default.link"
# igvm writes these; neutral placeholders until then
printf 'localhost\n' > "$R/etc/hostname"
printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
: > "$R/etc/resolv.conf"
printf 'auto lo\niface lo inet loopback\n' > "$R/etc/network/interfaces"
: > "$R/etc/machine-id"
# a getty on the serial console (the generator would add it for console=ttyS0; explicit here)
mkdir -p "$R/etc/systemd/system/getty.target.wants"
ln -sf /lib/systemd/system/serial-getty@.service "$R/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service"
# igvm runs Puppet itself (chroot at build, over SSH later); no agent daemon eating CPU under TCG.
# Timers that would only compete with the tests for the emulated CPU.
# No VGA console (the lab's domains have a serial console only): no getty on tty1.
for u in puppet.service apt-daily.timer apt-daily-upgrade.timer fstrim.timer e2scrub_all.timer \
    man-db.timer dpkg-db-backup.timer e2scrub_reap.service systemd-pstore.service getty@tty1.service; do
    rm -f "$R"/etc/systemd/system/*.wants/"$u"
done
# package lists and downloaded .debs are not needed at run time
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm), igvm lab image"\n' > "$R/etc/igvm-lab-image"
# igvm runs the agent with the inventory's environment: an environment the server does not have
# must fail the run, not switch quietly to the server's default (production), as Puppet 7 does
# unless strict_environment_mode is set. A 2048-bit agent key (Puppet's default is 4096): the
# first agent run of every lab build waits about 2 s for its key instead of about 25 s. No reused
# HTTPS connections: Debian 12's agent, reusing the connection of its CSR upload to fetch the
# signed certificate, stalls 30 s on the lab's puppetserver (Jetty's idle timeout) on every first
# run; with http_keepalive_timeout = 0 a first run takes ~10 s instead of ~40 s.
printf '\n[agent]\nstrict_environment_mode = true\nkeylength = 2048\nhttp_keepalive_timeout = 0\n' >> "$R/etc/puppet/puppet.conf"
