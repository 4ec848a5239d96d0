# Sourced by lib/host.sh when a database host's mysqld starts or stops (`service mysqld ...`, a
# reboot) and by lab/cloud/up: the host's real MariaDB server, one process a database host, run
# as the login user inside the host's namespaces so that it reads the host's own /etc/my.cnf
# (datadir /var/lib/mysql, socket /var/lib/mysql/mysql.sock, bind-address the host's address).
# An empty datadir is filled from the box's template (DIR/run/mysql-template, made once by up with
# mariadb-install-db). lab/cloud/down stops it with every process inside the hosts' namespaces.

MYSQLD_DATA=$HD/root/var/lib/mysql

# mysqld_alive: true when the host's server runs (the PID in its pid file is a mariadbd whose
# working directory is this host's datadir); sets MYSQLD_PID.
mysqld_alive() {
  MYSQLD_PID=
  read -r MYSQLD_PID 2>/dev/null <"$MYSQLD_DATA/mysqld.pid" || return 1
  _comm=
  read -r _comm 2>/dev/null </proc/"$MYSQLD_PID"/comm || return 1
  [ "$_comm" = mariadbd ] && [ "$(readlink /proc/"$MYSQLD_PID"/cwd 2>/dev/null)" = /var/lib/mysql ]
}

# mysqld_up: starts the server (setsid: it outlives the session) unless it runs, and returns once
# it accepts connections on its socket (30 s at most); fails with its log's last lines.
mysqld_up() {
  mysqld_alive && return 0
  if [ ! -d "$MYSQLD_DATA/mysql" ]; then
    cp -a "$CLOUD_DIR/run/mysql-template/." "$MYSQLD_DATA/" || return 1
  fi
  rm -f "$MYSQLD_DATA/mysqld.pid"
  (cd /var/lib/mysql && exec setsid /usr/sbin/mariadbd --defaults-file=/etc/my.cnf \
    </dev/null >>/var/log/mysqld.log 2>&1 9>&-) &
  _tries=0
  while [ "$_tries" -lt 300 ]; do
    # ping's status is 0 once the server answers, even with "Access denied"
    if mysqld_alive && mysqladmin --defaults-file=/etc/my.cnf -uroot --connect-timeout=1 ping \
      >/dev/null 2>&1 </dev/null; then
      return 0
    fi
    sleep 0.1
    _tries=$((_tries + 1))
  done
  echo "mysqld did not start: $(tail -n 3 /var/log/mysqld.log 2>/dev/null)" >&2
  return 1
}

# mysqld_down: stops the server (SIGTERM: a clean shutdown) and waits for it (30 s at most).
mysqld_down() {
  mysqld_alive || return 0
  kill -TERM "$MYSQLD_PID" 2>/dev/null
  _tries=0
  while [ "$_tries" -lt 300 ] && [ -d /proc/"$MYSQLD_PID" ]; do
    sleep 0.1
    _tries=$((_tries + 1))
  done
  [ ! -d /proc/"$MYSQLD_PID" ]
}
