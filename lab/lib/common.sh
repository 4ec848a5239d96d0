# Shared by lab/up, lab/down, lab/selftest and labctl: the fixed layout and small functions.
# Sourced, not run.

LAB_FRONT=127.77.0.1     # HAProxy: frontend :8080, runtime API :9999
LAB_DB=127.77.0.2        # db-1: PostgreSQL :5432
LAB_SSH_PORT=2222
LAB_WEB_PORT=8080
LAB_PG_PORT=5432
LAB_API_PORT=9999
LAB_WEB_HOSTS=(web-1 web-2 web-3 web-4)
declare -A LAB_ADDRESS=(
  [db-1]=127.77.0.2
  [web-1]=127.77.0.11
  [web-2]=127.77.0.12
  [web-3]=127.77.0.13
  [web-4]=127.77.0.14
)
LAB_HOSTS=(db-1 web-1 web-2 web-3 web-4)

lab_say() { echo "lab: $*" >&2; }
lab_die() {
  echo "lab: error: $*" >&2
  exit 1
}

# lab_tcp_open ADDRESS PORT: true if something accepts connections there.
lab_tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# lab_wait_tcp ADDRESS PORT SECONDS: waits until something listens there.
lab_wait_tcp() {
  local deadline=$((SECONDS + $3))
  until lab_tcp_open "$1" "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# lab_spawn PIDFILE LOGFILE COMMAND...: starts COMMAND detached (setsid, no terminal, output
# to LOGFILE) and returns once its PID is in PIDFILE, written before it runs. On a busy machine
# the detached shell can take seconds to get there (more than the 2.5 s once allowed, which made
# `labctl start` fail under load), so the wait is generous: LAB_SPAWN_TIMEOUT seconds (60). Past it, it kills the launcher (which would
# otherwise run on untracked) and fails saying why.
lab_spawn() {
  local pidfile=$1 log=$2 launcher deadline limit=${LAB_SPAWN_TIMEOUT:-60}
  shift 2
  rm -f "$pidfile" # a PID left by an earlier process must not pass for the new one
  # The inner shell writes its own PID, then becomes the command (exec keeps the PID).
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$log" 2>&1 </dev/null &
  launcher=$!
  deadline=$((SECONDS + limit))
  until [ -s "$pidfile" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -KILL "$launcher" 2>/dev/null || true
      lab_die "could not start $1: no PID in $pidfile after ${limit} s (is the machine overloaded? LAB_SPAWN_TIMEOUT sets the wait)"
    fi
    sleep 0.05
  done
}

# lab_alive PID: true if PID is a running process (a zombie, exited but not yet reaped by its
# parent, counts as gone).
lab_alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)
  [ "$state" != Z ] && [ -n "$state" ]
}

# lab_pid_alive PIDFILE: true if the PID in PIDFILE is a running process.
lab_pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n 1 "$1" | tr -dc 0-9)
  [ -n "$pid" ] && lab_alive "$pid"
}

# lab_stop_pid PIDFILE NAME [SIGNAL] [SECONDS]: sends SIGNAL (TERM) to the PID in PIDFILE and
# waits until it is gone; SIGKILL after SECONDS (30). Quiet and successful if it is not running.
lab_stop_pid() {
  local pidfile=$1 name=$2 sig=${3:-TERM} wait=${4:-30} pid deadline
  [ -s "$pidfile" ] || return 0
  pid=$(head -n 1 "$pidfile" | tr -dc 0-9)
  if [ -n "$pid" ] && lab_alive "$pid"; then
    kill "-$sig" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + wait))
    while lab_alive "$pid"; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        lab_say "$name (pid $pid) did not stop within ${wait}s after SIG$sig; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        # gone (its ports free) before the caller goes on, e.g. to start its successor
        deadline=$((SECONDS + 30))
        while lab_alive "$pid"; do
          if [ "$SECONDS" -ge "$deadline" ]; then
            lab_say "$name (pid $pid) still runs 30s after SIGKILL"
            return 1
          fi
          sleep 0.05
        done
        break
      fi
      sleep 0.05
    done
  fi
  [ -z "${LAB_VERBOSE:-}" ] || lab_say "$name stopped ($(date -u +%T.%N))"
  rm -f "$pidfile"
}

# lab_api COMMAND: sends one command to HAProxy's runtime API and prints the answer.
lab_api() {
  local answer
  exec 7<>"/dev/tcp/$LAB_FRONT/$LAB_API_PORT" || lab_die "HAProxy's runtime API does not answer on $LAB_FRONT:$LAB_API_PORT"
  printf '%s\n' "$1" >&7
  answer=$(cat <&7)
  exec 7<&-
  printf '%s\n' "$answer"
}

# lab_server_field SERVER FIELD: one field of `show stat` for web/SERVER (scur, status, qcur...).
lab_server_field() {
  lab_api "show stat" | awk -F, -v srv="$1" -v field="$2" '
    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == "web" && $2 == srv { print $col[field] }'
}
