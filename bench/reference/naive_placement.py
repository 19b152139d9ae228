#!/usr/bin/env python3
"""Spec §4's default ranking done the straightforward way in Python, as a stand-in for the
reference implementation (which is not available here): every preference walks the hypervisor's
VM dicts again. Same ranking as igvm's engine (the JMH set-up checks the Java twin of this).

usage: naive_placement.py FLEET.json [RUNS]   prints the median and min wall time per ranking
"""
import json
import statistics
import sys
import time

THRESHOLDS = {'Dell_M610': 50, 'Dell_M620': 60, 'Dell_M630': 70, 'Dell_M640': 75, 'Dell_M710': 50,
              'Dell_R320': 50, 'Dell_R430': 25, 'Dell_R510': 50, 'Dell_R620': 25, 'Dell_R640': 75,
              'Dell_R6515': 50, 'Dell_R7515': 50, 'Supermicro_H13S': 50}
SAME_GROUP = ['project', 'function', 'environment', 'game_market', 'game_world', 'game_type', 'served_game']


def insufficient(vm, hv, hv_attr, vm_attr, m=1, reserved=0):
    if not hv.get(hv_attr):
        return 1.0
    remaining = hv[hv_attr] * m
    for other in hv['vms']:
        if other['state'] != 'retired':
            remaining -= other[vm_attr]
    remaining -= reserved
    if remaining < vm[vm_attr]:
        return 0.0
    return 1 - vm[vm_attr] / remaining


def cpu_usage(vm, hv, current):
    if current is None:
        return 1.0
    threshold = THRESHOLDS.get(hv['hardware_model'])
    if threshold is None:
        return 0.0
    load = min(vm['load_99'] / 1000, vm['num_cpu'])
    share = load * (current['cpu_perffactor'] / 1000) / (hv['cpu_perffactor'] / 1000) / hv['num_cpu'] * 100
    usage = max(0, hv['cpu_util_pct'] + share)
    return 0.0 if usage > threshold else 1 - usage / threshold


def other_vms(vm, hv, attrs, values=None):
    if not hv['vms']:
        return 1.0
    if values is not None and [vm.get(a) for a in attrs] != values:
        return 1.0
    n = sum(1 for o in hv['vms'] if o['hostname'] != vm['hostname'] and all(o.get(a) == vm.get(a) for a in attrs))
    if n == 0:
        return 1.0
    x = 1 - n / 100
    return 0.01 if x <= 0 else x * 0.01


def over_allocation(vm, hv, current):
    if current is None:
        return 1.0
    cur = sum(o['num_cpu'] for o in current['vms']) / current['num_cpu']
    tgt = (vm['num_cpu'] + sum(o['num_cpu'] for o in hv['vms'])) / hv['num_cpu']
    rel = tgt / cur
    return 0.01 if rel > 1 else 1 - rel


def limit(hv, attr, lim):
    v = hv.get(attr)
    if v is None:
        return 1.0
    return 0.0 if v > lim else 1 - v / 100


def rank(fleet):
    vm = fleet['subject']
    current = next(h for h in fleet['hypervisors'] if h['hostname'] == vm['hypervisor'])
    ranked = []
    for hv in fleet['hypervisors']:
        scores = [
            insufficient(vm, hv, 'libvirt_pool_total_gib', 'disk_size_gib', reserved=32),
            insufficient(vm, hv, 'libvirt_memory_total_gib', 'memory', 1024, 2048),
            1.0 if hv['environment'] == vm['environment'] else 0.01,
            cpu_usage(vm, hv, current),
            other_vms(vm, hv, SAME_GROUP),
            other_vms(vm, hv, ['function', 'game_world'], ['db', 0]),
            other_vms(vm, hv, ['function'], ['jenkins_node']),
            other_vms(vm, hv, ['function'], ['monitoring-worker']),
            over_allocation(vm, hv, current),
            limit(hv, 'cpu_util_pct', 100),
            limit(hv, 'iops_avg', 100),
            other_vms(vm, hv, ['project', 'environment', 'game_market']),
        ]
        if all(s > 0 for s in scores):
            ranked.append((hv['hostname'], sum(scores) / len(scores)))
    ranked.sort(key=lambda r: -r[1])  # stable
    return [h for h, _ in ranked]


def main():
    fleet = json.load(open(sys.argv[1]))
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        order = rank(fleet)
        times.append(time.perf_counter() - t)
    print(f"{len(fleet['hypervisors'])} hypervisors: median {statistics.median(times) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms over {runs} runs; {len(order)} ranked, first {order[:3]}")


if __name__ == '__main__':
    main()
