#!/bin/bash
# run.sh [RUNS]: the three-VM evacuation of hv1, sequential (--parallel 1) against --parallel 2,
# side by side in one run on a three-hypervisor lab (issue 13, "Benchmark"): median of RUNS
# (default 3) each, the order rotating per run. Also the original's way, one VM at a time by hand:
# three `igvm migrate` commands to the targets the plan chose. Between runs the VMs go back to
# hv1 (not timed).
# The VMs: vm1.lab, vm3.lab, vm5.lab (sample disks of 1 GiB, 256 MiB, running), moved online with
# qemu. Needs root and the lab up with three hypervisors; run it under the machine's lab lock:
#   flock /work/lab.lock bash -c 'lab/igvm-lab up --hypervisors 3 && bench/evacuate/run.sh; lab/igvm-lab down'
# Writes $RESULTS/summary.md and evacuate.log.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
# shellcheck source=bench/migrate/lib.sh
. "$HERE/../migrate/lib.sh"
RESULTS=${RESULTS_EVACUATE:-$REPO/bench/evacuate/results}
mkdir -p "$RESULTS"
RUNS=${1:-${RUNS:-3}}
require_lab
[ "$(cat "$STATE/run/hvcount")" = 3 ] || die "needs three hypervisors: lab/igvm-lab up --hypervisors 3"
LOG=$RESULTS/evacuate.log
: > "$LOG"
VMS=(vm1.lab vm3.lab vm5.lab)
igvm() { ctl "$REPO/bin/igvm" --config "$STATE/igvm.yaml" "$@"; }
where() { igvm inventory show "$1" --json | sed -n 's/.*"hypervisor":"\([^"]*\)".*/\1/p'; }

# The sample state, hv3 online, three running VMs on hv1 answering SSH.
"$REPO/lab/igvm-lab" reset >> "$LOG"
igvm inventory set hv3.lab state=online >> "$LOG"
igvm inventory set vm5.lab memory=256 disk_size_gib=1 >> "$LOG"
"$REPO/lab/igvm-lab" sample-vm 5003 vm3.lab 10.201.0.13 >> "$LOG"
"$REPO/lab/igvm-lab" sample-vm 5005 vm5.lab 10.201.0.15 >> "$LOG"
for vm in vm3.lab vm5.lab; do igvm inventory set "$vm" hypervisor=hv1.lab >> "$LOG"; done
for vm in "${VMS[@]}"; do igvm define "$vm" >> "$LOG" 2>&1; done
await_ssh() {
    local vm=$1 i
    for i in $(seq 1 150); do
        guest "$vm" true 2> /dev/null && return 0
        sleep 1
    done
    die "$vm does not answer SSH"
}
for vm in "${VMS[@]}"; do await_ssh "$vm"; done

back_to_hv1() {
    igvm inventory set hv1.lab state=online >> "$LOG"
    for vm in "${VMS[@]}"; do
        [ "$(where "$vm")" = hv1.lab ] || igvm migrate "$vm" hv1.lab --disk-transport qemu >> "$LOG" 2>&1
    done
    for vm in "${VMS[@]}"; do await_ssh "$vm"; done
}

# evacuate_timed ARGS: seconds of the whole command, which must move all three
evacuate_timed() {
    local t s
    t=$(now)
    igvm evacuate hv1.lab "$@" >> "$LOG" 2>&1 || die "igvm evacuate hv1.lab $* failed (see $LOG)"
    s=$(elapsed "$t")
    for vm in "${VMS[@]}"; do [ "$(where "$vm")" != hv1.lab ] || die "$vm is still on hv1 after evacuate $*"; done
    echo "$s"
}

# migrate_each_timed: the original's evacuation, one `igvm migrate` per VM to its planned target
migrate_each_timed() {
    local t s vm targets
    targets=$(igvm evacuate hv1.lab --dry-run --json | grep -o '"target":"[^"]*"[^{}]*"vm":"[^"]*"' |
        sed 's/"target":"\([^"]*\)".*"vm":"\([^"]*\)"/\2 \1/')
    igvm inventory set hv1.lab state=online_reserved >> "$LOG"
    t=$(now)
    while read -r vm target; do
        igvm migrate "$vm" "$target" --disk-transport qemu >> "$LOG" 2>&1 || die "igvm migrate $vm $target failed (see $LOG)"
    done <<< "$targets"
    s=$(elapsed "$t")
    for vm in "${VMS[@]}"; do [ "$(where "$vm")" != hv1.lab ] || die "$vm is still on hv1 after migrate"; done
    echo "$s"
}

seq_s=()
par_s=()
each_s=()
orders=("seq par each" "par each seq" "each seq par")
for r in $(seq 1 "$RUNS"); do
    for mode in ${orders[$(((r - 1) % 3))]}; do
        case $mode in
            seq) s=$(evacuate_timed --parallel 1); seq_s+=("$s") ;;
            par) s=$(evacuate_timed --parallel 2); par_s+=("$s") ;;
            each) s=$(migrate_each_timed); each_s+=("$s") ;;
        esac
        log "run $r $mode: $s s"
        echo "run $r $mode: $s s" >> "$LOG"
        back_to_hv1
    done
done
SEQ=$(median "${seq_s[@]}")
PAR=$(median "${par_s[@]}")
EACH=$(median "${each_s[@]}")
{
    echo "# igvm evacuate hv1.lab, 3 VMs online (qemu), $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS"
    echo
    echo "| figure | runs (s) | median (s) |"
    echo "|---|---|---|"
    echo "| --parallel 1 (sequential) | ${seq_s[*]} | $SEQ |"
    echo "| --parallel 2 | ${par_s[*]} | $PAR |"
    echo "| three \`igvm migrate\` one after another (the original's way) | ${each_s[*]} | $EACH |"
    echo
    echo "parallel / sequential: $(ratio "$PAR" "$SEQ") (goal <= 0.6); parallel / three migrates: $(ratio "$PAR" "$EACH")"
} > "$RESULTS/summary.md"
cat "$RESULTS/summary.md"
