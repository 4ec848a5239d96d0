"""A small HTTP/1.0 server and client on plain sockets, for the cloud box's services
(lib/services.py, lib/heartbeat.py). Python's http.server and urllib import the email and
http.client packages: about 8 MB more a process. One thread per connection; every answer closes
the connection (HAProxy and the clients open one per request)."""

import json
import socket
import threading

REASONS = {200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 300: 'Multiple Choices',
           400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
           405: 'Method Not Allowed', 409: 'Conflict', 500: 'Internal Server Error',
           503: 'Service Unavailable'}


class Request:
    __slots__ = ('method', 'path', 'query', 'headers', 'body')

    def __init__(self, method, path, query, headers, body):
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body

    def json(self):
        try:
            return json.loads(self.body or b'{}')
        except ValueError:
            return None


def _read_request(conn):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = conn.recv(8192)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    head, _, body = data.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    parts = lines[0].split()
    if len(parts) < 2:
        return None
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(':')
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get('content-length', '0') or 0)
    while len(body) < length:
        chunk = conn.recv(min(65536, length - len(body)))
        if not chunk:
            break
        body += chunk
    path, _, query = parts[1].partition('?')
    return Request(parts[0], path, query, headers, body)


def _answer(conn, status, body, ctype, server, extra):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        ctype = 'application/json'
    elif isinstance(body, str):
        body = body.encode()
    head = 'HTTP/1.0 %d %s\r\nServer: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n' % (
        status, REASONS.get(status, 'Status'), server, ctype, len(body))
    for k, v in (extra or {}).items():
        head += '%s: %s\r\n' % (k, v)
    conn.sendall(head.encode() + b'\r\n' + body)


class Listener:
    """Serves handler(request) -> (status, body[, headers]) on a bound socket until close()."""

    def __init__(self, sock, handler, server='cloud-box'):
        self.sock, self.handler, self.server = sock, handler, server
        self.closed = False
        sock.listen(128)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(30)
            req = _read_request(conn)
            if req is None:
                return
            try:
                out = self.handler(req)
            except Exception as e:  # the service's own bug shows as a 500, as a WSGI server does
                out = (500, {'error': {'code': 500, 'title': 'Internal Server Error',
                                       'message': 'An unexpected error prevented the server from '
                                                  'fulfilling your request. %r' % (e,)}})
            status, body = out[0], out[1]
            extra = out[2] if len(out) > 2 else None
            _answer(conn, status, body, 'text/html; charset=utf-8', self.server, extra)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        """Stops accepting and closes the listening socket: new connections are refused."""
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def bind(address, port, attempts=40):
    """A TCP socket bound to address:port (retried while a previous owner lets go of it)."""
    import time
    for i in range(attempts):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
            return s
        except OSError:
            s.close()
            if i == attempts - 1:
                raise
            time.sleep(0.05)


def request(address, port, method, path, body=None, headers=None, timeout=5.0):
    """One HTTP/1.0 exchange: (status, body bytes). Raises OSError when nothing answers."""
    payload = b''
    if body is not None:
        payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
    head = '%s %s HTTP/1.0\r\nHost: %s:%d\r\nContent-Length: %d\r\n' % (method, path, address, port, len(payload))
    for k, v in (headers or {}).items():
        head += '%s: %s\r\n' % (k, v)
    with socket.create_connection((address, port), timeout=timeout) as s:
        s.sendall(head.encode() + b'\r\n' + payload)
        data = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, rest = data.partition(b'\r\n\r\n')
    try:
        status = int(head.split(b' ', 2)[1])
    except (IndexError, ValueError):
        raise OSError('no HTTP answer from %s:%d' % (address, port))
    return status, rest
