#!/usr/bin/env bash
# Streaming replication, Walden and PostgreSQL 15 side by side on this machine: a primary and two
# asynchronous standbys each, loopback only, the same pgbench TPC-B load (bench/tpcb.sql).
#
# What it does, in order:
#   1. builds each cluster: PostgreSQL 15 (initdb, wal_level=replica, run as an unprivileged user
#      because postgres refuses root; `pgbench -i -s $SCALE`; two standbys with
#      `pg_basebackup -R -X stream`) and Walden (`walden init`, start, `pgbench -i -s $SCALE`, fast
#      stop, `walden clone` twice, start all three); every node has its own data directory and free
#      loopback port, the standbys' application_name is <system>-s1 / <system>-s2. Both primaries
#      keep $WAL_KEEP_MB of WAL (wal_keep_size) so a stopped standby can catch up by streaming
#      (neither uses replication slots); fsync=on, synchronous_commit=on on every node;
#   2. an unmeasured warm-up of $WARMUP s of TPC-B per system (Walden's JIT), standbys streaming;
#   3. primary TPS, $RUNS times per system, each run once with both standbys streaming and once with
#      both stopped (the order alternates run by run, and the systems take turns within a run, so
#      load from other work on a shared machine falls on both alike); before a standby-ful run the
#      restarted standbys must have replayed up to the primary's position. `pgbench -n -M prepared -c $CLIENTS
#      -j $THREADS -T $DURATION -f bench/tpcb.sql`; reports median TPS and the drop in %;
#   4. replay lag during every standby-ful run: one long-lived psql per system on the primary runs
#      `SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), replay_lag FROM
#      pg_stat_replication` under `\watch $SAMPLE_INTERVAL`, from 1 s into the run; p50 and max
#      over all samples of both standbys (bytes and ms; NULL lags are left out of the ms figures);
#   5. catch-up: standby s1 stopped (after it has replayed everything), about $CATCHUP_MB MiB of WAL
#      written on the primary by `INSERT INTO catchup_fill SELECT … FROM generate_series(…)`
#      batches of $CATCHUP_BATCH rows shaped like pgbench_accounts' (int key, 2 ints, char(84)),
#      the table emptied by TRUNCATE every $CATCHUP_TRUNCATE_EVERY batches (one psql session; WAL
#      measured with pg_current_wal_lsn() before and after), then s1 started and polled every
#      $POLL_INTERVAL s (one psql session once it accepts connections) until
#      pg_last_wal_receive_lsn() and then pg_last_wal_replay_lsn() reach the primary's position. Times count from the start command,
#      so they include the standby's own startup (also shown on its own as "accepts connections");
#      rate = WAL bytes between s1's last receive position and the target / time, in MiB/s; the
#      "once up" rates divide what was still missing at the first poll that saw a position (NULL
#      until the walreceiver runs) by the time from that poll on: streaming speed without startup;
#      the goals are checked on the first, stricter pair;
#   6. prints the tables and appends them, with the command line, nproc and load, to
#      bench/RESULTS.md (NO_RECORD=1 to skip).
#
# Goals it reports on: Walden's TPS drop with two standbys ≤ 10 % (PostgreSQL loses about 24 %);
# Walden's replay lag p50 ≤ PostgreSQL's and max ≤ 50 ms; catch-up ≥ 400 MiB/s received and
# ≥ 200 MiB/s replayed (PostgreSQL about 200 and 90).
#
# Settings (environment): SCALE (10) CLIENTS (8) THREADS (2) DURATION (30 s) RUNS (3) WARMUP (10 s)
#   CATCHUP_MB (2048) CATCHUP_BATCH (100000 rows per INSERT) CATCHUP_TRUNCATE_EVERY (10)
#   WAL_KEEP_MB (CATCHUP_MB + 1024) SAMPLE_INTERVAL (1 s) POLL_INTERVAL (0.1 s) CATCHUP_TIMEOUT
#   (1800 s) STALL_TIMEOUT (120 s: give up when a standby's positions stop moving) SYSTEMS ("walden postgresql"; one of them alone to run one half) PG_SHARED_BUFFERS (256MB) PG_BIN (/usr/lib/postgresql/15/bin)
#   BENCH_USER (walden-bench) WALDEN_JAVA_OPTS (passed to Walden's JVMs; empty = JVM defaults)
#   SKIP_CATCHUP=1 to leave phase 5 out; NO_RECORD=1 to not touch RESULTS.md; KEEP_WORK=1 to keep
#   the scratch directory (data dirs, logs, lag samples) for a look afterwards.
# Example (quick check, nothing recorded):
#   SCALE=1 DURATION=5 RUNS=1 WARMUP=2 CATCHUP_MB=64 NO_RECORD=1 bench/compare-replication.sh
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail
export LC_ALL=C # "." in $EPOCHREALTIME and in awk's numbers

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in SCALE CLIENTS THREADS DURATION RUNS WARMUP CATCHUP_MB CATCHUP_BATCH CATCHUP_TRUNCATE_EVERY WAL_KEEP_MB SAMPLE_INTERVAL POLL_INTERVAL SYSTEMS SKIP_CATCHUP PG_SHARED_BUFFERS WALDEN_JAVA_OPTS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-replication.sh${*:+ $*}"

SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
DURATION=${DURATION:-30}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-10}
CATCHUP_MB=${CATCHUP_MB:-2048}
CATCHUP_BATCH=${CATCHUP_BATCH:-100000}
CATCHUP_TRUNCATE_EVERY=${CATCHUP_TRUNCATE_EVERY:-10}
WAL_KEEP_MB=${WAL_KEEP_MB:-$((CATCHUP_MB + 1024))}
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-1}
POLL_INTERVAL=${POLL_INTERVAL:-0.1}
CATCHUP_TIMEOUT=${CATCHUP_TIMEOUT:-1800}
STALL_TIMEOUT=${STALL_TIMEOUT:-120}
SYSTEMS=${SYSTEMS:-walden postgresql}
SKIP_CATCHUP=${SKIP_CATCHUP:-0}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-256MB}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
PSQL=${PSQL:-$PG_BIN/psql}
DBUSER=bench # superuser name in both clusters (trust authentication, loopback only)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # log die as_pg ensure_bench_user pg_owned_dir free_port show_log wait_ready pgb median

for s in $SYSTEMS; do
  case $s in walden | postgresql) ;; *) die "SYSTEMS: unknown system '$s' (walden, postgresql)" ;; esac
done
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_basebackup" "$PGBENCH" "$PG_ISREADY" "$PSQL" \
  "$repo/walden" "$here/tpcb.sql"; do
  [ -e "$tool" ] || die "$tool not found"
done
command -v stdbuf >/dev/null || die "stdbuf (coreutils) not found"
[ "$SCALE" -ge 1 ] && [ "$RUNS" -ge 1 ] && [ "$DURATION" -ge 1 ] || die "SCALE, RUNS and DURATION must be ≥ 1"

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-repl.XXXXXX")
chmod 755 "$work"

# Nodes are named <sys>-p, <sys>-s1, <sys>-s2 with sys = walden | postgresql (shortened to pg in
# names: pg-p, pg-s1, …; walden's are w-p, w-s1, …).
declare -A node_dir node_port node_log node_pid node_up
nodes_of() { case $1 in walden) echo "w-p w-s1 w-s2" ;; postgresql) echo "pg-p pg-s1 pg-s2" ;; esac; }
prefix_of() { case $1 in walden) echo w ;; postgresql) echo pg ;; esac; }
kind_of() { case $1 in w-*) echo walden ;; pg-*) echo postgresql ;; esac; }
bg_pids=() # helper processes (lag watchers, psql sessions) to end in the EXIT trap

# ---------------------------------------------------------------------------- nodes
# start_node NAME [nowait]: start a node with its settings; waits until it accepts connections
# unless "nowait" (then the caller polls). Walden runs in the foreground, so in the background here.
start_node() {
  local n=$1 wait=${2:-wait} dir=${node_dir[$1]} port=${node_port[$1]} logf=${node_log[$1]}
  local common="-c port=$port -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on"
  [ "${node_up[$n]:-0}" = 1 ] && return 0
  case $(kind_of "$n") in
  postgresql)
    local w=-w
    [ "$wait" = nowait ] && w=-W
    node_up[$n]=1 # before pg_ctl: a postmaster that starts too slowly for -w still gets stopped
    # shellcheck disable=SC2086
    as_pg "$PG_BIN/pg_ctl" start -D "$dir" $w -t 120 -l "$logf" \
      -o "$common -c unix_socket_directories=$dir -c shared_buffers=$PG_SHARED_BUFFERS \
          -c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=${WAL_KEEP_MB}MB -c cluster_name=$n" \
      >>"$work/pg_ctl.log" 2>&1 || { show_log "$logf"; die "PostgreSQL node $n did not start (port $port)"; }
    ;;
  walden)
    # shellcheck disable=SC2086
    "$repo/walden" start -D "$dir" $common -c wal_keep_size="${WAL_KEEP_MB}MB" -c cluster_name="$n" \
      >>"$logf" 2>&1 &
    node_pid[$n]=$!
    node_up[$n]=1
    ;;
  esac
  if [ "$wait" = wait ]; then wait_ready "$port" "node $n" "$logf" "${node_pid[$n]:-}"; fi
}

stop_node() { # NAME
  local n=$1 i pid
  [ "${node_up[$n]:-0}" = 1 ] || return 0
  case $(kind_of "$n") in
  postgresql)
    as_pg "$PG_BIN/pg_ctl" stop -D "${node_dir[$n]}" -m fast -t 60 >>"$work/pg_ctl.log" 2>&1 \
      || { log "pg_ctl stop failed for $n"; show_log "${node_log[$n]}" 10; }
    ;;
  walden)
    pid=${node_pid[$n]}
    timeout 60 "$repo/walden" stop -D "${node_dir[$n]}" -m fast >>"$work/walden-stop.log" 2>&1 || true
    for i in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "Walden node $n (pid $pid) did not stop in 30 s; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    node_pid[$n]=""
    ;;
  esac
  node_up[$n]=0
}

cleanup() {
  local rc=$? n p
  trap - EXIT INT TERM
  trap '' PIPE # a reader of our output may be gone (e.g. `| tail` killed with us): stop nodes anyway
  set +e
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for n in "${!node_up[@]}"; do
    if [ "${node_up[$n]}" = 1 ] && [ "${n#*-}" = p ]; then stop_node "$n"; fi # primaries first
  done
  for n in "${!node_up[@]}"; do stop_node "$n"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------- SQL helpers
# q PORT SQL: one query in a fresh psql (unaligned, tuples only); for setup and waiting, not sampling
q() {
  timeout 60 "$PSQL" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2"
}

# A long-lived psql session through two FIFOs, for polling without a fork per query:
# sess_open NAME PORT; sess_query NAME SQL (prints the result lines); sess_close NAME.
declare -A sess_in sess_out sess_pid
sess_end=__walden_bench_end__
sess_open() {
  local name=$1 port=$2 fdi fdo
  mkfifo "$work/sess-$name.in" "$work/sess-$name.out"
  timeout $((CATCHUP_TIMEOUT + 600)) stdbuf -oL "$PSQL" -X -q -A -t -F '|' -h 127.0.0.1 -p "$port" \
    -U "$DBUSER" -d postgres <"$work/sess-$name.in" >"$work/sess-$name.out" 2>>"$work/sess-$name.err" &
  sess_pid[$name]=$!
  bg_pids+=("$!")
  exec {fdi}>"$work/sess-$name.in"
  exec {fdo}<"$work/sess-$name.out"
  sess_in[$name]=$fdi
  sess_out[$name]=$fdo
}
sess_query() {
  local name=$1 line
  printf '%s\n\\echo %s\n' "$2" "$sess_end" >&"${sess_in[$name]}" \
    || die "psql session $name is gone: $(tail -n 3 "$work/sess-$name.err" 2>/dev/null)"
  while :; do
    IFS= read -r -t 120 -u "${sess_out[$name]}" line \
      || die "psql session $name: no answer to '$2': $(tail -n 3 "$work/sess-$name.err" 2>/dev/null)"
    [ "$line" = "$sess_end" ] && break
    printf '%s\n' "$line"
  done
}
sess_close() {
  local name=$1 fdi=${sess_in[$1]} fdo=${sess_out[$1]}
  exec {fdi}>&- {fdo}<&-
  wait "${sess_pid[$name]}" 2>/dev/null || true
}

# lsn X/Y -> the byte position as a number (-1 for NULL or anything else); LSNs are compared in
# the shell so that only the functions the comparison is about are asked of the servers
lsn() {
  if [[ ${1:-} =~ ^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$ ]]; then echo $(((16#${1%/*} << 32) + 16#${1#*/})); else echo -1; fi
}
us() { echo "${EPOCHREALTIME/./}"; } # wall clock in microseconds (bash 5, no fork of date)
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b - a) / 1e6}'; } # US0 US1

# wait_replayed SYS [SECONDS]: until both running standbys have replayed up to the primary's
# current WAL position (checked on the standbys: a primary hears about replay only every
# wal_receiver_status_interval when idle)
wait_replayed() {
  local sys=$1 limit=${2:-600} p s target i ok r errs=0 last=-1 moved
  p=$(prefix_of "$sys")
  target=$(q "${node_port[$p-p]}" "SELECT pg_current_wal_lsn()") || die "$sys: pg_current_wal_lsn() failed on the primary"
  [ "$(lsn "$target")" -ge 0 ] || die "$sys: pg_current_wal_lsn() gave '$target'"
  moved=$(us)
  for i in $(seq 1 $((limit * 5))); do
    ok=1
    for s in "$p-s1" "$p-s2"; do
      [ "${node_up[$s]}" = 1 ] || continue
      if ! r=$(q "${node_port[$s]}" "SELECT pg_last_wal_replay_lsn()" 2>"$work/q.err"); then
        errs=$((errs + 1))
        [ "$errs" -lt 50 ] || die "$sys: pg_last_wal_replay_lsn() keeps failing on $s: $(tail -n 3 "$work/q.err")"
        ok=0
        break
      fi
      errs=0
      if [ "$(lsn "$r")" -lt "$(lsn "$target")" ]; then
        ok=0
        if [ "$(lsn "$r")" != "$last" ]; then last=$(lsn "$r") moved=$(us); fi
        break
      fi
    done
    [ "$ok" = 1 ] && return 0
    [ $(($(us) - moved)) -lt $((STALL_TIMEOUT * 1000000)) ] || break
    sleep 0.2
  done
  show_log "${node_log[$p-s1]}" 15
  show_log "${node_log[$p-s2]}" 15
  die "$sys: standbys did not replay up to $target (last: $s at ${r:-?}; limit $limit s, or no progress for $STALL_TIMEOUT s)"
}

# ---------------------------------------------------------------------------- clusters
setup_postgresql() {
  local n
  ensure_bench_user
  for n in pg-p pg-s1 pg-s2; do
    node_dir[$n]=$work/$n
    node_port[$n]=$(free_port)
    node_log[$n]=$work/$n.log
  done
  : >"$work/pg_ctl.log"
  touch "${node_log[pg-p]}" "${node_log[pg-s1]}" "${node_log[pg-s2]}"
  [ "$(id -u)" -eq 0 ] && chown "$BENCH_USER" "${node_log[pg-p]}" "${node_log[pg-s1]}" "${node_log[pg-s2]}"
  pg_owned_dir "${node_dir[pg-p]}"
  as_pg "$PG_BIN/initdb" -D "${node_dir[pg-p]}" -U "$DBUSER" -A trust -E UTF8 --no-locale \
    >"$work/pg-initdb.log" 2>&1 || { cat "$work/pg-initdb.log" >&2; die "initdb failed"; }
  start_node pg-p
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') primary on 127.0.0.1:${node_port[pg-p]}; pgbench -i -s $SCALE"
  pgb "${node_port[pg-p]}" 1800 -i -q -s "$SCALE" >"$work/init-postgresql.log" 2>&1 \
    || { cat "$work/init-postgresql.log" >&2; die "pgbench -i failed on PostgreSQL"; }
  for n in pg-s1 pg-s2; do
    pg_owned_dir "${node_dir[$n]}"
    as_pg timeout 1800 "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "${node_port[pg-p]}" -U "$DBUSER" \
      -D "${node_dir[$n]}" -R -X stream -c fast >"$work/basebackup-$n.log" 2>&1 \
      || { cat "$work/basebackup-$n.log" >&2; die "pg_basebackup for $n failed"; }
    start_node "$n"
  done
  log "PostgreSQL standbys on ports ${node_port[pg-s1]} and ${node_port[pg-s2]}"
}

setup_walden() {
  local n
  log "Walden: building the jar if needed"
  timeout 1800 "$repo/walden" --version >"$work/walden-build.log" 2>&1 \
    || { cat "$work/walden-build.log" >&2; die "could not build or run ./walden"; }
  for n in w-p w-s1 w-s2; do
    node_dir[$n]=$work/$n
    node_port[$n]=$(free_port)
    node_log[$n]=$work/$n.log
  done
  timeout 300 "$repo/walden" init -D "${node_dir[w-p]}" -U "$DBUSER" -A trust >"$work/walden-init.log" 2>&1 \
    || { cat "$work/walden-init.log" >&2; die "walden init failed"; }
  start_node w-p
  log "Walden primary (pid ${node_pid[w-p]}) on 127.0.0.1:${node_port[w-p]}; pgbench -i -s $SCALE"
  pgb "${node_port[w-p]}" 1800 -i -q -s "$SCALE" >"$work/init-walden.log" 2>&1 \
    || { cat "$work/init-walden.log" >&2; die "pgbench -i failed on Walden"; }
  stop_node w-p # walden clone copies a cleanly stopped primary
  for n in w-s1 w-s2; do
    timeout 600 "$repo/walden" clone --source "${node_dir[w-p]}" -D "${node_dir[$n]}" \
      --primary-conninfo "host=127.0.0.1 port=${node_port[w-p]} user=$DBUSER application_name=$n" \
      -c port="${node_port[$n]}" >"$work/clone-$n.log" 2>&1 \
      || { cat "$work/clone-$n.log" >&2; die "walden clone for $n failed"; }
  done
  start_node w-p
  start_node w-s1
  start_node w-s2
  log "Walden standbys on ports ${node_port[w-s1]} and ${node_port[w-s2]}"
}

# streaming_count SYS: rows in the primary's pg_stat_replication in state streaming
streaming_count() {
  q "${node_port[$(prefix_of "$1")-p]}" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
}

standbys() { # SYS up|down
  local p
  p=$(prefix_of "$1")
  if [ "$2" = up ]; then
    start_node "$p-s1"
    start_node "$p-s2"
    wait_replayed "$1"
    local i c=0
    for i in $(seq 1 300); do
      c=$(streaming_count "$1" 2>/dev/null || echo 0)
      [ "$c" = 2 ] && return 0
      sleep 0.2
    done
    q "${node_port[$p-p]}" "SELECT application_name, state FROM pg_stat_replication" >&2 || true
    die "$1: $c of 2 standbys streaming after 60 s"
  else
    stop_node "$p-s1"
    stop_node "$p-s2"
  fi
}

# ---------------------------------------------------------------------------- load and lag
# run_tpcb PORT SECONDS [SYS LAGFILE] -> prints TPS; with SYS and LAGFILE, samples replay lag into
# LAGFILE while pgbench runs (the watcher starts 1 s after pgbench: a sample taken before the load
# shows the idle time before it — PostgreSQL then shows NULL, Walden has shown 10 s at 0 bytes)
run_tpcb() {
  local out=$work/pgbench.out tps pid rc=0
  pgb "$1" $(($2 + 120)) -n -c "$CLIENTS" -j "$THREADS" -T "$2" -M prepared -f "$here/tpcb.sql" >"$out" 2>&1 &
  pid=$!
  if [ -n "${4:-}" ]; then
    sleep 1
    watch_start "$3" "$4"
  fi
  wait "$pid" || rc=$?
  watch_stop
  if [ "$rc" != 0 ]; then
    tail -n 20 "$out" >&2
    local n
    for n in "${!node_port[@]}"; do [ "${node_port[$n]}" = "$1" ] && show_log "${node_log[$n]}" 20; done
    die "pgbench failed (port $1, exit $rc)"
  fi
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out" | head -n 1)
  [ -n "$tps" ] || { cat "$out" >&2; die "could not parse pgbench output"; }
  echo "$tps"
}

# Lag watcher: one psql with \watch on the primary, appending "application_name|bytes|replay_lag".
watch_pid=""
watch_start() { # SYS OUTFILE
  local port=${node_port[$(prefix_of "$1")-p]}
  printf '%s\n' "SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), replay_lag FROM pg_stat_replication" \
    "\\watch $SAMPLE_INTERVAL" >"$work/watch.sql"
  timeout $((DURATION + 300)) stdbuf -oL "$PSQL" -X -q -A -t -F '|' -h 127.0.0.1 -p "$port" -U "$DBUSER" \
    -d postgres -f "$work/watch.sql" >>"$2" 2>>"$work/watch.err" &
  watch_pid=$!
  bg_pids+=("$watch_pid")
}
watch_stop() {
  [ -n "$watch_pid" ] || return 0
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true
  watch_pid=""
}

# lag_stats FILE -> "bytes_p50 bytes_max ms_p50 ms_max n_bytes n_ms" (nearest-rank p50; "-" if none)
lag_stats() {
  awk -F'|' '
    function ms(t,   neg, d, p, n) { # PostgreSQL interval text: [N day[s] ][-]HH:MM:SS[.ffffff]
      d = 0
      if (match(t, /^-?[0-9]+ days? /)) { d = substr(t, 1, RLENGTH) + 0; t = substr(t, RLENGTH + 1) }
      neg = (substr(t, 1, 1) == "-"); if (neg) t = substr(t, 2)
      n = split(t, p, ":"); if (n != 3) return ""
      v = ((d * 24 + p[1]) * 3600 + p[2] * 60 + p[3]) * 1000
      return neg ? -v : v
    }
    NF == 3 {
      if ($2 != "") b[++nb] = $2 + 0
      if ($3 != "") { m = ms($3); if (m != "") l[++nl] = m }
    }
    function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
    function p50(a, n) { return n ? a[int((n + 1) / 2)] : "-" }
    END {
      sort(b, nb); sort(l, nl)
      printf "%s %s %s %s %d %d\n", p50(b, nb), nb ? b[nb] : "-", nl ? sprintf("%.3f", p50(l, nl)) : "-", nl ? sprintf("%.3f", l[nl]) : "-", nb, nl
    }' "$1"
}

# ---------------------------------------------------------------------------- catch-up
# catchup SYS -> sets cu[SYS] to "wal_bytes ready_s recv_s replay_s recv_window_MiB/s
# replay_window_MiB/s" (the window rates: from the first poll that saw a position short of the
# target to reaching it, so without the standby's startup; "-" when the first poll saw it reached)
# (not in a subshell: it stops
# and starts a node, whose state the EXIT trap needs)
declare -A cu
catchup() {
  local sys=$1 p pp s1 lsn0 from target written=0 prev=-1 lo=1 hi rows t0 t_ready="" t_recv="" t_replay="" t r deadline cur rcv rpl
  local w_rcv="" w_rcv_t="" w_rpl="" w_rpl_t="" seen="" moved
  p=$(prefix_of "$sys")
  pp=${node_port[$p-p]}
  s1=$p-s1
  # The WAL comes from inserting rows shaped like pgbench_accounts' into a scratch table, emptied
  # with TRUNCATE every CATCHUP_TRUNCATE_EVERY batches: Walden keeps every row version in memory
  # (and nothing vacuums on its own yet), so repeated UPDATEs would grow all three nodes' heaps.
  q "$pp" "CREATE TABLE catchup_fill (aid int PRIMARY KEY, bid int, abalance int, filler char(84))" >/dev/null \
    || die "$sys: could not create the catch-up table"
  wait_replayed "$sys"
  from=$(q "${node_port[$s1]}" "SELECT pg_last_wal_receive_lsn()")
  [ "$(lsn "$from")" -ge 0 ] || die "$sys: pg_last_wal_receive_lsn() on $s1 gave '$from'"
  stop_node "$s1"
  lsn0=$(q "$pp" "SELECT pg_current_wal_lsn()")
  local batch=$CATCHUP_BATCH n=0 sql filler
  filler=$(printf 'x%.0s' $(seq 1 84)) # 84 characters, not blanks: no system can store it shorter
  log "$sys: $s1 stopped at $from; writing about $CATCHUP_MB MiB of WAL from $lsn0 (INSERTs of $batch rows)"
  sess_open "fill-$p" "$pp"
  t=$(us)
  deadline=$((t + CATCHUP_TIMEOUT * 1000000))
  while [ "$written" -lt $((CATCHUP_MB * 1048576)) ]; do
    hi=$((lo + batch - 1))
    sql="INSERT INTO catchup_fill SELECT g, 1, 0, '$filler' FROM generate_series($lo, $hi) AS g;"
    n=$((n + 1))
    if [ $((n % CATCHUP_TRUNCATE_EVERY)) = 0 ]; then sql+=" TRUNCATE catchup_fill;"; hi=0; fi
    cur=$(sess_query "fill-$p" "$sql
SELECT pg_current_wal_lsn();" | tail -n 1)
    written=$(($(lsn "$cur") - $(lsn "$lsn0")))
    [ "$(lsn "$cur")" -ge 0 ] && [ "$written" -gt "$prev" ] \
      || die "$sys: WAL fill failed (WAL position '$cur'): $(tail -n 5 "$work/sess-fill-$p.err" 2>/dev/null)"
    prev=$written
    lo=$((hi + 1))
    [ "$(us)" -lt "$deadline" ] || die "$sys: writing $CATCHUP_MB MiB of WAL took over $CATCHUP_TIMEOUT s (at $written bytes)"
  done
  sess_close "fill-$p"
  target=$(q "$pp" "SELECT pg_current_wal_lsn()")
  local bytes=$(($(lsn "$target") - $(lsn "$from")))
  log "$sys: wrote $((bytes / 1048576)) MiB of WAL in $(secs_between "$t" "$(us)") s; starting $s1, target $target"
  t0=$(us)
  start_node "$s1" nowait
  deadline=$((t0 + CATCHUP_TIMEOUT * 1000000))
  moved=$t0
  while :; do
    if [ -z "$t_ready" ]; then
      if "$PG_ISREADY" -q -h 127.0.0.1 -p "${node_port[$s1]}" -t 1 >/dev/null 2>&1; then
        t_ready=$(us)
        sess_open "poll-$p" "${node_port[$s1]}"
      elif [ -n "${node_pid[$s1]:-}" ] && ! kill -0 "${node_pid[$s1]}" 2>/dev/null; then
        show_log "${node_log[$s1]}"
        die "$sys: $s1 exited while starting"
      fi
    fi
    if [ -n "$t_ready" ]; then
      r=$(sess_query "poll-$p" "SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn();") \
        || die "$sys: polling $s1 failed: $(tail -n 5 "$work/sess-poll-$p.err" 2>/dev/null)"
      t=$(us)
      IFS='|' read -r rcv rpl <<<"$r"
      if [ -z "$t_recv" ] && [ "$(lsn "$rcv")" -ge "$(lsn "$target")" ]; then t_recv=$t; fi
      if [ -z "$t_replay" ] && [ "$(lsn "$rpl")" -ge "$(lsn "$target")" ]; then t_replay=$t; fi
      if [ -z "$w_rcv_t" ] && [ -z "$t_recv" ] && [ "$(lsn "$rcv")" -ge 0 ]; then w_rcv=$(lsn "$rcv") w_rcv_t=$t; fi
      if [ -z "$w_rpl_t" ] && [ -z "$t_replay" ] && [ "$(lsn "$rpl")" -ge 0 ]; then w_rpl=$(lsn "$rpl") w_rpl_t=$t; fi
      if [ -n "$t_recv" ] && [ -n "$t_replay" ]; then break; fi
      if [ "$r" != "$seen" ]; then seen=$r moved=$t; fi
    fi
    if [ "$(us)" -gt "$deadline" ] || [ $(($(us) - moved)) -gt $((STALL_TIMEOUT * 1000000)) ]; then
      show_log "${node_log[$s1]}" 20
      die "$sys: $s1 did not catch up to $target (received|replayed: ${r:-no answer}; limit $CATCHUP_TIMEOUT s, or no progress for $STALL_TIMEOUT s)"
    fi
    sleep "$POLL_INTERVAL"
  done
  sess_close "poll-$p"
  wait_ready "${node_port[$s1]}" "node $s1" "${node_log[$s1]}" "${node_pid[$s1]:-}" # (already is)
  q "$pp" "DROP TABLE catchup_fill" >/dev/null || log "WARNING: $sys: could not drop catchup_fill"
  window_rate() { # FROM_LSN_NUMBER FROM_US TO_US
    if [ -z "$2" ] || [ "$3" -le "$2" ]; then echo -; return; fi
    awk -v b=$(($(lsn "$target") - $1)) -v a="$2" -v z="$3" 'BEGIN {printf "%.0f", b / 1048576 / ((z - a) / 1e6)}'
  }
  cu[$sys]="$bytes $(secs_between "$t0" "$t_ready") $(secs_between "$t0" "$t_recv") $(secs_between "$t0" "$t_replay")"
  cu[$sys]+=" $(window_rate "$w_rcv" "$w_rcv_t" "$t_recv") $(window_rate "$w_rpl" "$w_rpl_t" "$t_replay")"
}

# ---------------------------------------------------------------------------- main
log "work dir $work; nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); systems: $SYSTEMS"
for sys in $SYSTEMS; do "setup_$sys"; done

if [ "$WARMUP" -gt 0 ]; then
  for sys in $SYSTEMS; do
    t=$(run_tpcb "${node_port[$(prefix_of "$sys")-p]}" "$WARMUP")
    log "warm-up $sys with 2 standbys: $t tps (not counted)"
  done
fi

declare -A tps
for sys in $SYSTEMS; do : >"$work/lag-$sys.txt"; done
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="with without"; else order="without with"; fi
  for sys in $SYSTEMS; do
    port=${node_port[$(prefix_of "$sys")-p]}
    for mode in $order; do
      if [ "$mode" = with ]; then
        standbys "$sys" up
        t=$(run_tpcb "$port" "$DURATION" "$sys" "$work/lag-$sys.txt")
        c=$(streaming_count "$sys") || c="?"
        [ "$c" = 2 ] || log "WARNING: $sys: only $c standbys streaming at the end of run $run"
      else
        standbys "$sys" down
        t=$(run_tpcb "$port" "$DURATION")
      fi
      tps["$sys|$mode"]="${tps["$sys|$mode"]:-} $t"
      log "run $run/$RUNS $sys, $mode standbys: $t tps"
    done
  done
done
if [ -s "$work/watch.err" ]; then
  log "WARNING: the replay-lag sampler reported errors (its samples may be missing):"
  sort "$work/watch.err" | uniq -c | sort -rn | head -n 5 | sed 's/^/    /' >&2
fi

if [ "$SKIP_CATCHUP" != 1 ]; then
  for sys in $SYSTEMS; do
    standbys "$sys" up
    catchup "$sys"
    log "catch-up $sys: ${cu[$sys]} (WAL bytes, s to accept connections, s to receive, s to replay, window MiB/s received, replayed)"
  done
fi
for sys in $SYSTEMS; do
  for n in $(nodes_of "$sys"); do stop_node "$n"; done
done

# ---------------------------------------------------------------------------- report
fmt0() { awk -v v="$1" 'BEGIN {if (v == "-") print "-"; else printf "%.0f", v}'; }
table="| system | TPS, 2 standbys | TPS, no standbys | drop | replay lag p50 | replay lag max | replay lag p50 ms | replay lag max ms | lag samples (bytes / ms) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A drop lagb50 lagbmax lagm50 lagmmax
for sys in $SYSTEMS; do
  # shellcheck disable=SC2086
  w=$(median ${tps["$sys|with"]}); wo=$(median ${tps["$sys|without"]})
  drop[$sys]=$(awk -v a="$w" -v b="$wo" 'BEGIN {printf "%.1f", (b - a) / b * 100}')
  read -r lagb50[$sys] lagbmax[$sys] lagm50[$sys] lagmmax[$sys] nb nl < <(lag_stats "$work/lag-$sys.txt")
  table+=$'\n'"| $sys | $(fmt0 "$w") | $(fmt0 "$wo") | ${drop[$sys]} % | $(fmt0 "${lagb50[$sys]}") B | $(fmt0 "${lagbmax[$sys]}") B | ${lagm50[$sys]} | ${lagmmax[$sys]} | $nb / $nl |"
done
if [ "$SKIP_CATCHUP" != 1 ]; then
  table+=$'\n\n'"| system | catch-up WAL MiB | accepts connections after s | received after s | receive MiB/s | replayed after s | replay MiB/s | receive MiB/s once up | replay MiB/s once up |
|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  declare -A rmbs pmbs
  for sys in $SYSTEMS; do
    read -r b ta tr tp wr wp <<<"${cu[$sys]}"
    rmbs[$sys]=$(awk -v b="$b" -v t="$tr" 'BEGIN {printf "%.0f", b / 1048576 / t}')
    pmbs[$sys]=$(awk -v b="$b" -v t="$tp" 'BEGIN {printf "%.0f", b / 1048576 / t}')
    table+=$'\n'"| $sys | $((b / 1048576)) | $ta | $tr | ${rmbs[$sys]} | $tp | ${pmbs[$sys]} | $wr | $wp |"
  done
fi
case " $SYSTEMS " in *" walden "*)
  yn() { if [ "$(awk "BEGIN {print ($1) ? 1 : 0}")" = 1 ]; then echo yes; else echo "**no**"; fi; }
  table+=$'\n\n'"| Walden goal | measured | met |
|---|---:|:-:|
| TPS drop with 2 standbys ≤ 10 % | ${drop[walden]} % | $(yn "${drop[walden]} <= 10") |"
  case " $SYSTEMS " in *" postgresql "*)
    table+=$'\n'"| replay lag p50 ≤ PostgreSQL's (bytes) | $(fmt0 "${lagb50[walden]}") vs $(fmt0 "${lagb50[postgresql]}") | $(
      if [ "${lagb50[walden]}" = - ] || [ "${lagb50[postgresql]}" = - ]; then echo "?"; else yn "${lagb50[walden]} <= ${lagb50[postgresql]}"; fi) |"
    table+=$'\n'"| replay lag p50 ≤ PostgreSQL's (ms) | ${lagm50[walden]} vs ${lagm50[postgresql]} | $(
      if [ "${lagm50[walden]}" = - ] || [ "${lagm50[postgresql]}" = - ]; then echo "?"; else yn "${lagm50[walden]} <= ${lagm50[postgresql]}"; fi) |"
    ;;
  esac
  table+=$'\n'"| replay lag max ≤ 50 ms | ${lagmmax[walden]} | $(if [ "${lagmmax[walden]}" = - ]; then echo "?"; else yn "${lagmmax[walden]} <= 50"; fi) |"
  if [ "$SKIP_CATCHUP" != 1 ]; then
    table+=$'\n'"| catch-up receive ≥ 400 MiB/s | ${rmbs[walden]} | $(yn "${rmbs[walden]} >= 400") |
| catch-up replay ≥ 200 MiB/s | ${pmbs[walden]} | $(yn "${pmbs[walden]} >= 200") |"
  fi
  ;;
esac
printf '\n%s\n\n' "$table"

all_runs=""
for key in $(printf '%s\n' "${!tps[@]}" | sort); do all_runs+="    $key standbys: tps${tps[$key]}"$'\n'; done
printf 'Every run:\n%s\n' "$all_runs"

[ "${NO_RECORD:-0}" = 1 ] && exit 0
results="$here/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n' >"$results"
{
  printf '\n## Streaming replication: primary + 2 async standbys, side by side\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- command: `%s` (commit %s)\n' "$cmdline" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf -- '- machine: nproc %s; load at the end: %s\n' "$(nproc)" "$(uptime | sed 's/^ *//')"
  printf -- '- pgbench %s, bench/tpcb.sql -M prepared, %s clients, %s threads, %s s per run, median of %s runs (with and without standbys, order alternating) after a %s s warm-up, scale %s, `-n`, all nodes and pgbench on this machine, loopback\n' \
    "$("$PGBENCH" --version | awk '{print $3}')" "$CLIENTS" "$THREADS" "$DURATION" "$RUNS" "$WARMUP" "$SCALE"
  printf -- '- every node: fsync=on, synchronous_commit=on, asynchronous standbys, wal_keep_size=%sMB on the primaries, no slots; PostgreSQL %s: shared_buffers=%s, standbys from `pg_basebackup -R -X stream`; Walden: standbys from `walden clone`, JVM options `%s`\n' \
    "$WAL_KEEP_MB" "$("$PG_BIN/postgres" --version | awk '{print $3}')" "$PG_SHARED_BUFFERS" "${WALDEN_JAVA_OPTS:-(defaults)}"
  printf -- '- replay lag: pg_stat_replication on the primary every %s s during the standby-ful runs, both standbys; catch-up: %s MiB of WAL (INSERT batches of %s rows, TRUNCATE every %s) while s1 is stopped, times from its start command, polled every %s s\n\n' \
    "$SAMPLE_INTERVAL" "$CATCHUP_MB" "$CATCHUP_BATCH" "$CATCHUP_TRUNCATE_EVERY" "$POLL_INTERVAL"
  printf '%s\n\n' "$table"
  printf 'Every run (TPS, in order):\n\n%s\n' "$all_runs"
} >>"$results"
log "appended to $results"
