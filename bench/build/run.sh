#!/usr/bin/env bash
# igvm build to SSH-ready on the lab against the same image's plain boot (issue 10's benchmark).
#   bench/build/run.sh [RUNS]     (root, lab up; default 3 runs; under the machine's lab lock)
#   flock /work/lab.lock bash -c 'lab/igvm-lab up --wait-puppet && bench/build/run.sh 3; lab/igvm-lab down'
# Each run: `igvm build vm4.lab hv1.lab` (image download, XFS, extract, root files, Puppet in the
# chroot, define, start, wait for SSH with the new host keys), whole command under /usr/bin/time -v
# (igvm's CPU time and peak RSS) with igvm's per-step times from its progress lines; then the
# same disk's plain boot: `virsh destroy`, `virsh start`, until `ssh hostname` answers with the
# host keys the build made (strict). Then the VM is deleted (kept in the inventory) and its
# certificate cleaned. The image
# cache is emptied before every build, so each one downloads. Medians of RUNS; every run in
# bench/build/results/build.log, the table in bench/build/results/summary.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$HERE/results
source "$HERE/../migrate/lib.sh"
RUNS=${1:-3}
VM=vm4.lab
ADDR=10.201.0.14
DOMAIN=5004_vm4.lab
BLOG=$RESULTS/build.log
mkdir -p "$RESULTS"
require_lab
"$REPO/lab/igvm-lab" wait-puppet > /dev/null

igvm() { ctl "$REPO/bin/igvm" --config "$STATE/igvm.yaml" "$@"; }
known=$(mktemp /tmp/igvm-bench-known.XXXXXX)
trap 'rm -f "$known"' EXIT

# plain_boot: seconds from `virsh start` until the guest answers ssh with the recorded host keys
plain_boot() {
    local t deadline=$((SECONDS + 300))
    vsh hv1 destroy "$DOMAIN" > /dev/null
    t=$(now)
    vsh hv1 start "$DOMAIN" > /dev/null
    until ctl ssh -F /dev/null -i "$STATE/ssh/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
        -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$known" -o GlobalKnownHostsFile=/dev/null \
        -o ConnectTimeout=2 "root@$ADDR" hostname > /dev/null 2>&1; do
        # a guest that never answers ends the benchmark instead of hanging it
        ((SECONDS < deadline)) || die "$DOMAIN did not answer ssh within 300 s of virsh start"
        sleep 0.2
    done
    elapsed "$t"
}

echo "# igvm build vs plain boot, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$BLOG"
builds=() boots=() cpus=() rsss=()
declare -A step_times
for i in $(seq 1 "$RUNS"); do
    rm -f /tmp/bookworm-base.tar.gz /tmp/bookworm-base.tar.gz.md5
    tv=$(mktemp /tmp/igvm-bench-time.XXXXXX)
    out=$(mktemp /tmp/igvm-bench-out.XXXXXX)
    t=$(now)
    ctl /usr/bin/time -v -o "$tv" "$REPO/bin/igvm" --config "$STATE/igvm.yaml" build "$VM" hv1.lab > "$out" 2>&1 ||
        { cat "$out" "$tv" >> "$BLOG"; die "igvm build failed (see $BLOG)"; }
    s=$(elapsed "$t")
    read -r c r < <(time_v_summary "$tv")
    cat "$out" >> "$BLOG"
    # "build:   STEP done in 1.2 s"
    while read -r step secs; do
        step_times[$step]="${step_times[$step]:-} $secs"
    done < <(sed -n 's/^build:   \([a-z-]*\) done in \([0-9.]*\) s$/\1 \2/p' "$out")
    rm -f "$tv" "$out"
    ctl ssh-keyscan -t rsa,ecdsa,ed25519 "$ADDR" 2> /dev/null | sed "s/^$ADDR /$ADDR /" > "$known"
    b=$(plain_boot)
    log "run $i: build $s s (CPU $c s, peak RSS $r MiB), plain boot $b s"
    echo "run $i: build $s s, CPU $c s, peak RSS $r MiB, plain boot $b s" >> "$BLOG"
    builds+=("$s") boots+=("$b") cpus+=("$c") rsss+=("$r")
    # delete --retire keeps the object (a plain delete removes it); back online for the next run
    igvm stop --force "$VM" >> "$BLOG" 2>&1
    igvm delete --retire "$VM" >> "$BLOG" 2>&1
    igvm inventory set "$VM" state=online sshfp= >> "$BLOG" 2>&1
    igvm clean-cert "$VM" --ca puppet.lab >> "$BLOG" 2>&1
done

mb=$(median "${builds[@]}") mp=$(median "${boots[@]}")
{
    echo "# igvm build vs plain boot, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS"
    echo
    echo "| figure | runs (s) | median |"
    echo "|---|---|---|"
    echo "| plain boot to SSH (\`virsh start\` of the built disk) | ${boots[*]} | $mp s |"
    echo "| \`igvm build\` to SSH-ready, whole command | ${builds[*]} | $mb s |"
    for step in validate hypervisor check-existing volume filesystem image extract root-fs puppet unmount define commit start wait-ssh; do
        [ -n "${step_times[$step]:-}" ] || continue
        # shellcheck disable=SC2086
        echo "| step \`$step\` | ${step_times[$step]# } | $(median ${step_times[$step]}) s |"
    done
    echo
    echo "build / plain boot: $(ratio "$mb" "$mp")× (goal ≤ 2×); igvm CPU $(median "${cpus[@]}") s, peak RSS $(median "${rsss[@]}") MiB (medians)"
} | tee "$RESULTS/summary.md"
