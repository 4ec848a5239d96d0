#!/usr/bin/python3 -I -S
"""The cloud box's HAProxy: its configuration, and its runtime API.

    haproxy.py config DIR BASE USER   writes DIR/run/haproxy.cfg, DIR/cloud/front, DIR/cloud/cells
    haproxy.py send ADDRESS:PORT CMD  one runtime API command; prints the answer

One HAProxy a box, on the front address BASE.255.1 (its runtime API at :9999, level admin), with
a frontend (front-NAME) and a backend (NAME) per API, the servers being the hosts that run it, health-checked
(GET /healthcheck) every 2 s, every 500 ms while one is down or changing:

    5000 keystone        the main Keystones; the cells' Keystones too, at weight 0: the plan's
                         `keystone` has one balancer, so its drains of the cell Keystones go to
                         this backend; each cell's endpoint, BASE.254.(i+1):5000, is a backend
                         keystone-CELL whose server tracks keystone/NAME (its health, its drain)
    35357 keystone-admin tracks keystone/NAME of the main Keystones
    9292 glance-api, 8776 cinder-api, 8774 nova-api, 8777 ceilometer-api, 80 horizon

DIR/cloud/front is the front address; DIR/cloud/cells has "CELL ADDRESS" lines, the cells'
addresses (their Keystone endpoint, and their VMs' heartbeats at :8000, lib/heartbeat.py).

A frontend never has its backend's name: `show stat NAME 4 -1`, which Upshift's drain reads to
wait for sessions to end, looks the name up among frontends first and would list no server."""

import os
import socket
import sys

APIS = [  # backend, port, service, endpoint hosts only (cloud/endpoints/X) or every host running it
    ('keystone', 5000, 'openstack-keystone', None),
    ('glance-api', 9292, 'openstack-glance-api', None),
    ('cinder-api', 8776, 'openstack-cinder-api', None),
    ('nova-api', 8774, 'openstack-nova-api', None),
    ('ceilometer-api', 8777, 'openstack-ceilometer-api', None),
    ('horizon', 80, 'httpd', None),
]


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


def config(d, base, user):
    front = base + '.255.1'
    hosts = dict(line.split()[:2] for line in read(os.path.join(d, 'hosts.list')).splitlines() if line.strip())
    cell_of = lambda h: read(os.path.join(d, 'hosts', h, 'cell')).strip()
    with_svc = lambda s: read(os.path.join(d, 'cloud', 'hosts-with', s)).split()
    main = read(os.path.join(d, 'cloud', 'endpoints', 'identity')).split()
    out = ['# The cloud box\'s HAProxy (written by lib/haproxy.py config)',
           'global',
           '  maxconn 4000',
           '  user %s' % user,
           '  group %s' % user,
           '  stats socket ipv4@%s:9999 level admin' % front,
           '  stats socket %s mode 600 level admin' % os.path.join(d, 'run', 'haproxy.sock'),
           '  stats timeout 10s',
           'defaults',
           '  mode http',
           '  timeout connect 2s',
           '  timeout client 30s',
           '  timeout server 30s',
           '  timeout queue 5s',
           '  retries 2',
           '  option redispatch',
           '  option httpchk GET /healthcheck',
           '  http-check expect status 200',
           '  default-server inter 2s fastinter 500ms downinter 500ms rise 1 fall 2',
           '']
    for backend, port, svc, _ in APIS:
        out += ['frontend front-%s' % backend, '  bind %s:%d' % (front, port), '  default_backend %s' % backend, '',
                'backend %s' % backend, '  balance roundrobin']
        for h in with_svc(svc):
            weight = ''
            if backend == 'keystone' and h not in main:
                weight = ' weight 0'  # a cell's Keystone: served through keystone-CELL below
            out.append('  server %s %s:%d check%s' % (h, hosts[h], port, weight))
        out.append('')
    out += ['frontend front-keystone-admin', '  bind %s:35357' % front, '  default_backend keystone-admin', '',
            'backend keystone-admin', '  balance roundrobin']
    out += ['  server %s %s:35357 track keystone/%s' % (h, hosts[h], h) for h in main]
    out.append('')
    cells = sorted({cell_of(h) for h in with_svc('openstack-nova-compute')})
    lines = []
    for i, cell in enumerate(cells):
        addr = '%s.254.%d' % (base, i + 1)
        lines.append('%s %s\n' % (cell, addr))
        ks = [h for h in with_svc('openstack-keystone') if h not in main and cell_of(h) == cell]
        if not ks:
            continue
        out += ['frontend front-keystone-%s' % cell, '  bind %s:5000' % addr, '  default_backend keystone-%s' % cell, '',
                'backend keystone-%s' % cell, '  balance roundrobin']
        out += ['  server %s %s:5000 track keystone/%s' % (h, hosts[h], h) for h in ks]
        out.append('')
    with open(os.path.join(d, 'run', 'haproxy.cfg'), 'w') as f:
        f.write('\n'.join(out) + '\n')
    with open(os.path.join(d, 'cloud', 'front'), 'w') as f:
        f.write(front + '\n')
    with open(os.path.join(d, 'cloud', 'cells'), 'w') as f:
        f.write(''.join(lines))


def send(address, command):
    host, _, port = address.rpartition(':')
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(command.encode() + b'\n')
        data = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode(errors='replace')


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'config':
        config(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == 'send':
        answer = send(sys.argv[2], sys.argv[3])
        sys.stdout.write(answer)
        sys.exit(0 if answer.strip() == '' or not answer.lower().startswith(('no such', 'unknown', 'require')) else 1)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
