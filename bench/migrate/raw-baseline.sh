#!/bin/bash
# raw-baseline.sh [RUNS]: the baselines igvm's migrations are measured against, on the lab
# (lab/README.md), with no igvm involved:
#   1. raw `dd | nc -N` hv1 -> hv2 of a fully written 1 GiB file (random data) in hv1's pool dir;
#   2. the same of a 1 GiB sparse file with 10 % allocated (1 MiB written every 10 MiB);
#   1'. the fully written one again with the target's dd fsyncing at the end (conv=fsync), as
#      igvm's copy is durable before the source goes;
#   3. `virsh migrate --live --copy-storage-all --persistent --undefinesource` of vm1.lab
#      (the domain shape igvm generates, lab/sample-domain.xml.tmpl; 256 MiB, 1 GiB sparse disk)
#      hv1 -> hv2 and back, the target volume pre-created as igvm does.
# Median of RUNS (default 5) each, every run recorded. Needs the lab up and root; run it under the
# machine's lab lock, e.g.
#   flock /work/lab.lock bash -c 'lab/igvm-lab up && bench/migrate/raw-baseline.sh; lab/igvm-lab down'
# Writes $RESULTS/baseline.env (medians, read by run.sh) and $RESULTS/baseline.log (every run).
set -euo pipefail
# shellcheck source=bench/migrate/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
RUNS=${1:-${RUNS:-5}}
require_lab
ENV=$RESULTS/baseline.env
LOGF=$RESULTS/baseline.log
: > "$ENV"
exec > >(tee "$LOGF") 2>&1
echo "# raw baselines, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), runs $RUNS"
FULL=$POOL_DIR/bench-full.img
SPARSE=$POOL_DIR/bench-sparse.img
COPY=$POOL_DIR/bench-copy.img
PORT=7999

# ------------------------------------------------------------ dd | nc
make_full hv1 "$FULL"
make_sparse hv1 "$SPARSE"
echo "source files on hv1: full $(allocated_mib hv1 "$FULL") MiB allocated, sparse $(allocated_mib hv1 "$SPARSE") MiB allocated (1024 MiB each)"
for kind in full full_fsync sparse; do
    src=$FULL conv=""
    [ "$kind" = sparse ] && src=$SPARSE
    [ "$kind" = full_fsync ] && conv=fsync
    want=$(sha hv1 "$src")
    times=()
    for i in $(seq 1 "$RUNS"); do
        s=$(dd_nc hv1 "$src" hv2 "$COPY" "$PORT" "$conv")
        got=$(sha hv2 "$COPY")
        [ "$got" = "$want" ] || die "dd | nc $kind run $i: checksum differs ($got, want $want)"
        echo "dd|nc $kind run $i: $s s ($(mibps 1073741824 "$s") MiB/s), target $(allocated_mib hv2 "$COPY") MiB allocated, sha256 equal"
        times+=("$s")
    done
    m=$(median "${times[@]}")
    echo "dd|nc $kind median: $m s ($(mibps 1073741824 "$m") MiB/s)"
    echo "DDNC_${kind^^}_S=$m" >> "$ENV"
done
hv hv2 "rm -f $COPY"
hv hv1 "rm -f $FULL $SPARSE"

# ------------------------------------------------------------ virsh migrate
DOM=5001_vm1.lab
VOL=5001_vm1.lab
xml=$STATE/run/bench-$DOM.xml
sed -e "s|@NAME@|$DOM|g" -e "s|@MAX_MEMORY_MIB@|4096|g" -e "s|@MEMORY_MIB@|256|g" \
    -e "s|@VCPUS@|1|g" -e "s|@MAX_VCPUS@|2|g" -e "s|@MAX_VCPU_INDEX@|1|g" \
    -e "s|@MACHINE@|pc-i440fx-7.2|g" -e "s|@KERNEL@|/var/lib/libvirt/boot/vmlinux-lab|g" \
    -e "s|@INITRD@|/var/lib/libvirt/boot/initrd-lab.img|g" -e "s|@CMDLINE@|console=ttyS0 root=/dev/vda|g" \
    -e "s|@CPU_MODEL@|qemu64|g" -e "s|@POOL@|$POOL|g" -e "s|@VOLUME@|$VOL|g" \
    -e "s|@MAC@|52:54:00:0a:c9:0b|g" -e "s|@BRIDGE@|br0|g" \
    -e "s|@SERIAL_LOG@|/var/log/libvirt/qemu/$DOM.serial.log|g" \
    "$REPO/lab/sample-domain.xml.tmpl" > "$xml"
vsh hv1 define "$xml" > /dev/null
vsh hv1 start "$DOM" > /dev/null
t=$(now)
until guest vm1.lab true 2> /dev/null; do
    [ "$(elapsed "$t" | cut -d. -f1)" -lt 150 ] || die "vm1.lab does not answer SSH"
    sleep 1
done
echo "vm1.lab answers SSH on hv1 after $(elapsed "$t") s"
cap=$(vsh hv1 vol-info --pool "$POOL" "$VOL" --bytes | awk '/Capacity/{print $2}')
# migrate FROM TO: one leg, the target volume pre-created (as igvm's flow does), the source's
# volume deleted after (--undefinesource leaves it)
migrate() {
    local from=$1 to=$2 t s
    vsh "$to" vol-create-as "$POOL" "$VOL" "$cap" --format raw > /dev/null
    t=$(now)
    vsh "$from" migrate --live --copy-storage-all --persistent --undefinesource "$DOM" "qemu+tcp://$to.lab/system" > /dev/null
    s=$(elapsed "$t")
    [ "$(vsh "$to" domstate "$DOM")" = running ] || die "$DOM is not running on $to after migrate"
    vsh "$from" vol-delete --pool "$POOL" "$VOL" > /dev/null
    echo "$s"
}
there=(); back=(); rounds=()
for i in $(seq 1 "$RUNS"); do
    a=$(migrate hv1 hv2)
    guest vm1.lab true || die "vm1.lab does not answer SSH on hv2"
    b=$(migrate hv2 hv1)
    guest vm1.lab true || die "vm1.lab does not answer SSH on hv1"
    echo "virsh migrate round $i: hv1->hv2 $a s, hv2->hv1 $b s"
    there+=("$a"); back+=("$b"); rounds+=("$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a+b}')")
done
mt=$(median "${there[@]}"); mb=$(median "${back[@]}")
echo "virsh migrate median: hv1->hv2 $mt s, hv2->hv1 $mb s, round trip $(median "${rounds[@]}") s"
{ echo "VIRSH_THERE_S=$mt"; echo "VIRSH_BACK_S=$mb"; } >> "$ENV"
vsh hv1 destroy "$DOM" > /dev/null
vsh hv1 undefine "$DOM" > /dev/null
echo "done; vm1.lab undefined again, its volume back on hv1"
