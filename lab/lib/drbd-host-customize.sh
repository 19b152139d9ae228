#!/bin/bash
# drbd-host-customize.sh ROOT KERNEL_MODULES_DIR KERNEL_VERSION LAB_PUBKEY
# mmdebstrap --customize-hook of the DRBD hypervisors' base image (see drbd-host-image.sh).
# The image is the same for every host: what makes drbd1.lab drbd1.lab (hostname, address,
# SSH host key, libvirt host_uuid) comes at boot from QEMU fw_cfg (opt/igvm/*), read by
# igvm-identity.service; igvm-xen-data.service makes the volume group xen-data on /dev/vdb.
set -euo pipefail
R=$1
KMOD=$2
KV=$3
PUBKEY=$4

# ---- kernel modules of the lab's kernel, without trees no emulated host needs; depmod against R
mkdir -p "$R/lib/modules/$KV"
(cd "$KMOD" && tar --exclude=./kernel/drivers/gpu --exclude=./kernel/drivers/media \
    --exclude=./kernel/drivers/net/wireless --exclude=./kernel/drivers/net/ethernet \
    --exclude=./kernel/drivers/infiniband --exclude=./kernel/drivers/staging \
    --exclude=./kernel/drivers/bluetooth --exclude=./kernel/drivers/usb --exclude=./kernel/drivers/iio \
    --exclude=./kernel/drivers/isdn --exclude=./kernel/drivers/mtd --exclude=./kernel/drivers/hid \
    --exclude=./kernel/drivers/thunderbolt --exclude=./kernel/drivers/video --exclude=./kernel/sound \
    --exclude=./kernel/net/wireless --exclude=./kernel/net/bluetooth --exclude=./kernel/net/mac80211 \
    -cf - .) | tar -C "$R/lib/modules/$KV" -xf -
depmod -b "$R" "$KV"
mkdir -p "$R/etc/modules-load.d"
printf 'dm_mod\ndrbd\nqemu_fw_cfg\n' > "$R/etc/modules-load.d/igvm-lab.conf"
for m in dm-mod drbd qemu_fw_cfg virtio_net; do
    grep -q "/${m//-/[-_]}\.ko" "$R/lib/modules/$KV/modules.dep" || { echo "customize: module $m missing" >&2; exit 1; }
done

# ---- root file system, names, no first-boot questions
printf '/dev/vda / ext4 rw,noatime 0 0\n' > "$R/etc/fstab"
printf 'localhost\n' > "$R/etc/hostname"     # igvm-identity writes the real one at boot
: > "$R/etc/machine-id"                       # the kernel command line gives systemd.machine_id=
# both DRBD hosts by name (DRBD resource files and peers use them), the controller
cat > "$R/etc/hosts" <<'EOF'
127.0.0.1 localhost
10.200.0.31 drbd1.lab drbd1
10.200.0.32 drbd2.lab drbd2
10.200.0.254 ctl.lab ctl puppet.lab puppet
EOF
printf 'nameserver 10.200.0.254\n' > "$R/etc/resolv.conf"
mkdir -p "$R/etc/systemd/network"
ln -sf /dev/null "$R/etc/systemd/network/99-default.link"     # eth0, not enp0s3
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\nForwardToConsole=no\n' > "$R/etc/systemd/journald.conf.d/igvm-lab.conf"
# what would only compete with the tests for the one emulated CPU, or ask on the console
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
    dpkg-db-backup.timer systemd-firstboot.service getty@tty1.service systemd-pstore.service \
    libvirt-guests.service systemd-logind.service lvm2-monitor.service systemd-binfmt.service \
    systemd-update-utmp.service systemd-update-utmp-runlevel.service sys-kernel-debug.mount \
    sys-kernel-tracing.mount dev-hugepages.mount sys-fs-fuse-connections.mount modprobe@drm.service \
    modprobe@fuse.service; do
    ln -sf /dev/null "$R/etc/systemd/system/$u"
done

# modules udev would load for the emulated PC's other hardware (floppy, IDE, PC speaker, mouse,
# SMBus, the svm flag of qemu64, cpufreq): seconds of boot under TCG, of no use here
cat > "$R/etc/modprobe.d/igvm-lab-blacklist.conf" <<'EOF'
blacklist floppy
blacklist pcspkr
blacklist ata_piix
blacklist ata_generic
blacklist pata_acpi
blacklist psmouse
blacklist serio_raw
blacklist i2c_piix4
blacklist kvm
blacklist kvm_amd
blacklist kvm_intel
blacklist powernow_k8
blacklist acpi_cpufreq
blacklist evbug
blacklist joydev
EOF
# what systemd runs once when /usr is newer than /etc and /var (sysusers, ldconfig, hwdb):
# done at the build already; every boot of a fresh overlay would otherwise be a "first" one
touch "$R/etc/.updated" "$R/var/.updated"

# ---- root over SSH with the lab key only; the host key comes at boot
install -d -m 700 "$R/root/.ssh"
install -m 600 "$PUBKEY" "$R/root/.ssh/authorized_keys"
chroot "$R" usermod -p '*' root      # no password; not "locked" ('!'), which sshd without PAM refuses
rm -f "$R"/etc/ssh/ssh_host_*
cat > "$R/etc/ssh/sshd_config.d/igvm-lab.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
EOF

# ---- identity (hostname, address, host key, host_uuid) from fw_cfg, and the network
install -d "$R/usr/local/sbin"
cat > "$R/usr/local/sbin/igvm-identity" <<'EOF'
#!/bin/sh
# igvm-identity: this host's name, address, SSH host key and libvirt host_uuid, from the
# files igvm-lab hands to QEMU as -fw_cfg name=opt/igvm/NAME; then eth0 in the bridge br0,
# which gets the address.
set -eu
modprobe qemu_fw_cfg
F=/sys/firmware/qemu_fw_cfg/by_name/opt/igvm
i=0
while [ ! -e "$F/hostname/raw" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
get() { cat "$F/$1/raw"; }
hn=$(get hostname)
addr=$(get address)
hostname "$hn"
printf '%s\n' "$hn" > /etc/hostname
(umask 077 && get ssh_host_ed25519_key > /etc/ssh/ssh_host_ed25519_key)
get ssh_host_ed25519_key.pub > /etc/ssh/ssh_host_ed25519_key.pub
if [ -e "$F/host_uuid/raw" ] && [ -f /etc/libvirt/libvirtd.conf ]; then
    sed -i "s/^host_uuid = .*/host_uuid = \"$(get host_uuid)\"/" /etc/libvirt/libvirtd.conf
fi
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
ip link set lo up
# eth0 in the bridge br0 with the address on br0 (site.bridge): a VM running nested on this host
# is on the lab's fabric like the host itself. br0 keeps eth0's MAC whatever ports join later, so
# the controller's ARP entry for the host stays right.
ip link add br0 type bridge
ip link set br0 address "$(cat /sys/class/net/eth0/address)"
ip link set eth0 master br0
ip link set eth0 up
ip addr add "$addr" dev br0
ip link set br0 up
echo "IGVM: identity $hn $addr uptime=$(cut -d' ' -f1 /proc/uptime)" > /dev/console
EOF
chmod 755 "$R/usr/local/sbin/igvm-identity"
cat > "$R/etc/systemd/system/igvm-identity.service" <<'EOF'
[Unit]
Description=igvm lab: hostname, address, SSH host key from QEMU fw_cfg
DefaultDependencies=no
After=local-fs.target
Before=network.target ssh.service libvirtd.service
Wants=network.target
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/igvm-identity
[Install]
WantedBy=multi-user.target
EOF
# the volume group xen-data on the second disk (a fresh sparse file at every lab up)
cat > "$R/etc/systemd/system/igvm-xen-data.service" <<'EOF'
[Unit]
Description=igvm lab: LVM volume group xen-data on /dev/vdb
DefaultDependencies=no
After=local-fs.target systemd-udevd.service
Before=ssh.service libvirtd.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'vgs xen-data > /dev/null 2>&1 || { pvcreate -q -ff -y /dev/vdb && vgcreate -q xen-data /dev/vdb; }; echo "IGVM: vg xen-data ready uptime=$(cut -d" " -f1 /proc/uptime)" > /dev/console'
[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/systemd/system/ssh.service.d"
ln -sf /etc/systemd/system/igvm-identity.service "$R/etc/systemd/system/multi-user.target.wants/"
ln -sf /etc/systemd/system/igvm-xen-data.service "$R/etc/systemd/system/multi-user.target.wants/"
# SSH answers only once the host is whole (name, key, address, volume group); say when on the console
cat > "$R/etc/systemd/system/ssh.service.d/igvm-lab.conf" <<'EOF'
[Unit]
Wants=igvm-identity.service igvm-xen-data.service
After=igvm-identity.service igvm-xen-data.service
[Service]
ExecStartPost=/bin/sh -c 'echo "IGVM: sshd started uptime=$(cut -d" " -f1 /proc/uptime)" > /dev/console'
EOF

# LVM: no udev-event autoactivation (pvscan for every PV event: CPU the boot needs; the lab
# makes its VG fresh, igvm activates what it creates)
sed -i 's/^\(\s*\)# event_activation = 1/\1event_activation = 0/' "$R/etc/lvm/lvm.conf"
grep -q '^\s*event_activation = 0' "$R/etc/lvm/lvm.conf" || { echo "customize: cannot set event_activation in lvm.conf" >&2; exit 1; }

# ---- DRBD: never phone home (drbd.org) from the lab
if [ -f "$R/etc/drbd.d/global_common.conf" ]; then
    sed -i 's/usage-count[[:space:]]*yes/usage-count no/' "$R/etc/drbd.d/global_common.conf"
    grep -q 'usage-count no' "$R/etc/drbd.d/global_common.conf" ||
        sed -i 's/^global {/global {\n\tusage-count no;/' "$R/etc/drbd.d/global_common.conf"
fi

# ---- libvirtd on TCP 16509 without auth (like the lab's hypervisors), the logical pool xen-data
if [ -d "$R/etc/libvirt" ]; then
    cat > "$R/etc/libvirt/libvirtd.conf" <<'EOF'
listen_tls = 0
listen_tcp = 1
tcp_port = "16509"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
host_uuid = "00000000-0000-4000-8000-000000000000"
EOF
    # socket activation (Debian's default), the TCP socket too, no idle timeout; not started by
    # the boot itself (it and the dbus + machined it pulls in would slow the boot to SSH):
    # igvm-lab up starts it once SSH answers, any connection to 16509 would too
    printf 'LIBVIRTD_ARGS=""\n' > "$R/etc/default/libvirtd"
    mkdir -p "$R/etc/systemd/system/sockets.target.wants" "$R/etc/systemd/system/libvirtd.service.d"
    ln -sf /lib/systemd/system/libvirtd-tcp.socket "$R/etc/systemd/system/sockets.target.wants/libvirtd-tcp.socket"
    rm -f "$R/etc/systemd/system/multi-user.target.wants/libvirtd.service"
    printf '[Unit]\nAfter=igvm-identity.service igvm-xen-data.service\n' > "$R/etc/systemd/system/libvirtd.service.d/igvm-lab.conf"
    rm -f "$R"/etc/libvirt/qemu/networks/autostart/*.xml
    mkdir -p "$R/etc/libvirt/storage/autostart"
    cat > "$R/etc/libvirt/storage/xen-data.xml" <<'EOF'
<pool type='logical'>
  <name>xen-data</name>
  <uuid>1ab0d7bd-0000-4000-8000-00000000da7a</uuid>
  <source>
    <name>xen-data</name>
    <format type='lvm2'/>
  </source>
  <target>
    <path>/dev/xen-data</path>
  </target>
</pool>
EOF
    ln -sf /etc/libvirt/storage/xen-data.xml "$R/etc/libvirt/storage/autostart/xen-data.xml"
fi

# ---- nothing from the build that the image does not need
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm), igvm lab DRBD hypervisor image"\n' > "$R/etc/igvm-lab-image"
