#!/bin/bash
# run.sh [RUNS]: igvm's migrations side by side with their raw baselines, in one run on the lab
# (issue 12, "Benchmarks"): median of RUNS (default 5) each.
#   baseline (raw-baseline.sh)                      igvm
#   dd | nc of a fully written 1 GiB file           igvm migrate --offline --disk-transport netcat, vm1's disk fully written
#   dd | nc of the same, 10 % allocated             the same, 10 % allocated (igvm's goal: <= 15 % of its full copy)
#   virsh migrate --live --copy-storage-all         igvm migrate --disk-transport qemu (online; downtime reported)
# plus igvm's own CPU time and peak RSS per migration (/usr/bin/time -v around bin/igvm).
# While this build has no `igvm migrate` (`bin/igvm migrate --help` does not print its usage), the
# igvm parts are skipped with a message and only the baselines are measured.
# Needs root and the lab up; run it under the machine's lab lock:
#   flock /work/lab.lock bash -c 'lab/igvm-lab up && bench/migrate/run.sh; lab/igvm-lab down'
# Writes $RESULTS/summary.md (the table), baseline.*, igvm.log.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
# shellcheck source=bench/migrate/lib.sh
. "$HERE/lib.sh"
RUNS=${1:-${RUNS:-5}}
require_lab
"$HERE/raw-baseline.sh" "$RUNS"
# shellcheck disable=SC1091
. "$RESULTS/baseline.env"
SUMMARY=$RESULTS/summary.md
row() { printf '| %s | %s | %s | %s | %s |\n' "$@" >> "$SUMMARY"; }
{
    echo "# igvm migrate vs raw, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS"
    echo
    echo "| figure | baseline (s) | igvm (s) | ratio | igvm CPU s / peak RSS MiB (median) |"
    echo "|---|---|---|---|---|"
} > "$SUMMARY"

if ! "$REPO/bin/igvm" migrate --help 2>&1 | grep -q '^Usage: igvm migrate'; then
    msg="igvm migrate is not in this build (bin/igvm migrate --help prints no 'Usage: igvm migrate'): igvm figures skipped, baselines only"
    log "bench: $msg"
    row "offline netcat, 1 GiB fully written" "$DDNC_FULL_S (dd\\|nc)" "skipped" "-" "-"
    row "offline netcat, 10 % allocated" "$DDNC_SPARSE_S (dd\\|nc)" "skipped" "-" "-"
    row "online qemu hv1->hv2" "$VIRSH_THERE_S (virsh)" "skipped" "-" "-"
    { echo; echo "$msg"; } >> "$SUMMARY"
    cat "$SUMMARY"
    exit 0
fi

# ------------------------------------------------------------ igvm
ILOG=$RESULTS/igvm.log
: > "$ILOG"
VOLFILE=$POOL_DIR/5001_vm1.lab
# igvm_timed ARGS...: runs bin/igvm in ctl under /usr/bin/time -v; prints "seconds cpu_s rss_mib"
igvm_timed() {
    local tv t s
    tv=$(mktemp "$RESULTS/time.XXXXXX")
    t=$(now)
    ctl /usr/bin/time -v -o "$tv" "$REPO/bin/igvm" --config "$STATE/igvm.yaml" "$@" >> "$ILOG" 2>&1 ||
        { cat "$tv" >> "$ILOG"; die "igvm $* failed (see $ILOG)"; }
    s=$(elapsed "$t")
    echo "$s $(time_v_summary "$tv")"
    rm -f "$tv"
}
igvm() { ctl "$REPO/bin/igvm" --config "$STATE/igvm.yaml" "$@"; }
where() { igvm inventory show vm1.lab --json | sed -n 's/.*"hypervisor":"\([^"]*\)".*/\1/p'; }

# legs LABEL ARGS...: RUNS round trips hv1 -> hv2 -> hv1 with the given migrate options; sets
# LEG_S LEG_C LEG_R to the medians (seconds, CPU seconds, peak RSS MiB) of the hv1 -> hv2 legs and
# logs every leg. (Not in a subshell, so that a failed migration stops the run.)
legs() {
    local label=$1 secs=() cpus=() rsss=() there back s c r
    shift
    for i in $(seq 1 "$RUNS"); do
        there=$(igvm_timed migrate vm1.lab hv2.lab "$@")
        read -r s c r <<< "$there"
        secs+=("$s"); cpus+=("$c"); rsss+=("$r")
        back=$(igvm_timed migrate vm1.lab hv1.lab "$@")
        log "igvm $label run $i: hv1->hv2 $s s (CPU $c s, RSS $r MiB), hv2->hv1 ${back%% *} s"
    done
    LEG_S=$(median "${secs[@]}"); LEG_C=$(median "${cpus[@]}"); LEG_R=$(median "${rsss[@]}")
}

# fill_disk MIB|full: vm1 stopped, its volume on hv1 mounted there; a fill file of random data
# (until the file system is full, or MIB), the rest trimmed back to holes (fstrim through the loop)
fill_disk() {
    local count=""
    [ "$1" = full ] || count="count=$1"
    # shellcheck disable=SC2016  # expanded on hv1
    hv hv1 'm=$(mktemp -d) && mount -o loop '"$VOLFILE"' "$m" && rm -f "$m/fill" && fstrim "$m";
        dd if=/dev/urandom of="$m/fill" bs=1M '"$count"' status=none; sync; umount "$m"; rmdir "$m"'
    log "vm1's volume: $(allocated_mib hv1 "$VOLFILE") MiB of 1024 allocated"
}

[ -n "$(vsh hv1 domstate 5001_vm1.lab 2> /dev/null)" ] || igvm define vm1.lab >> "$ILOG" 2>&1
[ "$(where)" = hv1.lab ] || die "vm1.lab is not on hv1.lab in the inventory"
t=$(now)
until guest vm1.lab true 2> /dev/null; do
    [ "$(elapsed "$t" | cut -d. -f1)" -lt 150 ] || die "vm1.lab does not answer SSH"
    sleep 1
done

# igvm's own start-up, the part of every command that is not the migration: `igvm --help`
starts=()
for _ in $(seq 1 "$RUNS"); do
    t=$(now); ctl "$REPO/bin/igvm" --help > /dev/null; starts+=("$(elapsed "$t")")
done
startup=$(median "${starts[@]}")

legs "online qemu" --disk-transport qemu; q_s=$LEG_S q_c=$LEG_C q_r=$LEG_R
downtime=$(grep -i downtime "$ILOG" | tail -1 || true)
row "online qemu hv1->hv2 (total)" "$VIRSH_THERE_S (virsh)" "$q_s" "$(ratio "$q_s" "$VIRSH_THERE_S") (goal <= 1.05)" "$q_c / $q_r"
# the libvirt job alone, as the qemu transport logs it ("migrated live from hv1.lab to hv2.lab in N ms")
mapfile -t jobs < <(sed -n 's/.*migrated live from hv1.lab to hv2.lab in \([0-9]*\) ms.*/\1/p' "$ILOG" |
    awk '{printf "%.2f\n", $1 / 1000}')
if [ "${#jobs[@]}" -gt 0 ]; then
    q_job=$(median "${jobs[@]}")
    row "online qemu hv1->hv2, the libvirt job alone" "$VIRSH_THERE_S (virsh)" "$q_job" "$(ratio "$q_job" "$VIRSH_THERE_S")" "-"
fi

igvm stop vm1.lab >> "$ILOG" 2>&1
fill_disk full
legs "offline netcat full" --offline --disk-transport netcat; f_s=$LEG_S f_c=$LEG_C f_r=$LEG_R
row "offline netcat, 1 GiB fully written, verified" "$DDNC_FULL_S (dd\\|nc)" "$f_s" \
    "throughput $(ratio "$DDNC_FULL_S" "$f_s")x raw (goal >= 0.95)" "$f_c / $f_r"
row "the same against dd conv=fsync (durable, as igvm's copy)" "$DDNC_FULL_FSYNC_S (dd\\|nc fsync)" "$f_s" \
    "throughput $(ratio "$DDNC_FULL_FSYNC_S" "$f_s")x raw" "-"
fill_disk 100
legs "offline netcat sparse" --offline --disk-transport netcat; s_s=$LEG_S s_c=$LEG_C s_r=$LEG_R
row "offline netcat, 10 % allocated" "$DDNC_SPARSE_S (dd\\|nc)" "$s_s" \
    "$(ratio "$s_s" "$f_s") of igvm's full copy (goal <= 0.15)" "$s_c / $s_r"
{
    echo
    echo "qemu downtime as igvm reported it (last run): ${downtime:-not reported}"
    echo "igvm's start-up (\`igvm --help\`, median): $startup s; every igvm figure above includes it"
} >> "$SUMMARY"
cat "$SUMMARY"
