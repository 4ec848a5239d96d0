# Sourced by lab/cloud/up (bash) once the hosts and their sshds are up: the services users touch.
#   - the port broker (lib/ports.py, root): Horizon's port 80 for the unprivileged API processes;
#   - each controller's API process (lib/services.py), started as a `service` command would start
#     it: as the login user, inside the host's namespaces (lib/services.sh);
#   - HAProxy (lib/haproxy.py writes its configuration) on the front address $base.255.1;
#   - one VM heartbeat process a cell (lib/heartbeat.py), 12 VMs a hypervisor.
# Every process's "PID STARTTIME" is in a file lab/cloud/down reads: DIR/run/*.run, *.pid and
# DIR/hosts/NAME/api/pid.
# Uses: $dir $cloud $uid $gid $base $CLOUD_USER (from up).

for tool in /usr/bin/python3 haproxy flock; do
  command -v "$tool" >/dev/null 2>&1 || cloud_die "$tool is missing (Debian packages: python3 haproxy util-linux)"
done
phase=$SECONDS
mkdir -p "$dir/run"
chown "$CLOUD_USER:$CLOUD_USER" "$dir/run"
chmod 0755 "$dir/run"
as_login=(setpriv --reuid="$uid" --regid="$gid" --clear-groups)

# the port broker
setsid /usr/bin/python3 -I -S "$dir/lib/ports.py" "$dir" "$uid" </dev/null >>"$dir/run/ports.log" 2>&1 &
echo "$! $(cloud_starttime $! || echo 0)" >"$dir/run/ports.run"

# HAProxy's configuration, the front and cells' addresses
/usr/bin/python3 -I -S "$dir/lib/haproxy.py" config "$dir" "$base" "$CLOUD_USER"
front=$(cat "$dir/cloud/front")
chown "$CLOUD_USER:$CLOUD_USER" "$dir/cloud/front" "$dir/cloud/cells"
haproxy -q -c -f "$dir/run/haproxy.cfg" || cloud_die "haproxy rejects its configuration ($dir/run/haproxy.cfg)"

for _ in $(seq 100); do [ -S "$dir/run/ports.sock" ] && break; sleep 0.05; done
[ -S "$dir/run/ports.sock" ] || cloud_die "the port broker did not start (see $dir/run/ports.log)"

# the databases: a real MariaDB on each database host (lib/mysql.sh), started inside the host as
# `service mysqld start` would, then given its users, databases and Grizzly data (mysql.init)
db_hosts=()
for hd in "$dir"/hosts/*; do
  [ -f "$hd/services/mysqld" ] && db_hosts+=("${hd##*/}")
done
if [ "${#db_hosts[@]}" -gt 0 ]; then
  for tool in /usr/sbin/mariadbd mariadb-install-db mysql mysqladmin; do
    command -v "$tool" >/dev/null 2>&1 || cloud_die "$tool is missing (Debian packages: mariadb-server mariadb-client)"
  done
  cloud_say "starting ${#db_hosts[@]} MariaDB servers (one a database host)"
  "${as_login[@]}" mariadb-install-db --no-defaults --datadir="$dir/run/mysql-template" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --innodb-log-file-size=4M --innodb-buffer-pool-size=8M >"$dir/run/mysql-template.log" 2>&1 ||
    cloud_die "mariadb-install-db failed (see $dir/run/mysql-template.log)"
  starters=()
  for h in "${db_hosts[@]}"; do
    read -r hp _ <"$dir/hosts/$h/ns"
    "${as_login[@]}" /usr/bin/nsenter -t "$hp" -U -m --preserve-credentials \
      env HD="$dir/hosts/$h" CLOUD_DIR="$dir" /bin/sh -c '. "$CLOUD_DIR/lib/mysql.sh"
        mysqld_up && mysql --defaults-file=/etc/my.cnf -uroot <"$HD/mysql.init" && rm -f "$HD/mysql.init"' \
      </dev/null >"$dir/run/mysql-$h.log" 2>&1 &
    starters+=($!)
  done
  for i in "${!starters[@]}"; do
    wait "${starters[$i]}" || cloud_die "the MariaDB of ${db_hosts[$i]} did not start: $(tail -n 3 "$dir/run/mysql-${db_hosts[$i]}.log")"
  done
fi

# the API processes, one a controller host that runs an API service
api_hosts=()
for hd in "$dir"/hosts/*; do
  for s in openstack-keystone openstack-glance-api openstack-cinder-api openstack-nova-api openstack-ceilometer-api httpd; do
    if [ -f "$hd/services/$s" ]; then
      api_hosts+=("${hd##*/}")
      break
    fi
  done
done
cloud_say "starting ${#api_hosts[@]} API processes, HAProxy on $front, $(wc -l <"$dir/cloud/cells") cells' VM heartbeats"
starters=()
for h in "${api_hosts[@]}"; do
  read -r hp _ <"$dir/hosts/$h/ns"
  "${as_login[@]}" /usr/bin/nsenter -t "$hp" -U -m --preserve-credentials \
    env HD="$dir/hosts/$h" HOST="$h" CLOUD_DIR="$dir" CMD=up \
    /bin/sh -c '. "$CLOUD_DIR/lib/services.sh"; api_sync' </dev/null &
  starters+=($!)
done

# the VMs' heartbeats, one process a cell, at the cell's address, port 8000
while read -r cell address; do
  setsid "${as_login[@]}" /usr/bin/python3 -I -S "$dir/lib/heartbeat.py" "$dir" "$cell" "$address" 8000 --seed 12 \
    </dev/null >>"$dir/run/heartbeat-$cell.log" 2>&1 &
done <"$dir/cloud/cells"

for p in "${starters[@]}"; do wait "$p" || cloud_die "an API process did not start"; done
missing=()
for h in "${api_hosts[@]}"; do
  [ -s "$dir/hosts/$h/api/listening" ] || missing+=("$h")
done
[ "${#missing[@]}" -eq 0 ] || cloud_die "no API listening on ${missing[*]} (see $dir/hosts/${missing[0]}/api/log)"

# HAProxy (it binds port 80 as root, then runs as the login user)
setsid haproxy -db -f "$dir/run/haproxy.cfg" </dev/null >>"$dir/run/haproxy.log" 2>&1 &
echo "$! $(cloud_starttime $! || echo 0)" >"$dir/run/haproxy.run"
for _ in $(seq 100); do
  /usr/bin/python3 -I -S "$dir/lib/haproxy.py" send "$front:9999" "show info" >/dev/null 2>&1 && break
  sleep 0.1
done
# Horizon's blue/green: the green servers start drained (the inventory's `states: {horizon: drained}`)
sed -n 's/.*{name: \([A-Za-z0-9._-]*\),.*states: {horizon: drained}.*/\1/p' "$dir/inventory.yaml" |
  while read -r h; do
    /usr/bin/python3 -I -S "$dir/lib/haproxy.py" send "$front:9999" "set server horizon/$h state drain" >/dev/null ||
      cloud_die "HAProxy did not drain horizon/$h"
  done

cells=$(wc -l <"$dir/cloud/cells")
for _ in $(seq 200); do
  [ "$(ls "$dir"/run/heartbeat-*.pid 2>/dev/null | wc -l)" -ge "$cells" ] && break
  sleep 0.1
done
[ "$(ls "$dir"/run/heartbeat-*.pid 2>/dev/null | wc -l)" -ge "$cells" ] ||
  cloud_die "not every cell's heartbeat process started (see $dir/run/heartbeat-*.log)"
cloud_say "services up in $((SECONDS - phase))s"
