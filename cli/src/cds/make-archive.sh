#!/bin/sh
# Makes the AppCDS archive of the igvm jar at package time (cli/pom.xml runs it after the shade
# step): the classes of a `--help` run and of a command run over a throwaway SQLite inventory are
# dumped into one static archive, next to the jar. bin/igvm uses it when it is there; a JVM other
# than the one that made it, or a rebuilt jar, ignores it and starts as usual.
# Usage: make-archive.sh JAVA JAR ARCHIVE WORKDIR
set -eu
java=$1 jar=$2 archive=$3 work=$4
rm -rf "$work" "$archive"
mkdir -p "$work/home"
cat > "$work/training.yaml" <<YAML
inventory:
  url: "jdbc:sqlite:$work/training.db"
YAML
# The training runs get their own home and temp dir: the build leaves nothing in /tmp or ~/.cache.
run() {
    name=$1
    shift
    "$java" -XX:-UsePerfData -Duser.home="$work/home" -Djava.io.tmpdir="$work" \
        -XX:DumpLoadedClassList="$work/$name.classlist" -jar "$jar" "$@" >/dev/null 2>&1
}
run help --help
run query --config "$work/training.yaml" inventory query 'hostname=none.example.net' || true
cat "$work/help.classlist" "$work/query.classlist" > "$work/all.classlist"
"$java" -XX:-UsePerfData -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" \
    -XX:SharedArchiveFile="$archive" -cp "$jar" > "$work/dump.log" 2>&1 \
    || { echo "make-archive: the CDS dump failed, see $work/dump.log" >&2; exit 1; }
echo "igvm: AppCDS archive $archive ($(wc -l < "$work/all.classlist") classes listed)"
