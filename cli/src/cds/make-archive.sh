#!/bin/sh
# Makes the AppCDS archive of the igvm jar at package time (cli/pom.xml runs it after the shade
# step): the classes of training runs are dumped into one static archive, next to the jar.
# bin/igvm uses it when it is there; a JVM other than the one that made it, or a rebuilt jar,
# ignores it and starts as usual. The runs: `--help`; an import, a query, a show, a placement
# and a migration's --dry-run over a throwaway SQLite inventory of two hypervisors on libvirt's test
# driver, which runs inside the client library (nothing leaves the process). The last two load
# what every hypervisor command loads (Guice's whole graph, libvirt's JNA binding, the domain
# XML, Jackson): without them half of a migration's 4,100 classes came from the jar, about
# 0.3 s of its start-up. A run that fails (no libvirt0 on the build machine) only lists less.
# Usage: make-archive.sh JAVA JAR ARCHIVE WORKDIR
set -eu
java=$1 jar=$2 archive=$3 work=$4
rm -rf "$work" "$archive"
mkdir -p "$work/home"
cat > "$work/training.yaml" <<YAML
inventory:
  url: "jdbc:sqlite:$work/training.db"
libvirt:
  uri: "test://$work/node.xml"
YAML
cat > "$work/node.xml" <<'XML'
<node>
  <cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>8</cores><threads>1</threads></cpu>
  <memory>33554432</memory>
  <pool type='dir'>
    <name>xen-data</name>
    <uuid>0b7c1a52-0002-4c6e-9a61-0000000000c1</uuid>
    <capacity unit='GiB'>512</capacity>
    <available unit='GiB'>512</available>
    <target><path>/var/lib/libvirt/images/xen-data</path></target>
  </pool>
</node>
XML
cat > "$work/fleet.yaml" <<'YAML'
objects:
  - {object_id: 2, servertype: route_network, hostname: net-a.train, state: online, ipv4: 10.20.0.0/16, vlan_tag: 100}
  - {object_id: 11, servertype: hypervisor, hostname: hv1.train, state: online, os: bookworm, hardware_model: Dell_R640, num_cpu: 8, environment: testing, vlan_networks: [net-a.train], libvirt_memory_total_gib: 32, libvirt_pool_total_gib: 512}
  - {object_id: 12, servertype: hypervisor, hostname: hv2.train, state: online, os: bookworm, hardware_model: Dell_R640, num_cpu: 8, environment: testing, vlan_networks: [net-a.train], libvirt_memory_total_gib: 32, libvirt_pool_total_gib: 512}
  - {object_id: 101, servertype: vm, hostname: vm1.train, state: online, hypervisor: hv1.train, os: bookworm, num_cpu: 1, memory: 512, disk_size_gib: 2, environment: testing, intern_ip: 10.20.0.11}
YAML
# The training runs get their own home and temp dir: the build leaves nothing in /tmp or ~/.cache.
run() {
    name=$1
    shift
    "$java" -XX:-UsePerfData -Duser.home="$work/home" -Djava.io.tmpdir="$work" \
        -XX:DumpLoadedClassList="$work/$name.classlist" -jar "$jar" "$@" >/dev/null 2>&1
}
config="--config $work/training.yaml"
run help --help
run import $config inventory import "$work/fleet.yaml" || true
run query $config inventory query 'servertype=vm' -a memory,disk_size_gib || true
run show $config inventory show vm1.train || true
run placement $config placement vm1.train --json || true
run migrate $config migrate vm1.train hv2.train --dry-run || true
# One list from all runs, the migration's first: newer JDKs number every class ("java/lang/Object
# id: 0"), so each later run's classes that came before are dropped and the rest get their ids
# moved past those listed so far. Lambda lines (@…) are kept from the first run only. Last, the
# checked-in names of what a migration on a real hypervisor loads beyond these runs.
lists=""
for name in migrate placement query show import help; do
    [ -s "$work/$name.classlist" ] && lists="$lists $work/$name.classlist"
done
lists="$lists $(dirname "$0")/hypervisor-session.classlist" # names only, no ids
# shellcheck disable=SC2086  # the list of files, split on purpose
awk '
    FNR == 1 { shift = top }
    /^[#@]/ { if (NR == FNR) print; next }
    seen[$1]++ { next }
    $2 == "id:" { $3 = $3 + shift; if ($3 + 1 > top) top = $3 + 1 }
    { print }
' $lists > "$work/all.classlist"
"$java" -XX:-UsePerfData -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" \
    -XX:SharedArchiveFile="$archive" -cp "$jar" > "$work/dump.log" 2>&1 \
    || { echo "make-archive: the CDS dump failed, see $work/dump.log" >&2; exit 1; }
echo "igvm: AppCDS archive $archive ($(wc -l < "$work/all.classlist") classes listed)"
