# Shell functions shared by the side-by-side harnesses (compare-postgres.sh, compare-replication.sh).
# Source it after setting: PG_BIN, PGBENCH, PG_ISREADY, BENCH_USER, DBUSER. Nothing here starts a
# server or installs a trap; each harness owns its EXIT trap.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# as_pg CMD...: run as the unprivileged user when we are root (postgres will not run as root)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$BENCH_USER" -- "$@"; else "$@"; fi
}

# ensure_bench_user: create $BENCH_USER when we are root and it does not exist yet
ensure_bench_user() {
  if [ "$(id -u)" -eq 0 ] && ! id -u "$BENCH_USER" >/dev/null 2>&1; then
    log "creating user $BENCH_USER (postgres refuses to run as root)"
    useradd -m -s /bin/bash "$BENCH_USER"
  fi
}

# pg_owned_dir DIR: an empty directory the PostgreSQL user owns, mode 700
pg_owned_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then chown "$BENCH_USER" "$1"; fi
  chmod 700 "$1"
}

# free_port: a loopback TCP port nobody listens on and that this script has not handed out before
# (checked with ss; small race accepted)
_lib_ports=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    case $_lib_ports in *" $p "*) continue ;; esac
    if ! ss -Htln "sport = :$p" | grep -q .; then
      _lib_ports+="$p "
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# show_log FILE [LINES]: the last lines of a server's log, indented, on stderr
show_log() {
  [ -f "$1" ] || { log "(no log file $1)"; return 0; }
  log "last ${2:-40} lines of $1:"
  tail -n "${2:-40}" "$1" | sed 's/^/    /' >&2
}

# wait_ready PORT NAME [LOGFILE [PID [SECONDS]]]: wait until the server accepts connections; fails
# early when PID (the server process) exits, and shows the end of LOGFILE when it fails
wait_ready() {
  local port=$1 name=$2 logf=${3:-} pid=${4:-} secs=${5:-120} i
  for i in $(seq 1 $((secs * 4))); do
    if "$PG_ISREADY" -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      [ -n "$logf" ] && show_log "$logf"
      die "$name (pid $pid, port $port) exited before accepting connections"
    fi
    sleep 0.25
  done
  [ -n "$logf" ] && show_log "$logf"
  die "$name on port $port not ready after $secs s"
}

# pgb PORT TIMEOUT ARGS...: pgbench against database postgres as $DBUSER, bounded by timeout
pgb() {
  local port=$1 limit=$2
  shift 2
  timeout --kill-after=10 "$limit" "$PGBENCH" -h 127.0.0.1 -p "$port" -U "$DBUSER" "$@" postgres
}

# median NUMBERS...: the median (mean of the middle two for an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=int((NR+1)/2); if (NR%2) print a[m]; else printf "%.3f\n", (a[m]+a[m+1])/2}'; }
