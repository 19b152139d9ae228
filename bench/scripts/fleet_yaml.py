#!/usr/bin/env python3
"""Convert a make_fleet.py JSON fleet into igvm's fleet YAML (`igvm inventory import`).

usage: fleet_yaml.py FLEET.json OUT.yaml

One route_network (net-a), the hypervisors (object_id as generated, vlan_networks by name), every
VM with hypervisor = its hypervisor (object_id 1,000,000 + position), and the subject (object_id 1).
Deterministic: same input, same file. Written line by line, so it needs little memory.
"""
import json
import sys

HV_ATTRS = ['state', 'os', 'hardware_model', 'num_cpu', 'environment', 'cpu_util_pct', 'iops_avg',
            'cpu_perffactor', 'libvirt_memory_total_gib', 'libvirt_pool_total_gib']
VM_ATTRS = ['state', 'num_cpu', 'memory', 'disk_size_gib', 'environment', 'function', 'project',
            'game_market', 'game_world', 'game_type', 'served_game', 'load_99']


def scalar(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, int):
        return str(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


def write_vm(out, object_id, vm, hypervisor):
    out.write(f'  - object_id: {object_id}\n    servertype: vm\n    hostname: {scalar(vm["hostname"])}\n')
    out.write(f'    hypervisor: {scalar(hypervisor)}\n')
    for a in VM_ATTRS:
        if a in vm:
            out.write(f'    {a}: {scalar(vm[a])}\n')


def main():
    fleet = json.load(open(sys.argv[1]))
    with open(sys.argv[2], 'w') as out:
        out.write('objects:\n')
        out.write('  - object_id: 2\n    servertype: route_network\n    hostname: net-a\n'
                  '    state: online\n    ipv4: 10.20.0.0/16\n    vlan_tag: 100\n')
        vm_id = 1_000_000
        for hv in fleet['hypervisors']:
            out.write(f'  - object_id: {hv["object_id"]}\n    servertype: hypervisor\n'
                      f'    hostname: {scalar(hv["hostname"])}\n')
            for a in HV_ATTRS:
                out.write(f'    {a}: {scalar(hv[a])}\n')
            nets = ', '.join(n['hostname'] for n in hv['vlan_networks'])
            out.write(f'    vlan_networks: [{nets}]\n    igvm_migration_log: []\n')
            for vm in hv['vms']:
                write_vm(out, vm_id, vm, hv['hostname'])
                vm_id += 1
        s = fleet['subject']
        write_vm(out, s['object_id'], s, s['hypervisor'])


if __name__ == '__main__':
    main()
