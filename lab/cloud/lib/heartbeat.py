#!/usr/bin/python3 -I -S
"""The VMs of one cell of the cloud box, beating: one process a cell, not a hypervisor.

    heartbeat.py DIR CELL ADDRESS PORT [--seed N]

A VM is a line "ID BOOT_ID OWNER" in its hypervisor's DIR/hosts/NAME/vms. It runs, and beats once
a second, while the hypervisor's boot id (DIR/hosts/NAME/boot_id) is still the one it started
under and the host is not rebooting (DIR/hosts/NAME/booting): stopping or restarting nova-compute
or libvirtd leaves it running, as on a real hypervisor; a reboot kills it for good, unless it was
moved to another hypervisor first (its line moved to that host's file with that host's boot id).

It serves the beats on http://ADDRESS:PORT/vms, seen from outside: a first line
"# NOW CELL TICKED" (TICKED: when this process last looked at the cell's hypervisors; on a loaded
machine it may lag NOW, and a VM is judged by the looks that happened), then
"ID HOST LAST_BEAT" (Unix times, 0 for a VM that never beat). --seed N first gives each of the
cell's hypervisors without a `vms` file N VMs (lab/cloud/up: 12, as in the CERN example)."""

import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minihttp  # noqa: E402

DIR, CELL, ADDRESS, PORT = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


def hypervisors():
    out = []
    for h in read(os.path.join(DIR, 'cloud', 'hosts-with', 'openstack-nova-compute')).split():
        if read(os.path.join(DIR, 'hosts', h, 'cell')).strip() == CELL:
            out.append(h)
    return out


HVS = hypervisors()
last = {}      # vm -> last beat
where = {}     # vm -> host
cache = {}     # host -> (stat key, rows)
ticked = [0.0]  # when the last look at the hypervisors ended
lock = threading.Lock()


def seed(n):
    for h in HVS:
        hd = os.path.join(DIR, 'hosts', h)
        path = os.path.join(hd, 'vms')
        if os.path.exists(path):
            continue
        boot = read(os.path.join(hd, 'boot_id')).strip()
        with open(path + '.tmp', 'w') as f:
            for _ in range(n):
                f.write('%s %s %s\n' % (uuid.uuid4(), boot, 'cern'))
        os.replace(path + '.tmp', path)


def rows(h):
    path = os.path.join(DIR, 'hosts', h, 'vms')
    try:
        st = os.stat(path)
    except OSError:
        return []
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    hit = cache.get(h)
    if hit and hit[0] == key:
        return hit[1]
    r = [line.split() for line in read(path).splitlines() if line.strip()]
    cache[h] = (key, r)
    return r


def tick():
    now = time.time()
    seen = {}
    beats = []
    for h in HVS:
        hd = os.path.join(DIR, 'hosts', h)
        boot = read(os.path.join(hd, 'boot_id')).strip()
        up = not os.path.exists(os.path.join(hd, 'booting'))
        for r in rows(h):
            if len(r) < 2:
                continue
            seen[r[0]] = h
            if up and r[1] == boot:
                beats.append(r[0])
    with lock:
        for vm in list(where):
            if vm not in seen:
                del where[vm]
                last.pop(vm, None)
        for vm, h in seen.items():
            where[vm] = h
            last.setdefault(vm, 0.0)
        for vm in beats:
            last[vm] = now
        ticked[0] = now


def handle(req):
    if req.path == '/healthcheck':
        return 200, 'OK'
    if req.path == '/vms':
        with lock:
            lines = ['# %.3f %s %.3f' % (time.time(), CELL, ticked[0])]
            lines += ['%s %s %.3f' % (vm, where[vm], last[vm]) for vm in where]
        return 200, '\n'.join(lines) + '\n'
    return 404, 'Not Found\n'


def main():
    if '--seed' in sys.argv:
        seed(int(sys.argv[sys.argv.index('--seed') + 1]))
    tick()
    minihttp.Listener(minihttp.bind(ADDRESS, PORT), handle, 'cloud-box-heartbeat')
    with open('/proc/self/stat') as f:
        start = f.read().rsplit(')', 1)[1].split()[19]
    os.makedirs(os.path.join(DIR, 'run'), exist_ok=True)
    with open(os.path.join(DIR, 'run', 'heartbeat-%s.pid' % CELL), 'w') as f:
        f.write('%d %s\n' % (os.getpid(), start))
    while True:
        time.sleep(1.0 - (time.time() % 1.0))
        tick()


if __name__ == '__main__':
    main()
