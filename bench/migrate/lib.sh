# Helpers shared by bench/migrate/*.sh (sourced, bash). Everything that talks to a lab
# address goes through `ip netns exec ctl` (the lab's controller namespace).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=$REPO/lab/state
SSHCFG=$STATE/ssh/config
POOL=xen-data
POOL_DIR=/var/lib/libvirt/xen-data
RESULTS=${RESULTS:-$REPO/bench/migrate/results}
mkdir -p "$RESULTS"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
log() { printf '%s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

ctl() { ip netns exec ctl "$@"; }
hv() { local h=$1; shift; ctl ssh -F "$SSHCFG" "root@$h.lab" "$@"; }
vsh() { local h=$1; shift; ctl virsh -q -c "qemu+tcp://$h.lab/system" "$@"; }
guest() { ctl ssh -F "$SSHCFG" -o ConnectTimeout=2 "root@$1" "${@:2}"; }

require_lab() {
    [ "$(id -u)" = 0 ] || die "run as root (the lab is network namespaces)"
    [ -f "$STATE/run/up.done" ] || die "the lab is not up: flock /work/lab.lock bash -c 'lab/igvm-lab up && $0; lab/igvm-lab down'"
}

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{ if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2} }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "nan" }'; }
mibps() { awk -v bytes="$1" -v s="$2" 'BEGIN{ if (s>0) printf "%.0f", bytes/1048576/s; else print "nan" }'; }

# make_full HV FILE: a fully written 1 GiB file (random, so nothing compresses or skips)
make_full() { hv "$1" "dd if=/dev/urandom of=$2 bs=1M count=1024 status=none && sync"; }

# make_sparse HV FILE: a 1 GiB sparse file with 10 % allocated: 1 MiB of random data every 10 MiB
make_sparse() {
    hv "$1" "rm -f $2 && truncate -s 1G $2 && i=0 && while [ \$i -lt 1024 ]; do dd if=/dev/urandom of=$2 bs=1M seek=\$i count=1 conv=notrunc status=none; i=\$((i + 10)); done && sync"
}

allocated_mib() { hv "$1" "du -m $2 | cut -f1"; }

# dd_nc SRC_HV SRC_FILE DST_HV DST_FILE PORT [CONV]: one raw copy, dd | nc -N into nc -l | dd
# (the notes' command pair; CONV e.g. fsync for the target dd, durable as igvm's copy is before it
# deletes the source); prints the seconds from the sender's start to the listener's end
dd_nc() {
    local shv=$1 src=$2 dhv=$3 dst=$4 port=$5 conv=${6:+ conv=$6} t pid
    hv "$dhv" "rm -f $dst"
    hv "$dhv" "nc -l $dhv.lab $port | dd of=$dst bs=1M iflag=fullblock$conv status=none" &
    pid=$!
    for _ in $(seq 1 50); do
        hv "$dhv" "ss -Hltn 'sport = :$port'" | grep -q LISTEN && break
        sleep 0.1
    done
    t=$(now)
    hv "$shv" "dd if=$src bs=1M status=none | nc -N $dhv.lab $port"
    wait "$pid"
    elapsed "$t"
}

sha() { hv "$1" "sha256sum $2 | cut -d' ' -f1"; }

# /usr/bin/time -v output -> "cpu_s peak_rss_mib"
time_v_summary() {
    awk -F': ' '/User time/{u=$2} /System time/{s=$2} /Maximum resident set size/{r=$2}
        END{printf "%.2f %.0f\n", u+s, r/1024}' "$1"
}
