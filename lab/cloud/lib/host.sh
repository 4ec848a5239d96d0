# Sourced by every command of the cloud box (lab/cloud/bin/*), which run on a host over SSH.
# POSIX sh (dash), no forks on the common paths: a 2-core machine runs tens of thousands of these.
#
# A host knows who it is ONLY from the local address its SSH connection arrived on (the third
# field of $SSH_CONNECTION): that address names its folder, DIR/by-address/ADDRESS ->
# DIR/hosts/NAME, which holds its state as plain files (see lab/cloud/README.md).

set -u
CLOUD_DIR=${0%/*}
CLOUD_DIR=${CLOUD_DIR%/bin}
CMD=${0##*/}

# cloud_fail STATUS MESSAGE: the message on stderr, exit with STATUS.
cloud_fail() {
  _s=$1
  shift
  printf '%s\n' "$*" >&2
  exit "$_s"
}

_cloud_local_address() { CLOUD_ADDR=${3:-}; }
# shellcheck disable=SC2086 # split on purpose: client address, client port, local address, port
_cloud_local_address ${SSH_CONNECTION:-}
[ -n "$CLOUD_ADDR" ] || cloud_fail 2 "$CMD: not on a host of the cloud box (no SSH connection)"
HD=$CLOUD_DIR/by-address/$CLOUD_ADDR
[ -d "$HD" ] || cloud_fail 2 "$CMD: no host of the cloud box has the address $CLOUD_ADDR"
read -r HOST <"$HD/name"
read -r OS <"$HD/os"

# cloud_log TEXT: one line in the host's log (DIR/hosts/NAME/log).
cloud_log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$CMD" "$*" >>"$HD/log"
}

# cloud_only OS: commands of one OS only; elsewhere they do not exist, as on a real host.
cloud_only() {
  [ "$OS" = "$1" ] || cloud_fail 127 "sh: 1: $CMD: not found"
}

# cloud_setting NAME DEFAULT: sets $SETTING from DIR/cloud/settings (lines NAME VALUE).
cloud_setting() {
  SETTING=$2
  while read -r _k _v; do
    [ "$_k" = "$1" ] && SETTING=$_v
  done <"$CLOUD_DIR/cloud/settings"
}

# rank_of RELEASE: sets $RANK (0 for an unknown release).
rank_of() {
  case $1 in
    grizzly) RANK=1 ;;
    havana) RANK=2 ;;
    *) RANK=0 ;;
  esac
}

# --- packages: DIR/hosts/NAME/packages/PKG = "VERSION ARCH RELEASE REPOSITORY" --------------------

# pkg_read NAME: sets PKG_VERSION PKG_ARCH PKG_RELEASE PKG_REPO; false when not installed.
pkg_read() {
  [ -f "$HD/packages/$1" ] || return 1
  read -r PKG_VERSION PKG_ARCH PKG_RELEASE PKG_REPO <"$HD/packages/$1"
}

# pkg_best NAME: the newest build of NAME in the host's enabled repositories; sets BEST_VERSION
# BEST_ARCH BEST_RELEASE BEST_REPO; false when none has it.
pkg_best() {
  BEST_REPO=
  _best=0
  for _r in "$HD"/repos/*; do
    [ -f "$_r" ] || continue
    read -r _on <"$_r"
    [ "$_on" = 1 ] || continue
    _id=${_r##*/}
    [ -f "$CLOUD_DIR/repos/$_id/$1" ] || continue
    read -r _v _a _rel <"$CLOUD_DIR/repos/$_id/$1"
    rank_of "$_rel"
    if [ "$RANK" -gt "$_best" ]; then
      _best=$RANK BEST_VERSION=$_v BEST_ARCH=$_a BEST_RELEASE=$_rel BEST_REPO=$_id
    fi
  done
  [ -n "$BEST_REPO" ]
}

# pkg_install NAME: installs the best build (pkg_best must have succeeded).
pkg_install() {
  printf '%s %s %s %s\n' "$BEST_VERSION" "$BEST_ARCH" "$BEST_RELEASE" "$BEST_REPO" >"$HD/packages/$1"
}

# project_release PROJECT: sets $PROJECT_RELEASE, the newest release of the project's code on this
# host (openstack-PROJECT, openstack-PROJECT-*, python-PROJECT); empty when it has none.
project_release() {
  PROJECT_RELEASE=
  _best=0
  for _f in "$HD/packages/openstack-$1" "$HD/packages/openstack-$1"-* "$HD/packages/python-$1"; do
    [ -f "$_f" ] || continue
    read -r _v _a _rel _repo <"$_f"
    rank_of "$_rel"
    [ "$RANK" -gt "$_best" ] && _best=$RANK PROJECT_RELEASE=$_rel
  done
  [ -n "$PROJECT_RELEASE" ]
}

# --- databases -----------------------------------------------------------------------------------
# A project's database is found from this host's configuration file (its
# `connection = mysql://USER:PASSWORD@ADDRESS/DB`), and lives in the real MariaDB of the database
# host at ADDRESS (lib/mysql.sh starts it), reached over TCP with the mysql client: its errors are
# the server's own. A project's schema is migrate_version's version; a release's migration is
# lib/sql/PROJECT.RELEASE.sql.

# conf_of PROJECT [HOSTDIR]: sets $CONF, the project's configuration file on this host (or on the
# host of HOSTDIR: an API server answering this host's client).
conf_of() {
  case $1 in
    glance) CONF=${2:-$HD}/etc/glance/glance-api.conf ;;
    *) CONF=${2:-$HD}/etc/$1/$1.conf ;;
  esac
}

# db_connect PROJECT [HOSTDIR]: sets DB_ADDR DB_NAME DB_USER DB_PW from the configuration of this
# host (or of HOSTDIR's); fails like the project's code would when it has no configuration.
db_connect() {
  conf_of "$1" "${2:-$HD}"
  [ -f "$CONF" ] || cloud_fail 1 "$CMD: ${CONF#"${2:-$HD}"}: no such file (is $1 installed and configured there?)"
  _url=
  while IFS=' =' read -r _k _v; do
    case $_k in connection | sql_connection) _url=$_v ;; esac
  done <"$CONF"
  [ -n "$_url" ] || cloud_fail 1 "$CMD: no database connection in $CONF"
  _url=${_url#*://}
  _cred=${_url%%@*}
  DB_USER=${_cred%%:*}
  DB_PW=${_cred#*:}
  _url=${_url#*@}
  DB_ADDR=${_url%%/*}
  DB_NAME=${_url#*/}
}

TAB=$(printf '\t')

# db_sql SQL: runs SQL in the project's database (after db_connect) and prints the rows, fields
# separated by tabs; fails with the server's error (status 1) as the project's code would.
db_sql() {
  if ! _rows=$(MYSQL_PWD=$DB_PW mysql --protocol=TCP --connect-timeout=5 -h "$DB_ADDR" -u "$DB_USER" \
    --batch --skip-column-names "$DB_NAME" -e "$1" 2>&1 </dev/null); then
    cloud_fail 1 "OperationalError: (OperationalError) $_rows"
  fi
  [ -z "$_rows" ] || printf '%s\n' "$_rows"
}

# db_schema: sets DB_SCHEMA, the database's migration version (after db_connect).
db_schema() {
  DB_SCHEMA=$(db_sql "SELECT version FROM migrate_version WHERE repository_id = '$DB_NAME'") || exit 1
  [ -n "$DB_SCHEMA" ] || cloud_fail 1 "$CMD: $DB_NAME on $DB_ADDR is not under version control"
}

# schema_of PROJECT RELEASE: sets $SCHEMA, the migration version that release's code brings.
schema_of() {
  SCHEMA=
  [ -f "$CLOUD_DIR/catalog/schema/$1.$2" ] && read -r SCHEMA <"$CLOUD_DIR/catalog/schema/$1.$2"
  [ -n "$SCHEMA" ]
}

# --- services: DIR/hosts/NAME/services/SVC = "running RELEASE" | "stopped"; enabled/SVC if on at boot

# svc_known NAME: false when the host has no such service.
svc_known() {
  [ -f "$HD/services/$1" ]
}

# svc_state NAME: sets SVC_STATE (running|stopped) and SVC_RELEASE (the code it runs).
svc_state() {
  SVC_RELEASE=
  read -r SVC_STATE SVC_RELEASE <"$HD/services/$1"
}

# svc_start NAME: starts it with the installed code; fails (status 1, reason on stderr) when its
# package is gone or its code is newer than its database's schema.
svc_start() {
  read -r _pkg _db <"$CLOUD_DIR/catalog/svc/$1"
  pkg_read "$_pkg" || {
    echo "$1: not installed ($_pkg)" >&2
    return 1
  }
  if [ "$_db" != - ]; then
    ( # the project's code checks its database's schema as it starts
      db_connect "$_db" 2>&1
      db_schema 2>&1
      schema_of "$_db" "$PKG_RELEASE"
      if [ "$SCHEMA" -gt "$DB_SCHEMA" ]; then
        echo "$1: the $_db database is at schema $DB_SCHEMA, older than the code ($PKG_RELEASE, $SCHEMA): run the db sync first"
        exit 1
      fi
    ) >"$HD/.start.err" || {
      cat "$HD/.start.err" >&2
      cloud_log "start $1 failed: $(cat "$HD/.start.err")"
      printf 'stopped\n' >"$HD/services/$1"
      api_hook "$1"
      return 1
    }
  fi
  if [ "$1" = mysqld ]; then
    . "$CLOUD_DIR/lib/mysql.sh"
    mysqld_up || {
      printf 'stopped\n' >"$HD/services/$1"
      return 1
    }
  fi
  printf 'running %s\n' "$PKG_RELEASE" >"$HD/services/$1"
  api_hook "$1"
}

svc_stop() {
  if [ "$1" = mysqld ]; then
    . "$CLOUD_DIR/lib/mysql.sh"
    mysqld_down
  fi
  printf 'stopped\n' >"$HD/services/$1"
  api_hook "$1"
}

# api_hook SVC: an API service's listener follows its file (lib/services.sh); not during a reboot.
API_DEFER=
api_hook() {
  case $1 in
    openstack-keystone | openstack-glance-api | openstack-glance-registry | openstack-cinder-api | \
      openstack-nova-api | openstack-ceilometer-api | httpd)
      [ -n "$API_DEFER" ] && return 0
      . "$CLOUD_DIR/lib/services.sh"
      api_sync
      ;;
  esac
  return 0
}

# --- reboot --------------------------------------------------------------------------------------

# cloud_reboot: what a reboot does to the host: the boot id changes, logins are refused for
# `boot_seconds` (DIR/cloud/settings), services come back as the boot starts them (enabled ones
# run, with the code installed now; the others are stopped), and every SSH session to the host is
# cut: its sshd session processes, recorded by the login (DIR/hosts/NAME/sessions/PID holds the
# process's start time, so a reused PID is never killed), are killed by PID.
cloud_reboot() {
  cloud_setting boot_seconds 5
  read -r _up _idle </proc/uptime
  printf '%s\n' $((${_up%.*} + SETTING)) >"$HD/booting"
  cloud_log "reboot: the host goes down (back in ${SETTING}s)"
  read -r _id </proc/sys/kernel/random/uuid
  # in place (never replaced): this file is mounted over /proc/sys/kernel/random/boot_id
  printf '%s\n' "$_id" >"$HD/boot_id"
  printf '%s\n' "$(date -u +%s)" >"$HD/boot_time"
  . "$CLOUD_DIR/lib/services.sh"
  api_kill # the host's processes end with it; its VMs too (lib/heartbeat.py sees the boot id)
  if svc_known mysqld; then
    . "$CLOUD_DIR/lib/mysql.sh"
    mysqld_down
  fi
  API_DEFER=1
  for _f in "$HD"/services/*; do
    [ -f "$_f" ] || continue
    _s=${_f##*/}
    if [ -e "$HD/enabled/$_s" ]; then
      svc_start "$_s" 2>/dev/null || true
    else
      svc_stop "$_s"
    fi
  done
  API_DEFER=
  api_spawn --after "$SETTING" # the API services listen again once the host is up
  cloud_log "reboot: up again, boot id $_id"
  for _f in "$HD"/sessions/*; do
    [ -f "$_f" ] || continue
    _pid=${_f##*/}
    read -r _want <"$_f"
    rm -f "$_f"
    _st=
    read -r _st 2>/dev/null </proc/"$_pid"/stat || continue
    # shellcheck disable=SC2086 # the fields of /proc/PID/stat; field 22 is the start time
    set -- $_st
    [ "${22}" = "$_want" ] && kill -TERM "$_pid" 2>/dev/null
  done
  return 0
}

# --- the cloud's APIs ----------------------------------------------------------------------------

# api_server ENDPOINT SERVICE...: sets $API_HD to the folder of a host of the endpoint
# (DIR/cloud/endpoints/ENDPOINT: identity, compute, image, volume) where all the SERVICEs run, the
# first one as a load balancer would pick it; false when there is none.
api_server() {
  API_HD=
  _list=$CLOUD_DIR/cloud/endpoints/$1
  shift
  while read -r _h; do
    _all=true
    for _s in "$@"; do
      _st=
      [ -f "$CLOUD_DIR/hosts/$_h/services/$_s" ] && read -r _st _rest <"$CLOUD_DIR/hosts/$_h/services/$_s"
      [ "$_st" = running ] || _all=false
    done
    if $_all; then
      API_HD=$CLOUD_DIR/hosts/$_h
      return 0
    fi
  done <"$_list"
  return 1
}

# api_or_fail ENDPOINT SERVICE...: api_server, or the client's error (HTTP 503 from the balancer).
api_or_fail() {
  _e=$1
  api_server "$@" || cloud_fail 1 "ERROR: Service $_e is unavailable for this region. (HTTP 503)"
}

# client_of PACKAGE: a client CLI exists only where its package is installed.
client_of() {
  pkg_read "$1" || cloud_fail 127 "sh: 1: $CMD: not found"
}

# --- the projects' manage tools ------------------------------------------------------------------

# manage_tool PROJECT: the tool exists only where the project's code is installed.
manage_tool() {
  project_release "$1" || cloud_fail 127 "sh: 1: $CMD: not found"
}

# manage_sync PROJECT: `db sync`: migrates the project's database (as this host's configuration
# names it) up to the schema of the code installed here, with that release's migration; never down.
# The plan upgrades one release at a time, so one migration file brings the database there.
manage_sync() {
  db_connect "$1"
  db_schema
  schema_of "$1" "$PROJECT_RELEASE" || cloud_fail 1 "$CMD: no schema known for $1 $PROJECT_RELEASE"
  if [ "$DB_SCHEMA" -lt "$SCHEMA" ]; then
    _m=$CLOUD_DIR/lib/sql/$1.$PROJECT_RELEASE.sql
    [ -f "$_m" ] || cloud_fail 1 "$CMD: no migration to $1 $PROJECT_RELEASE ($_m)"
    db_sql "$(cat "$_m")
UPDATE migrate_version SET version = $SCHEMA WHERE repository_id = '$DB_NAME';" >/dev/null
    cloud_log "db sync: $DB_NAME on $DB_ADDR migrated from $DB_SCHEMA to $SCHEMA ($PROJECT_RELEASE)"
  else
    cloud_log "db sync: $DB_NAME on $DB_ADDR already at $DB_SCHEMA"
  fi
}

# manage_version PROJECT: `db version`.
manage_version() {
  db_connect "$1"
  db_schema
  echo "$DB_SCHEMA"
}
