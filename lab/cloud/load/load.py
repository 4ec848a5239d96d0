#!/usr/bin/python3 -I
"""Users of the cloud box while it upgrades: a bounded load of real user operations through the
box's HAProxy, and a watcher of every VM's heartbeat. One process.

    lab/cloud/load/load.py DIR [--rate N] [--duration S] [--out FILE] [--user demo]

DIR is the box (lab/cloud/up's UPSHIFT_CLOUD). N operations a second at most (default 20), for S
seconds (default 600; SIGINT or SIGTERM end it sooner), in turn:

    identity     get a token (POST :5000/v2.0/tokens), then validate it (GET :35357/v2.0/tokens/ID):
                 the two may reach different Keystones, as keystoneclient's middleware does
    image-api    list images (GET :9292/v1/images); a private image of another project in the
                 list is a failure too (the CERN story's leak)
    volume-ops   create a volume, check it is `available`, delete it (:8776)
    vm-launch    boot a VM, check it is ACTIVE, delete it (:8774)
    dashboard    Horizon's login page (GET :80/dashboard/auth/login/)

Operations use a token of their own, fetched again every 10 s or after a 401. Every failure is
counted under its capability with its time and reason; failures less than 2 s apart form a
window. An operation due while 64 others already wait (the operations in flight are slow: on this
machine, a saturated CPU) is not sent, and its time is kept apart (`not_issued`). Each second, the watcher reads every cell's heartbeats (DIR/cloud/cells, :8000/vms): a VM
whose last beat is more than 3 s older than the cell process's last look at the hypervisors has
missed its heartbeat, from its last beat until it beats again (or the end); VMs that appear or go
away (booted or deleted) are followed. A cell process whose last look is more than 3 s old (a
loaded machine) is counted apart, as `monitor_stalls`, not as VMs missing.

The summary (JSON) goes to FILE (default DIR/load.json) every 10 s and at the end:
{"started", "ended", "rate", "capabilities": {CAP: {"ok", "failed", "windows": [[FROM, TO, N]],
"errors": {REASON: N}, "first_failures": [...], "not_issued": [T...]}}, "heartbeats": {"vms", "missed", "misses":
[{"vm", "host", "from", "to"}]}}. Times are Unix seconds."""

import json
import os
import queue
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import minihttp  # noqa: E402

CAPS = ['identity', 'image-api', 'volume-ops', 'vm-launch', 'dashboard']


def args():
    a = {'rate': 20.0, 'duration': 600.0, 'out': None, 'user': 'demo'}
    argv = sys.argv[1:]
    if not argv or argv[0].startswith('-'):
        sys.stderr.write(__doc__)
        sys.exit(2)
    a['dir'] = argv.pop(0)
    while argv:
        k = argv.pop(0)
        if k in ('--rate', '--duration') and argv:
            a[k[2:]] = float(argv.pop(0))
        elif k in ('--out', '--user') and argv:
            a[k[2:]] = argv.pop(0)
        else:
            sys.stderr.write('load.py: unknown argument %s\n' % k)
            sys.exit(2)
    if not 0 < a['rate'] <= 200:
        sys.exit('load.py: --rate takes 0 < N <= 200')
    if not 0 < a['duration'] <= 14400:
        sys.exit('load.py: --duration takes 0 < S <= 14400')
    a['out'] = a['out'] or os.path.join(a['dir'], 'load.json')
    return a


A = args()
FRONT = open(os.path.join(A['dir'], 'cloud', 'front')).read().strip()
CELLS = [line.split() for line in open(os.path.join(A['dir'], 'cloud', 'cells')) if line.strip()]
USER = A['user']
lock = threading.Lock()
stats = {c: {'ok': 0, 'failed': 0, 'windows': [], 'errors': {}, 'first_failures': [], 'not_issued': []} for c in CAPS}
started = time.time()
stop = threading.Event()


class Failure(Exception):
    pass


def call(port, method, path, body=None, token=None, expect=(200,)):
    headers = {'X-Auth-Token': token} if token else {}
    if body is not None:
        headers['Content-Type'] = 'application/json'
    try:
        status, data = minihttp.request(FRONT, port, method, path, body, headers, timeout=5)
    except OSError as e:
        raise Failure('%s %s: %s' % (method, path.split('/')[1] if '/' in path else path, e.__class__.__name__))
    if status not in expect:
        reason = data[:160].decode('latin-1', 'replace').replace('\n', ' ')
        raise Failure('%s :%d%s: HTTP %d %s' % (method, port, '/'.join(path.split('/')[:3]), status, reason))
    if data[:1] in (b'{', b'['):
        return json.loads(data)
    return data


_token = [None, 0.0]


def new_token():
    body = {'auth': {'passwordCredentials': {'username': USER, 'password': USER}, 'tenantName': USER}}
    return call(5000, 'POST', '/v2.0/tokens', body)['access']['token']['id']


def token():
    with lock:
        t, at = _token
    if t and time.time() - at < 10:
        return t
    t = new_token()
    with lock:
        _token[0], _token[1] = t, time.time()
    return t


def forget_token_on_401(e):
    if 'HTTP 401' in str(e):
        with lock:
            _token[0] = None


def op_identity():
    t = new_token()
    call(35357, 'GET', '/v2.0/tokens/' + t)


def op_images():
    images = call(9292, 'GET', '/v1/images', token=token())['images']
    leaked = [i['name'] for i in images if i.get('visibility') == 'private' and i.get('owner') != USER]
    if leaked:
        raise Failure('a private image of another project is visible: %s' % ', '.join(sorted(leaked)))


def op_volume():
    t = token()
    v = call(8776, 'POST', '/v1/%s/volumes' % USER, {'volume': {'display_name': 'load', 'size': 1}}, t)['volume']
    try:
        if v['status'] != 'available':
            raise Failure('volume %s' % v['status'])
    finally:
        call(8776, 'DELETE', '/v1/%s/volumes/%s' % (USER, v['id']), token=t, expect=(202, 204))


def op_vm():
    t = token()
    s = call(8774, 'POST', '/v2/%s/servers' % USER, {'server': {'name': 'load', 'flavorRef': '1'}}, t,
             expect=(202,))['server']
    if s['status'] != 'ACTIVE':
        raise Failure('VM %s: %s' % (s['status'], s.get('fault', {}).get('message', '')))
    call(8774, 'DELETE', '/v2/%s/servers/%s' % (USER, s['id']), token=t, expect=(204,))


def op_dashboard():
    call(80, 'GET', '/dashboard/auth/login/')


OPS = {'identity': op_identity, 'image-api': op_images, 'volume-ops': op_volume, 'vm-launch': op_vm,
       'dashboard': op_dashboard}


def record(cap, ok, at, reason=None):
    with lock:
        s = stats[cap]
        if ok:
            s['ok'] += 1
            return
        s['failed'] += 1
        s['errors'][reason] = s['errors'].get(reason, 0) + 1
        if len(s['first_failures']) < 20:
            s['first_failures'].append({'t': round(at, 3), 'error': reason})
        w = s['windows']
        if w and at - w[-1][1] <= 2.0:
            w[-1][1] = max(w[-1][1], at)
            w[-1][2] += 1
        else:
            w.append([at, at, 1])


work = queue.Queue(maxsize=64)


def worker():
    while True:
        cap = work.get()
        if cap is None:
            return
        at = time.time()
        try:
            OPS[cap]()
            record(cap, True, at)
        except Failure as e:
            forget_token_on_401(e)
            record(cap, False, at, str(e))
        except Exception as e:  # an answer the client cannot read is the API's failure too
            record(cap, False, at, '%s: %s' % (e.__class__.__name__, e))


# --- the VMs' heartbeats --------------------------------------------------------------------------

hb = {'vms': set(), 'open': {}, 'misses': [], 'unreachable': [], 'stalls': {}}


def watch():
    while not stop.wait(1.0 - (time.time() % 1.0)):
        for cell, address in CELLS:
            try:
                status, data = minihttp.request(address, 8000, 'GET', '/vms', timeout=3)
                if status != 200:
                    raise OSError('HTTP %d' % status)
            except OSError as e:
                with lock:
                    if len(hb['unreachable']) < 100:
                        hb['unreachable'].append({'cell': cell, 't': round(time.time(), 3), 'error': str(e)})
                continue
            lines = data.decode().splitlines()
            head = lines[0].split()
            now = float(head[1])
            # a VM is judged at the cell process's last look at its hypervisor (TICKED): a process
            # that lags on a loaded machine is not a VM that stopped; its lag is recorded apart
            ticked = float(head[3]) if len(head) > 3 else now
            with lock:
                st = hb['stalls'].setdefault(cell, {'count': 0, 'max_s': 0.0})
                if now - ticked > 3.0:
                    st['count'] += 1
                    st['max_s'] = max(st['max_s'], round(now - ticked, 3))
            now = ticked
            seen = set()
            with lock:
                for line in lines[1:]:
                    vm, host, last = line.split()
                    last = float(last)
                    seen.add(vm)
                    hb['vms'].add(vm)
                    late = now - last > 3.0
                    if late and vm not in hb['open']:
                        m = {'vm': vm, 'host': host, 'cell': cell, 'from': round(last, 3), 'to': None}
                        hb['open'][vm] = m
                        hb['misses'].append(m)
                    elif not late and vm in hb['open']:
                        hb['open'].pop(vm)['to'] = round(last, 3)
                for vm in [v for v, m in hb['open'].items() if m['cell'] == cell and v not in seen]:
                    hb['open'].pop(vm)['to'] = round(now, 3)  # deleted while missed


def summary(final):
    with lock:
        caps = {}
        for c, s in stats.items():
            caps[c] = dict(s, windows=[[round(a, 3), round(b, 3), n] for a, b, n in s['windows']],
                           errors=dict(sorted(s['errors'].items(), key=lambda kv: -kv[1])[:20]))
        out = {'front': FRONT, 'started': round(started, 3), 'ended': round(time.time(), 3) if final else None,
               'rate': A['rate'], 'duration': A['duration'], 'capabilities': caps,
               'heartbeats': {'vms': len(hb['vms']), 'missed': len(hb['misses']),
                              'vms_missed': len({m['vm'] for m in hb['misses']}),
                              'misses': hb['misses'][:500], 'unreachable': hb['unreachable'],
                              'monitor_stalls': {c: s for c, s in hb['stalls'].items() if s['count']}}}
    tmp = A['out'] + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(out, f, indent=1)
    os.replace(tmp, A['out'])
    return out


def main():
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(16)]
    for w in workers:
        w.start()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    interval = 1.0 / A['rate']
    end = started + A['duration']
    n = 0
    next_summary = started + 10
    saturated = 0
    while not stop.is_set() and time.time() < end:
        due = started + n * interval
        delay = due - time.time()
        if delay > 0 and stop.wait(delay):
            break
        cap = CAPS[n % len(CAPS)]
        n += 1
        try:
            work.put_nowait(cap)
        except queue.Full:  # the operations in flight are slow: the load stays bounded
            # not sent, so not a failure of the cloud: counted apart, with its time (a saturated
            # machine: the operations in flight wait on CPU, not on the cloud's answer)
            saturated += 1
            with lock:
                stats[cap]['not_issued'].append(round(time.time(), 3))
        if time.time() >= next_summary:
            next_summary += 10
            s = summary(False)
            sys.stderr.write('load: %4.0fs %s; heartbeats missed %d\n' % (
                time.time() - started,
                ' '.join('%s %d/%d' % (c, v['failed'], v['ok'] + v['failed']) for c, v in s['capabilities'].items()),
                s['heartbeats']['missed']))
    stop.set()
    for _ in workers:
        try:
            work.put(None, timeout=10)
        except queue.Full:
            break
    for w in workers:
        w.join(timeout=10)
    s = summary(True)
    sys.stderr.write('load: done, %d operations, summary in %s\n' % (n, A['out']))
    failed = sum(v['failed'] for v in s['capabilities'].values())
    sys.exit(1 if failed or s['heartbeats']['missed'] else 0)


if __name__ == '__main__':
    main()
