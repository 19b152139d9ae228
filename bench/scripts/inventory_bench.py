#!/usr/bin/env python3
"""End-to-end CLI figures of the inventory at fleet scale (bench/README.md, "Inventory at scale").

usage: inventory_bench.py JAR WORKDIR HYPERVISORS [--pg JDBC_URL] [--runs N] [--skip-import] [--java-opts 'FLAGS']

Generates make_fleet.py HYPERVISORS 40 as fleet YAML in WORKDIR (once), then, against a fresh SQLite
file (or a fresh schema of the PostgreSQL database at JDBC_URL):
  import     igvm inventory import FLEET (once, -Xmx1g: the heap limit of the goal)
  help       igvm --help                              (start-up, subtracted below)
  query      igvm inventory query 'servertype=vm hypervisor=Not(Empty())' -a 5 attributes
  show       igvm inventory show vm00042-007.example.net
  placement  igvm placement subject --json            (every hypervisor on libvirt's test driver)
Each command but import runs N times (default 5); the median is printed, and "beyond start-up" is
median minus help's median. Only loopback is contacted: the inventory is a local file or the local
PostgreSQL, every hypervisor URI is test:///…/bench/testdriver/fleet-node.xml (in process).
--java-opts adds JVM flags to every command but the import, e.g. bin/igvm's own (C1 only, the
AppCDS archive): '-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=cli/target/igvm.jsa -Xshare:auto'.
"""
import os
import re
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NODE = os.path.join(os.path.dirname(HERE), 'testdriver', 'fleet-node.xml')
MAKE_FLEET = os.environ.get('IGVM_MAKE_FLEET', '/work/shared/bench/make_fleet.py')
ATTRS = 'num_cpu,memory,disk_size_gib,state,environment'


def run(cmd, out=subprocess.DEVNULL):
    """Wall seconds and the completed process; CPU seconds (user + sys) of it in p.cpu."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    p.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, p


def main():
    args = sys.argv[1:]
    jar, work, n = args[0], args[1], int(args[2])
    pg = args[args.index('--pg') + 1] if '--pg' in args else None
    runs = int(args[args.index('--runs') + 1]) if '--runs' in args else 5
    skip_import = '--skip-import' in args
    java_opts = args[args.index('--java-opts') + 1].split() if '--java-opts' in args else []
    os.makedirs(work, exist_ok=True)
    fleet_json = os.path.join(work, f'fleet-{n}.json')
    fleet_yaml = os.path.join(work, f'fleet-{n}.yaml')
    if not os.path.exists(fleet_yaml):
        subprocess.run(['python3', MAKE_FLEET, str(n), '40', fleet_json], check=True)
        subprocess.run(['python3', os.path.join(HERE, 'fleet_yaml.py'), fleet_json, fleet_yaml], check=True)
    kind = 'postgresql' if pg else 'sqlite'
    if pg:
        schema = f'bench_{n}'
        url = pg + ('&' if '?' in pg else '?') + 'currentSchema=' + schema
    else:
        db = os.path.join(work, f'inventory-{n}.db')
        url = 'jdbc:sqlite:' + db
    config = os.path.join(work, f'igvm-{kind}-{n}.yaml')
    with open(config, 'w') as f:
        f.write(f'inventory:\n  url: "{url}"\nlibvirt:\n  uri: "test://{NODE}"\n')
    igvm = ['java', *java_opts, '-jar', jar, '--config', config]
    results = {}
    if not skip_import:
        if pg:
            reset_pg_schema(jar, pg, schema)
        else:
            for suffix in ('', '-wal', '-shm'):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
        cmd = ['/usr/bin/time', '-f', 'TIME %e %U %S %M', 'java', '-Xmx1g', '-jar', jar, '--config', config,
               'inventory', 'import', fleet_yaml]
        elapsed, p = run(cmd)
        m = re.search(r'TIME (\S+) (\S+) (\S+) (\S+)', p.stderr)
        if p.returncode != 0:
            sys.exit('import failed: ' + p.stderr[-2000:])
        results['import'] = (elapsed, f'cpu {float(m.group(2)) + float(m.group(3)):.1f} s, max RSS {int(m.group(4)) // 1024} MiB')
        print(f'{kind} {n}: import {elapsed:.1f} s ({results["import"][1]}); load {os.getloadavg()[0]:.1f}',
              flush=True)
    commands = {
        'help': ['--help'],
        'query': ['inventory', 'query', 'servertype=vm hypervisor=Not(Empty())', '-a', ATTRS],
        'show': ['inventory', 'show', 'vm00042-007.example.net'],
        'placement': ['placement', 'subject', '--json'],
    }
    run(igvm + commands['show'])  # warm the OS cache once (and migrate an older schema)
    medians = {}
    for name, tail in commands.items():
        times = []
        cpus = []
        for _ in range(runs):
            elapsed, p = run(igvm + tail, out=subprocess.PIPE)
            if p.returncode != 0:
                sys.exit(f'{name} failed ({p.returncode}): {p.stderr[-2000:]}')
            times.append(elapsed)
            cpus.append(p.cpu)
        medians[name] = statistics.median(times)
        medians[name + ' cpu'] = statistics.median(cpus)
        extra = '' if name == 'help' else f', beyond start-up {1000 * (medians[name] - medians["help"]):.0f} ms'
        print(f'{kind} {n}: {name} median {1000 * medians[name]:.0f} ms (runs: '
              + ', '.join(f'{1000 * t:.0f}' for t in times) + ')' + extra
              + f'; CPU median {1000 * medians[name + " cpu"]:.0f} ms'
              + ('' if name == 'help' else f' (beyond start-up {1000 * (medians[name + " cpu"] - medians["help cpu"]):.0f} ms)')
              + f'; load {os.getloadavg()[0]:.1f}', flush=True)


def reset_pg_schema(jar, pg, schema):
    """A fresh schema, dropped and created with the JDBC driver inside the igvm jar."""
    src = os.path.join(os.path.dirname(jar), 'BenchSchema.java')
    with open(src, 'w') as f:
        f.write('public class BenchSchema { public static void main(String[] a) throws Exception {'
                ' try (var c = java.sql.DriverManager.getConnection(a[0]); var s = c.createStatement()) {'
                ' s.execute("DROP SCHEMA IF EXISTS " + a[1] + " CASCADE"); s.execute("CREATE SCHEMA " + a[1]); } } }')
    subprocess.run(['java', '-cp', jar, src, pg, schema], check=True)


if __name__ == '__main__':
    main()
