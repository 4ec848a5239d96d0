#!/usr/bin/python3 -I -S
"""The cloud box's port broker: binds ports below 1024 (Horizon's 80) for the hosts' API
processes, which run as the unprivileged login user, and passes them the bound socket, as
systemd's socket activation does. One a box, root, started and stopped by lab/cloud/up and down.

    ports.py DIR SOCKET_OWNER_UID

Listens on DIR/run/ports.sock (the login user's). A request is one line "ADDRESS PORT"; the
answer is "ok" with the socket attached (SCM_RIGHTS), or "error: WHY". Only the box's own host
addresses (DIR/by-address/ADDRESS) and the ports in ALLOWED are bound."""

import os
import socket
import sys
import threading

ALLOWED = {80}
DIR, OWNER = sys.argv[1], int(sys.argv[2])
PATH = os.path.join(DIR, 'run', 'ports.sock')


def serve(conn):
    with conn:
        try:
            conn.settimeout(10)
            line = conn.recv(256).decode('ascii', 'replace').split()
            if len(line) != 2 or not line[1].isdigit():
                raise ValueError('a request is "ADDRESS PORT"')
            address, port = line[0], int(line[1])
            if port not in ALLOWED:
                raise ValueError('port %d is not one this broker binds' % port)
            if '/' in address or not os.path.isdir(os.path.join(DIR, 'by-address', address)):
                raise ValueError('%s is no host of this box' % address)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, port))
                socket.send_fds(conn, [b'ok\n'], [s.fileno()])
            finally:
                s.close()
        except (OSError, ValueError) as e:
            try:
                conn.sendall(('error: %s\n' % e).encode())
            except OSError:
                pass


def main():
    os.makedirs(os.path.dirname(PATH), exist_ok=True)
    try:
        os.unlink(PATH)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(PATH)
    os.chown(PATH, OWNER, -1)
    os.chmod(PATH, 0o600)
    srv.listen(64)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == '__main__':
    main()
