# Shared by lab/cloud/up, down, selftest and measure (bash; sourced, not run). The hosts' side is
# lib/host.sh and lib/login.

CLOUD_USER=upshift-cloud             # the login user of every host: unprivileged, /bin/sh, no rc files
CLOUD_HOME=/var/lib/upshift-cloud    # its home: empty, root's (inside a host: the host's own)
CLOUD_PER_SSHD=16                    # addresses per sshd (sshd's MAX_LISTEN_SOCKS is 16)

cloud_say() { echo "cloud: $*" >&2; }
cloud_die() {
  echo "cloud: error: $*" >&2
  exit 1
}

# cloud_alive PID [STARTTIME]: true if PID runs (not a zombie) and, when given, started at STARTTIME
# (field 22 of /proc/PID/stat), so that a reused PID never counts.
cloud_alive() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a fields <<<"${stat##*) }"
  [ "${fields[0]}" != Z ] || return 1
  [ -z "${2:-}" ] || [ "${fields[19]}" = "$2" ]
}

# cloud_starttime PID: prints field 22 of /proc/PID/stat.
cloud_starttime() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# cloud_kill_wait SECONDS PID...: SIGTERM to each, waits until all are gone, SIGKILL after SECONDS.
cloud_kill_wait() {
  local wait=$1 pid left deadline
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + wait))
  while :; do
    left=()
    for pid in "$@"; do cloud_alive "$pid" && left+=("$pid"); done
    [ "${#left[@]}" -gt 0 ] || return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      cloud_say "${#left[@]} process(es) did not stop within ${wait}s after SIGTERM; killing them (${left[*]:0:10})"
      kill -KILL "${left[@]}" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
}

# cloud_children PID...: the PIDs whose parent is one of PID (from /proc/*/stat).
cloud_children() {
  local want=" $* "
  ls /proc | grep -E '^[0-9]+$' | awk -v want="$want" '{
    f = "/proc/" $1 "/stat"
    if ((getline line < f) > 0) {
      close(f); sub(/^.*\) /, "", line); split(line, a, " ")
      if (index(want, " " a[2] " ")) print $1
    }
  }'
}

# cloud_box_dir DIR: checks DIR is a box's state dir and prints its absolute path.
cloud_box_dir() {
  [ -n "$1" ] || cloud_die "which box? give its state dir (or set UPSHIFT_CLOUD)"
  [ -d "$1" ] || cloud_die "$1 does not exist (already down?)"
  [ -f "$1/box.env" ] || cloud_die "$1 is not a cloud box's state dir (no box.env); not touching it"
  (cd "$1" && pwd)
}

# cloud_alive_list: reads "PID STARTTIME" lines, prints the PIDs still running with that start
# time (one awk for thousands of processes).
cloud_alive_list() {
  awk '$1 ~ /^[0-9]+$/ {
    f = "/proc/" $1 "/stat"
    if ((getline line < f) > 0) {
      close(f); sub(/^.*\) /, "", line); split(line, a, " ")
      if (a[1] != "Z" && a[20] == $2) print $1
    }
  }'
}

# cloud_stop_list SECONDS NAME: reads "PID STARTTIME" lines; SIGTERM to those running, waits until
# they are gone, SIGKILL after SECONDS.
cloud_stop_list() {
  local wait=$1 name=$2 list pids deadline
  list=$(cat)
  pids=$(cloud_alive_list <<<"$list")
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  deadline=$((SECONDS + wait))
  while pids=$(cloud_alive_list <<<"$list") && [ -n "$pids" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      cloud_say "$(wc -w <<<"$pids") $name(s) still running ${wait}s after SIGTERM; killing them"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
}

# cloud_with_start PID...: "PID STARTTIME" lines for the running ones.
cloud_with_start() {
  printf '%s\n' "$@" | awk '{
    f = "/proc/" $1 "/stat"
    if ((getline line < f) > 0) { close(f); sub(/^.*\) /, "", line); split(line, a, " "); print $1, a[20] }
  }'
}

# cloud_logins DIR: per host address, the `Accepted publickey` lines in the box's sshd logs, joined
# to the address the connection arrived on (its `Connection from ... on ADDRESS` line) by the
# client's port, per log: "ADDRESS COUNT" lines. Connections that end before they log in leave a
# `Connection from` without an `Accepted`; such a port's queue then names a wrong address for a
# later login on it (rare: counts may then be off by one).
cloud_logins() {
  local f
  for f in "$1"/ssh/sshd-*.log; do
    # a client port can be in use towards two addresses of one sshd at once: a queue per port
    awk '/^Connection from / { q[$5] = q[$5] " " $7 }
      /^Accepted publickey/ { p = $8; if (q[p] != "") { split(q[p], w, " "); n[w[1]]++; sub(/^ [^ ]*/, "", q[p]) } }
      END { for (a in n) print a, n[a] }' "$f"
  done
}
