#!/usr/bin/python3 -I -S
"""The OpenStack APIs of one controller host of the cloud box: one process a host, listening on
the host's own address on the ports of the API services its files say run
(DIR/hosts/NAME/services/SVC = "running RELEASE"), each answering as that release's code does.

    services.py DIR NAME [--after SECONDS]

Started by lib/services.sh (`service SVC start`, a reboot, lab/cloud/up) with setsid, as the login
user. On SIGHUP it reads the services' files again: it opens the listeners of the services that
run, closes those of the services that stopped, reopens those whose release changed (a restart
after an update), then writes DIR/hosts/NAME/api/synced (the highest request number it has
served, from api/request) and api/listening ("SVC RELEASE PORT" lines). When no API service runs
it exits. api/pid is "PID STARTTIME" (field 22 of /proc/PID/stat) while it runs.

Ports below 1024 (Horizon's 80) come from the box's port broker (lib/ports.py, root), as a socket
passed over DIR/run/ports.sock.

The data: tokens, images, volumes and instances live in the project's database as the host's
configuration names it (`connection = mysql://USER:PASSWORD@ADDRESS/DB`): the real MariaDB of the
database host at ADDRESS (lib/mysql.sh), reached with PyMySQL, a connection a request. A server
that does not answer gives the project's OperationalError."""

import json
import os
import signal
import socket
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.append('/usr/lib/python3/dist-packages')  # Debian's python3-pymysql (-S leaves it out)
import minihttp  # noqa: E402
import pymysql  # noqa: E402

APIS = {  # service -> its ports
    'openstack-keystone': (5000, 35357),
    'openstack-glance-api': (9292,),
    'openstack-glance-registry': (9191,),
    'openstack-cinder-api': (8776,),
    'openstack-nova-api': (8774,),
    'openstack-ceilometer-api': (8777,),
    'httpd': (80,),
}
USERS = {'admin': ('admin', 'admin'), 'demo': ('demo', 'demo')}  # name -> (password, project)

DIR, HOST = sys.argv[1], sys.argv[2]
HD = os.path.join(DIR, 'hosts', HOST)
API = os.path.join(HD, 'api')
ADDRESS = open(os.path.join(HD, 'address')).read().strip()


def read(path, default=''):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def write(path, text):
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def svc_state(hd, svc):
    """('running', RELEASE) or ('stopped', None)."""
    parts = read(os.path.join(hd, 'services', svc)).split()
    if parts and parts[0] == 'running':
        return 'running', (parts[1] if len(parts) > 1 else '')
    return 'stopped', None


def running_somewhere(svc):
    """True when some host of the cloud runs svc (DIR/cloud/hosts-with/SVC)."""
    for h in read(os.path.join(DIR, 'cloud', 'hosts-with', svc)).split():
        if svc_state(os.path.join(DIR, 'hosts', h), svc)[0] == 'running':
            return True
    return False


def front():
    return read(os.path.join(DIR, 'cloud', 'front')).strip() or '127.0.0.1'


# --- the databases (see the module's doc) ---------------------------------------------------------

class DbError(Exception):
    pass


def db_url(project):
    """(user, password, address, database) from this host's configuration of the project."""
    conf = os.path.join(HD, 'etc', 'glance', 'glance-api.conf') if project == 'glance' else \
        os.path.join(HD, 'etc', project, project + '.conf')
    url = ''
    for line in read(conf).splitlines():
        k, _, v = line.partition('=')
        if k.strip() in ('connection', 'sql_connection'):
            url = v.strip()
    if not url:
        raise DbError('no database connection in %s' % conf)
    rest = url.split('://', 1)[-1]
    cred, _, rest = rest.rpartition('@')
    user, _, password = cred.partition(':')
    addr, _, name = rest.partition('/')
    return user, password, addr, name


def sql(project, statement, args=()):
    """Runs one statement in the project's database; its rows (a tuple of tuples)."""
    user, password, addr, name = db_url(project)
    try:
        conn = pymysql.connect(host=addr, port=3306, user=user, password=password, database=name,
                               connect_timeout=5, read_timeout=10, write_timeout=10, autocommit=True)
    except pymysql.MySQLError as e:
        raise DbError('(OperationalError) %s' % (e,))
    try:
        with conn.cursor() as cur:
            cur.execute(statement, args)
            return cur.fetchall()
    except pymysql.MySQLError as e:
        raise DbError('(%s) %s' % (type(e).__name__, e))
    finally:
        conn.close()


class Table:
    """A hypervisor's own file of lines of fields (its VMs, as libvirt knows them); writes replace
    the file whole, under a lock file."""

    def __init__(self, d, name):
        self.path = os.path.join(d, name)
        self.lock = os.path.join(d, '.' + name + '.lock')

    def rows(self):
        return [line.split() for line in read(self.path).splitlines() if line.strip()]

    def change(self, fn):
        import fcntl
        with open(self.lock, 'a') as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            rows = fn(self.rows())
            write(self.path, ''.join(' '.join(r) + '\n' for r in rows))


def db_error(e):
    return 500, {'error': {'code': 500, 'title': 'Internal Server Error', 'message': str(e)}}


# --- Keystone -------------------------------------------------------------------------------------
# Grizzly stores a token as {"token": {...}}; Havana stores the v3 token data, {"token_data":
# {"token": {...}}, "token_version": "v3.0"}, and reads both. Grizzly's code reading a token a
# Havana server issued fails with KeyError 'token': the CERN story's mixed endpoint.

def keystone(release, admin):
    def versions(req):
        v2 = {'id': 'v2.0', 'status': 'stable', 'updated': '2013-03-06T00:00:00Z'}
        v3 = {'id': 'v3.0', 'status': 'stable', 'updated': '2013-03-06T00:00:00Z'}
        return {'versions': {'values': [v3, v2]}}

    def issue(req):
        body = req.json() or {}
        creds = body.get('auth', {}).get('passwordCredentials', {})
        user = creds.get('username', '')
        if user not in USERS or USERS[user][0] != creds.get('password'):
            return 401, {'error': {'code': 401, 'title': 'Unauthorized', 'message': 'Invalid user / password'}}
        tid = uuid.uuid4().hex
        expires = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() + 86400))
        token = {'id': tid, 'expires': expires, 'tenant': {'id': USERS[user][1], 'name': USERS[user][1]}}
        who = {'id': user, 'name': user, 'roles': [{'name': 'admin' if user == 'admin' else 'Member'}]}
        if release == 'havana':
            data = {'token_data': {'token': dict(token, user=who, methods=['password'])}, 'token_version': 'v3.0'}
        else:
            data = {'token': token, 'user': who}
        try:
            if release == 'havana':  # Havana's token table has trust_id (its migration adds it)
                sql('keystone', 'INSERT INTO token (id, expires, extra, valid, user_id, trust_id) '
                    'VALUES (%s, UTC_TIMESTAMP() + INTERVAL 1 DAY, %s, 1, %s, NULL)', (tid, json.dumps(data), user))
            else:
                sql('keystone', 'INSERT INTO token (id, expires, extra, valid, user_id) '
                    'VALUES (%s, UTC_TIMESTAMP() + INTERVAL 1 DAY, %s, 1, %s)', (tid, json.dumps(data), user))
        except DbError as e:
            return db_error(e)
        return 200, {'access': {'token': token, 'user': who, 'serviceCatalog': []}}

    def validate(tid):
        if not tid.isalnum():
            return 404, {'error': {'code': 404, 'title': 'Not Found', 'message': 'Could not find token'}}
        try:
            rows = sql('keystone', 'SELECT extra FROM token WHERE id = %s AND valid = 1 AND expires > UTC_TIMESTAMP()', (tid,))
        except DbError as e:
            return db_error(e)
        raw = rows[0][0] if rows else ''
        if not raw:
            return 404, {'error': {'code': 404, 'title': 'Not Found', 'message': 'Could not find token, %s.' % tid}}
        data = json.loads(raw)
        if release == 'havana':
            token = data['token_data']['token'] if 'token_data' in data else dict(data['token'], user=data['user'])
            user = token['user']
        else:
            token = data['token']  # KeyError: 'token' on a Havana token
            user = data['user']
        return 200, {'access': {'token': {'id': token['id'], 'expires': token['expires'], 'tenant': token['tenant']},
                                'user': user}}

    def handle(req):
        p = req.path.rstrip('/')
        if p == '/healthcheck':
            return 200, 'OK'
        if p == '':
            return 300, versions(req)
        if p == '/v2.0':
            return 200, {'version': {'id': 'v2.0', 'status': 'stable'}}
        if p == '/v3':
            return 200, {'version': {'id': 'v3.0', 'status': 'stable'}}
        if p == '/v2.0/tokens' and req.method == 'POST':
            return issue(req)
        if p.startswith('/v2.0/tokens/') and req.method == 'GET':
            return validate(p[len('/v2.0/tokens/'):])
        if p == '/v3/auth/tokens' and req.method == 'GET':
            return validate(req.headers.get('x-subject-token', ''))
        return 404, {'error': {'code': 404, 'title': 'Not Found', 'message': 'The resource could not be found.'}}
    return handle


# --- token checks by the other APIs (keystoneclient's auth_token middleware, through HAProxy) ------

_tokens = {}
_tokens_lock = threading.Lock()


def authenticate(req):
    """The token's (user, project), or an error answer (status, body)."""
    tid = req.headers.get('x-auth-token', '')
    if not tid:
        return None, (401, {'error': {'code': 401, 'message': 'Authentication required'}})
    now = time.time()
    with _tokens_lock:
        hit = _tokens.get(tid)
    if hit and hit[0] > now:
        return hit[1], None
    try:
        status, body = minihttp.request(front(), 35357, 'GET', '/v2.0/tokens/' + tid, timeout=5)
    except OSError as e:
        return None, (503, {'error': {'code': 503, 'message': 'Unable to communicate with identity service: %s' % e}})
    if status == 404:
        return None, (401, {'error': {'code': 401, 'message': 'Authentication required'}})
    if status != 200:
        return None, (503, {'error': {'code': 503, 'message': 'identity service answered %d: %s'
                                      % (status, body[:200].decode('latin-1'))}})
    access = json.loads(body)['access']
    who = (access['user']['name'], access['token']['tenant']['id'])
    with _tokens_lock:
        _tokens[tid] = (now + 5, who)  # the middleware's token cache (5 min at CERN, /60)
    return who, None


def authed(fn):
    def handle(req):
        p = req.path.rstrip('/')
        if p == '/healthcheck':
            return 200, 'OK'
        return fn(req, p)
    return handle


# --- Glance ---------------------------------------------------------------------------------------
# Havana's code asks policy.json for `context_is_admin`; the site's Grizzly policy.json (rpm keeps
# it, the new one goes to policy.json.rpmnew) has none, so every user counts as admin and sees
# every private image: the story's leak.

def glance(release):
    @authed
    def handle(req, p):
        if p in ('', '/versions'):
            return 300, {'versions': [{'id': 'v2.0', 'status': 'CURRENT'}, {'id': 'v1.1', 'status': 'SUPPORTED'}]}
        if p not in ('/v1/images', '/v1/images/detail', '/v2/images'):
            return 404, {'error': 'Not Found'}
        who, err = authenticate(req)
        if err:
            return err
        if svc_state(HD, 'openstack-glance-registry')[0] != 'running':
            return 500, {'error': 'Unable to communicate with the registry: [Errno 111] Connection refused'}
        try:
            images = sql('glance', "SELECT id, name, owner, IF(is_public, 'public', 'private'), size "
                         'FROM images WHERE deleted = 0 ORDER BY created_at, name')
        except DbError as e:
            return db_error(e)
        admin = who[0] == 'admin'
        if release == 'havana' and '"context_is_admin"' not in read(os.path.join(HD, 'etc', 'glance', 'policy.json')):
            admin = True
        out = [{'id': i, 'name': n, 'owner': o, 'visibility': v, 'size': int(s), 'status': 'active'}
               for i, n, o, v, s in images if admin or v == 'public' or o == who[1]]
        return 200, {'images': out}
    return handle


def glance_registry(release):
    @authed
    def handle(req, p):
        return 404, {'error': 'Not Found'}
    return handle


# --- Cinder ---------------------------------------------------------------------------------------
# volumes: the cinder database's `volumes` table. A volume is created when a scheduler and a volume
# service run somewhere, else it ends in `error`.

def cinder(release):
    @authed
    def handle(req, p):
        if p == '':
            return 300, {'versions': [{'id': 'v1.0', 'status': 'CURRENT'}, {'id': 'v2.0', 'status': 'CURRENT'}]}
        parts = p.strip('/').split('/')
        if len(parts) < 3 or parts[0] not in ('v1', 'v2') or parts[2] != 'volumes':
            return 404, {'error': 'Not Found'}
        who, err = authenticate(req)
        if err:
            return err
        columns = 'SELECT id, status, display_name, size FROM volumes WHERE deleted = 0'

        def view(r):
            return {'id': r[0], 'status': r[1], 'display_name': r[2], 'size': int(r[3])}
        try:
            if len(parts) == 3 and req.method == 'GET':
                return 200, {'volumes': [view(r) for r in sql('cinder', columns)]}
            if len(parts) == 3 and req.method == 'POST':
                body = (req.json() or {}).get('volume', {})
                ok = running_somewhere('openstack-cinder-scheduler') and running_somewhere('openstack-cinder-volume')
                row = (str(uuid.uuid4()), 'available' if ok else 'error',
                       ''.join(c for c in str(body.get('display_name', 'volume')) if c.isalnum() or c in '-_.') or 'volume',
                       int(body.get('size', 1)))
                sql('cinder', 'INSERT INTO volumes (id, status, display_name, size, volume_type_id, created_at) '
                    "VALUES (%s, %s, %s, %s, 'standard', UTC_TIMESTAMP())", row)
                return 200, {'volume': view(row)}
            if len(parts) == 4:
                vid = parts[3]
                found = sql('cinder', columns + ' AND id = %s', (vid,))
                if not found:
                    return 404, {'itemNotFound': {'code': 404, 'message': 'Volume %s could not be found.' % vid}}
                if req.method == 'GET':
                    return 200, {'volume': view(found[0])}
                if req.method == 'DELETE':
                    if found[0][1] == 'in-use':
                        return 400, {'badRequest': {'code': 400, 'message': 'Volume status must be available or error'}}
                    if running_somewhere('openstack-cinder-volume'):
                        sql('cinder', 'DELETE FROM volumes WHERE id = %s', (vid,))
                    else:
                        sql('cinder', "UPDATE volumes SET status = 'error_deleting' WHERE id = %s", (vid,))
                    return 202, ''
        except DbError as e:
            return db_error(e)
        return 405, {'error': 'Method Not Allowed'}
    return handle


# --- Nova -----------------------------------------------------------------------------------------
# A VM is a line "ID BOOT_ID OWNER" in its hypervisor's DIR/hosts/NAME/vms: alive while the
# hypervisor's boot id is the one it started under (lib/heartbeat.py shows it from outside).
# Booting one needs the top cell's nova-cells and RabbitMQ, then a child cell whose RabbitMQ and a
# controller with nova-cells, nova-conductor and nova-scheduler run, and a hypervisor of that cell
# with nova-compute and libvirtd running.

_cells = None
_next_cell = [0]
RANK = {'grizzly': 1, 'havana': 2}
RPC = {'grizzly': '1.44', 'havana': '1.58'}  # the conductor API version each release's compute asks for


def cells():
    global _cells
    if _cells is None:
        by = {}
        for h in read(os.path.join(DIR, 'cloud', 'hosts-with', 'openstack-nova-compute')).split():
            by.setdefault(read(os.path.join(DIR, 'hosts', h, 'cell')).strip(), []).append(h)
        _cells = sorted(by.items())
    return _cells


def place():
    """A hypervisor for a new VM, or (None, why)."""
    hosts = lambda svc: read(os.path.join(DIR, 'cloud', 'hosts-with', svc)).split()
    hd = lambda h: os.path.join(DIR, 'hosts', h)
    if svc_state(HD, 'openstack-nova-cells')[0] != 'running':
        return None, 'nova-cells is not running on the API controller'
    if not any(svc_state(hd(h), 'rabbitmq-server')[0] == 'running' and read(os.path.join(hd(h), 'cell')).strip() == 'top'
               for h in hosts('rabbitmq-server')):
        return None, 'AMQP server on rabbit-top is unreachable'
    cs = cells()
    for i in range(len(cs)):
        cell, hvs = cs[(_next_cell[0] + i) % len(cs)]
        ctl = [h for h in hosts('openstack-nova-conductor') if read(os.path.join(hd(h), 'cell')).strip() == cell]
        if not any(all(svc_state(hd(h), s)[0] == 'running' for s in
                       ('openstack-nova-cells', 'openstack-nova-conductor', 'openstack-nova-scheduler')) for h in ctl):
            continue
        if not any(svc_state(hd(h), 'rabbitmq-server')[0] == 'running' and read(os.path.join(hd(h), 'cell')).strip() == cell
                   for h in hosts('rabbitmq-server')):
            continue
        start = int(time.time() * 1000) % len(hvs)
        for j in range(len(hvs)):
            h = hvs[(start + j) % len(hvs)]
            if os.path.exists(os.path.join(hd(h), 'booting')):
                continue
            if svc_state(hd(h), 'openstack-nova-compute')[0] == 'running' and svc_state(hd(h), 'libvirtd')[0] == 'running':
                _next_cell[0] = (_next_cell[0] + i + 1) % len(cs)
                # the compute asks its cell's conductor for the instance with its release's RPC
                # version: a Havana compute against Grizzly conductors fails the boot
                code = svc_state(hd(h), 'openstack-nova-compute')[1]
                conductors = [svc_state(hd(c), 'openstack-nova-conductor')[1] for c in ctl
                              if svc_state(hd(c), 'openstack-nova-conductor')[0] == 'running']
                if RANK.get(code, 0) > max(RANK.get(r, 0) for r in conductors):
                    return None, ('RemoteError: Remote error: UnsupportedVersion Endpoint does not support RPC '
                                  'version %s (nova-compute %s on %s, nova-conductor %s in %s)'
                                  % (RPC.get(code, '?'), code, h, '/'.join(sorted(set(conductors))), cell))
                return h, None
    return None, 'No valid host was found.'


def nova(release):
    @authed
    def handle(req, p):
        if p == '':
            return 200, {'versions': [{'id': 'v2.0', 'status': 'CURRENT'}]}
        parts = p.strip('/').split('/')
        if len(parts) < 3 or parts[0] not in ('v2', 'v1.1') or parts[2] != 'servers':
            return 404, {'itemNotFound': {'code': 404, 'message': 'The resource could not be found.'}}
        who, err = authenticate(req)
        if err:
            return err
        try:
            if len(parts) == 3 and req.method == 'GET':
                mine = sql('nova', 'SELECT uuid FROM instances WHERE project_id = %s AND deleted = 0', (who[1],))
                return 200, {'servers': [{'id': r[0], 'name': r[0][:8]} for r in mine]}
            if len(parts) == 3 and req.method == 'POST':
                sql('nova', 'SELECT 1')  # the API's database answers before it schedules
                host, why = place()
                vid = str(uuid.uuid4())
                if host is None:
                    return 202, {'server': {'id': vid, 'status': 'ERROR', 'fault': {'message': why}}}
                hd = os.path.join(DIR, 'hosts', host)
                boot = read(os.path.join(hd, 'boot_id')).strip()
                sql('nova', "INSERT INTO instances (uuid, project_id, host, vm_state, created_at) "
                    "VALUES (%s, %s, %s, 'active', UTC_TIMESTAMP())", (vid, who[1], host))
                Table(hd, 'vms').change(lambda rows: rows + [[vid, boot, who[1]]])
                return 202, {'server': {'id': vid, 'status': 'ACTIVE', 'OS-EXT-SRV-ATTR:host': host}}
            if len(parts) == 4:
                vid = parts[3]
                found = sql('nova', 'SELECT host FROM instances WHERE uuid = %s AND project_id = %s AND deleted = 0',
                            (vid, who[1]))
                if not found:
                    return 404, {'itemNotFound': {'code': 404, 'message': 'Instance %s could not be found.' % vid}}
                host = found[0][0]
                hd = os.path.join(DIR, 'hosts', host)
                if req.method == 'GET':
                    alive = any(r[0] == vid and r[1] == read(os.path.join(hd, 'boot_id')).strip()
                                for r in Table(hd, 'vms').rows())
                    return 200, {'server': {'id': vid, 'status': 'ACTIVE' if alive else 'SHUTOFF',
                                            'OS-EXT-SRV-ATTR:host': host}}
                if req.method == 'DELETE':
                    if svc_state(hd, 'openstack-nova-compute')[0] != 'running':
                        return 409, {'conflictingRequest': {'code': 409, 'message': 'nova-compute on %s is down' % host}}
                    Table(hd, 'vms').change(lambda rows: [r for r in rows if r[0] != vid])
                    sql('nova', 'UPDATE instances SET deleted = 1 WHERE uuid = %s', (vid,))
                    return 204, ''
        except DbError as e:
            return db_error(e)
        return 405, {'error': 'Method Not Allowed'}
    return handle


# --- Ceilometer, Horizon --------------------------------------------------------------------------

def ceilometer(release):
    @authed
    def handle(req, p):
        if p == '':
            return 200, {'versions': {'values': [{'id': 'v2', 'status': 'stable'}]}}
        if p == '/v2/meters':
            who, err = authenticate(req)
            return err or (200, [])
        return 404, {'error_message': 'Not Found'}
    return handle


def horizon(release):
    page = ('<!DOCTYPE html><html><head><title>Login - OpenStack Dashboard</title></head><body>'
            '<form action="/dashboard/auth/login/" method="POST"><input name="username">'
            '<input name="password" type="password"></form><!-- %s %s --></body></html>\n' % (HOST, release))

    def handle(req):
        p = req.path
        if p == '/healthcheck':
            return 200, 'OK'
        if p in ('/dashboard/auth/login/', '/dashboard/auth/login'):
            return 200, page
        if p in ('/', '/dashboard', '/dashboard/'):
            return 302, '', {'Location': '/dashboard/auth/login/'}
        return 404, '<h1>Not Found</h1>'
    return handle


def handler_for(svc, port, release):
    return {
        'openstack-keystone': lambda: keystone(release, port == 35357),
        'openstack-glance-api': lambda: glance(release),
        'openstack-glance-registry': lambda: glance_registry(release),
        'openstack-cinder-api': lambda: cinder(release),
        'openstack-nova-api': lambda: nova(release),
        'openstack-ceilometer-api': lambda: ceilometer(release),
        'httpd': lambda: horizon(release),
    }[svc]()


SERVERS = {'openstack-keystone': 'keystone', 'httpd': 'Apache/2.2.15 (Scientific Linux)'}


# --- the process ----------------------------------------------------------------------------------

def privileged_socket(port):
    """A socket bound to ADDRESS:port below 1024, from the box's port broker (lib/ports.py)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(os.path.join(DIR, 'run', 'ports.sock'))
        s.sendall(('%s %d\n' % (ADDRESS, port)).encode())
        msg, fds, _, _ = socket.recv_fds(s, 1024, 1)
        if not fds:
            raise OSError('port broker: %s' % msg.decode(errors='replace').strip())
        return socket.socket(fileno=fds[0])


listeners = {}  # port -> (svc, release, Listener)
wake = threading.Event()
stopping = [False]


def sync():
    want = {}
    for svc, ports in APIS.items():
        state, release = svc_state(HD, svc)
        if state == 'running':
            for port in ports:
                want[port] = (svc, release)
    for port in list(listeners):
        svc, release, lst = listeners[port]
        if want.get(port) != (svc, release):
            lst.close()
            del listeners[port]
    for port, (svc, release) in want.items():
        if port in listeners:
            continue
        try:
            sock = privileged_socket(port) if port < 1024 else minihttp.bind(ADDRESS, port)
            listeners[port] = (svc, release, minihttp.Listener(sock, handler_for(svc, port, release),
                                                               SERVERS.get(svc, 'cloud-box')))
        except OSError as e:
            print('%s: %s cannot listen on %s:%d: %s' % (time.strftime('%FT%TZ', time.gmtime()), svc, ADDRESS, port, e),
                  file=sys.stderr, flush=True)
    write(os.path.join(API, 'listening'), ''.join('%s %s %d\n' % (s, r, p) for p, (s, r, _) in sorted(listeners.items())))
    return bool(want)


def main():
    after = 0.0
    if '--after' in sys.argv:
        after = float(sys.argv[sys.argv.index('--after') + 1])
    os.makedirs(API, exist_ok=True)
    with open('/proc/self/stat') as f:
        start = f.read().rsplit(')', 1)[1].split()[19]
    write(os.path.join(API, 'pid'), '%d %s\n' % (os.getpid(), start))
    signal.signal(signal.SIGHUP, lambda *_: wake.set())

    def term(*_):
        stopping[0] = True
        wake.set()
    signal.signal(signal.SIGTERM, term)
    signal.signal(signal.SIGINT, term)
    if after > 0:
        time.sleep(after)
    served = 0
    while not stopping[0]:
        wake.clear()
        try:
            asked = int(read(os.path.join(API, 'request'), '0').strip() or 0)
        except ValueError:
            asked = 0
        busy = sync()
        served = max(served, asked)
        if not busy:  # nothing to serve: the process ends, as the last service's stop ends it
            os.unlink(os.path.join(API, 'pid'))
            write(os.path.join(API, 'synced'), '%d\n' % served)
            return
        write(os.path.join(API, 'synced'), '%d\n' % served)
        while not wake.wait(3600):
            pass
    for port in list(listeners):
        listeners.pop(port)[2].close()
    write(os.path.join(API, 'listening'), '')
    try:
        if read(os.path.join(API, 'pid')).split()[:1] == [str(os.getpid())]:
            os.unlink(os.path.join(API, 'pid'))
    except (OSError, IndexError):
        pass


if __name__ == '__main__':
    main()
