#!/usr/bin/env bash
# Start-up of the igvm command line, before and after, side by side (hyperfine; apt-get install
# hyperfine). "before" is the main branch's jar, built in a temporary clone; "after" is this
# checkout's bin/igvm (build it first: mvn -q -DskipTests -pl cli -am package). Measured:
# `igvm --help` and `igvm inventory show web01` over a small SQLite inventory (the example fleet)
# made in a temporary directory. Everything temporary is removed at exit.
#
# Usage: bench/startup.sh [RUNS]       BEFORE_JAR=path/to/igvm.jar skips building main.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${1:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

before=${BEFORE_JAR:-}
if [ -z "$before" ]; then
    git clone -q --branch main "$repo" "$work/main"
    (cd "$work/main" && mvn -B -q -ntp -DskipTests -Digvm.cds.skip=true -pl cli -am package)
    before="$work/main/cli/target/igvm.jar"
fi
[ -f cli/target/igvm.jar ] || { echo "startup.sh: build first: mvn -q -DskipTests -pl cli -am package" >&2; exit 2; }

cat > "$work/config.yaml" <<YAML
inventory:
  url: "jdbc:sqlite:$work/inventory.db"
YAML
bin/igvm --config "$work/config.yaml" inventory import examples/fleet.yaml >/dev/null

show=(--config "$work/config.yaml" inventory show web01)
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/startup.json" \
    -n "before: java -jar igvm.jar --help" "java -jar $before --help" \
    -n "after: bin/igvm --help" "bin/igvm --help" \
    -n "after, no CDS/C1 flags: java -jar igvm.jar --help" "java -jar cli/target/igvm.jar --help" \
    -n "before: java -jar igvm.jar inventory show web01" "java -jar $before ${show[*]}" \
    -n "after: bin/igvm inventory show web01" "bin/igvm ${show[*]}"
python3 - "$work/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
median = {r["command"]: r["median"] * 1000 for r in results}
print("| command | median [ms] | min [ms] | mean ± σ [ms] |")
print("|---|---:|---:|---:|")
for r in results:
    print(f"| {r['command']} | {r['median'] * 1000:.0f} | {r['min'] * 1000:.0f} | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} |")
for what in ("--help", "inventory show web01"):
    b = next(v for k, v in median.items() if k.startswith("before") and k.endswith(what))
    a = next(v for k, v in median.items() if k.startswith("after:") and k.endswith(what))
    print(f"{what}: before {b:.0f} ms, after {a:.0f} ms, {b / a:.1f}x faster")
PY
