# Sourced by lib/host.sh when an API service starts or stops, and by a reboot: the host's API
# process (lib/services.py, one a controller host) follows the host's services' files.
#   DIR/hosts/NAME/api/pid        "PID STARTTIME" while it runs
#   DIR/hosts/NAME/api/request    the number of the latest change asked for (nanoseconds)
#   DIR/hosts/NAME/api/synced     the highest number it has carried out
#   DIR/hosts/NAME/api/listening  "SVC RELEASE PORT" lines
#   DIR/hosts/NAME/api/log        its errors
# Changes on one host are serialized by a lock (api/lock, flock(1)).

# api_alive: true when the host's API process runs (its PID with its start time); sets API_PID.
api_alive() {
  API_PID=
  [ -f "$HD/api/pid" ] || return 1
  _want=
  read -r API_PID _want 2>/dev/null <"$HD/api/pid" || return 1
  _st=
  read -r _st 2>/dev/null </proc/"$API_PID"/stat || return 1
  # shellcheck disable=SC2086 # the fields of /proc/PID/stat; field 22 is the start time
  set -- $_st
  [ "${22}" = "$_want" ]
}

# api_wanted: true when one of the host's API services runs (by its file).
api_wanted() {
  for _s in openstack-keystone openstack-glance-api openstack-glance-registry openstack-cinder-api \
    openstack-nova-api openstack-ceilometer-api httpd; do
    [ -f "$HD/services/$_s" ] || continue
    read -r _st _r <"$HD/services/$_s"
    [ "$_st" = running ] && return 0
  done
  return 1
}

# api_spawn [--after SECONDS]: starts the host's API process (setsid: it outlives the session that
# started it; its own stdio), unless it runs or nothing is to be served. Does not wait.
api_spawn() {
  mkdir -p "$HD/api"
  api_alive && return 0
  api_wanted || return 0
  setsid /usr/bin/python3 -I -S "$CLOUD_DIR/lib/services.py" "$CLOUD_DIR" "$HOST" "$@" \
    </dev/null >>"$HD/api/log" 2>&1 9>&- &
}

# api_sync: the host's API process takes the services' files in (started when needed); returns
# once its listeners match them (10 s at most).
api_sync() {
  mkdir -p "$HD/api"
  exec 9>>"$HD/api/lock"
  flock 9
  _n=$(date +%s%N)
  printf '%s\n' "$_n" >"$HD/api/request"
  if api_alive; then
    kill -HUP "$API_PID" 2>/dev/null
  elif api_wanted; then
    api_spawn
  else
    exec 9>&-
    return 0
  fi
  _tries=0
  while :; do
    _done=0
    [ -f "$HD/api/synced" ] && read -r _done <"$HD/api/synced"
    [ "${_done:-0}" -ge "$_n" ] && break
    _tries=$((_tries + 1))
    if [ "$_tries" -ge 400 ]; then
      echo "$CMD: the API process of $HOST did not take the change in within 10s (see $HD/api/log)" >&2
      break
    fi
    if [ $((_tries % 20)) -eq 0 ] && ! api_alive && api_wanted; then
      api_spawn # it ended before taking the change in (its last service stopped meanwhile)
    fi
    sleep 0.025
  done
  exec 9>&-
  return 0
}

# api_kill: ends the host's API process (a reboot), by its PID and start time.
api_kill() {
  api_alive || return 0
  kill -TERM "$API_PID" 2>/dev/null
  _tries=0
  while api_alive && [ "$_tries" -lt 100 ]; do
    sleep 0.02
    _tries=$((_tries + 1))
  done
  api_alive && kill -KILL "$API_PID" 2>/dev/null
  rm -f "$HD/api/pid"
  : >"$HD/api/listening"
  return 0
}
