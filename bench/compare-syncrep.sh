#!/usr/bin/env bash
# Synchronous replication, Walden and PostgreSQL 15 side by side on this machine: a primary, one
# synchronous standby (synchronous_standby_names = 'FIRST 1 (<sys>-s1)') and one asynchronous
# standby (<sys>-s2) each, loopback only, the same pgbench TPC-B load (bench/tpcb.sql) at
# synchronous_commit = local, remote_write, on and remote_apply.
#
# What it does, in order:
#   1. builds each cluster as bench/compare-replication.sh does (PostgreSQL: initdb, pgbench -i,
#      pg_basebackup -R -X stream twice, cluster_name = application_name; Walden: walden init,
#      pgbench -i, walden clone twice), then sets synchronous_standby_names with ALTER SYSTEM +
#      pg_reload_conf() on the primary and waits until pg_stat_replication shows s1 'sync' and s2
#      'async';
#   2. an unmeasured warm-up of $WARMUP s of TPC-B per system at synchronous_commit = on;
#   3. $RUNS rounds; in each, for each level (order rotating round by round) the systems take turns:
#      `PGOPTIONS="-c synchronous_commit=LEVEL" pgbench -n -M prepared -c $CLIENTS -j $THREADS
#      -T $DURATION -f bench/tpcb.sql -l` in a scratch directory; TPS from pgbench's summary,
#      per-transaction latencies from its -l logs (third column, µs);
#   4. reports per system and level: median TPS, latency p50 / p99 over every transaction of every
#      round, the latency added over `local` (p50, p99), Walden / PostgreSQL TPS ratio, and the goal
#      (≥ 1.5 × PostgreSQL at remote_write, on, remote_apply);
#   5. prints the table and appends it with the command line, nproc and load to bench/RESULTS.md
#      (NO_RECORD=1 to skip).
#
# Settings (environment): SCALE (10) CLIENTS (8) THREADS (2) DURATION (30 s) RUNS (3) WARMUP (10 s)
#   LEVELS ("local remote_write on remote_apply") SYSTEMS ("walden postgresql") PG_SHARED_BUFFERS
#   (256MB) PG_BIN (/usr/lib/postgresql/15/bin) BENCH_USER (walden-bench) KEEP_WORK=1 NO_RECORD=1.
# Example (smoke run, nothing recorded):
#   SCALE=1 DURATION=3 RUNS=1 WARMUP=1 CLIENTS=2 NO_RECORD=1 bench/compare-syncrep.sh
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in SCALE CLIENTS THREADS DURATION RUNS WARMUP LEVELS SYSTEMS PG_SHARED_BUFFERS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-syncrep.sh${*:+ $*}"

SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
DURATION=${DURATION:-30}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-10}
LEVELS=${LEVELS:-local remote_write on remote_apply}
SYSTEMS=${SYSTEMS:-walden postgresql}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-256MB}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
PSQL=${PSQL:-$PG_BIN/psql}
DBUSER=bench
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

for s in $SYSTEMS; do
  case $s in walden | postgresql) ;; *) die "SYSTEMS: unknown system '$s'" ;; esac
done
for l in $LEVELS; do
  case $l in local | remote_write | on | remote_apply) ;; *) die "LEVELS: unknown level '$l'" ;; esac
done
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_basebackup" "$PGBENCH" "$PG_ISREADY" "$PSQL" \
  "$repo/walden" "$here/tpcb.sql"; do
  [ -e "$tool" ] || die "$tool not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-syncrep.XXXXXX")
chmod 755 "$work"

declare -A node_dir node_port node_log node_pid node_up
prefix_of() { case $1 in walden) echo w ;; postgresql) echo pg ;; esac; }
kind_of() { case $1 in w-*) echo walden ;; pg-*) echo postgresql ;; esac; }

start_node() { # NAME
  local n=$1 dir=${node_dir[$1]} port=${node_port[$1]} logf=${node_log[$1]}
  local common="-c port=$port -c listen_addresses=127.0.0.1 -c fsync=on"
  [ "${node_up[$n]:-0}" = 1 ] && return 0
  case $(kind_of "$n") in
  postgresql)
    node_up[$n]=1
    # shellcheck disable=SC2086
    as_pg "$PG_BIN/pg_ctl" start -D "$dir" -w -t 120 -l "$logf" \
      -o "$common -c unix_socket_directories=$dir -c shared_buffers=$PG_SHARED_BUFFERS \
          -c wal_level=replica -c max_wal_senders=10 -c cluster_name=$n" \
      >>"$work/pg_ctl.log" 2>&1 || { show_log "$logf"; die "PostgreSQL node $n did not start"; }
    ;;
  walden)
    # shellcheck disable=SC2086
    "$repo/walden" start -D "$dir" $common -c cluster_name="$n" >>"$logf" 2>&1 &
    node_pid[$n]=$!
    node_up[$n]=1
    ;;
  esac
  wait_ready "$port" "node $n" "$logf" "${node_pid[$n]:-}"
}

stop_node() { # NAME
  local n=$1 pid i
  [ "${node_up[$n]:-0}" = 1 ] || return 0
  case $(kind_of "$n") in
  postgresql)
    as_pg "$PG_BIN/pg_ctl" stop -D "${node_dir[$n]}" -m fast -t 60 >>"$work/pg_ctl.log" 2>&1 \
      || log "pg_ctl stop failed for $n"
    ;;
  walden)
    pid=${node_pid[$n]}
    timeout 60 "$repo/walden" stop -D "${node_dir[$n]}" -m fast >>"$work/walden-stop.log" 2>&1 || true
    for i in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && { log "Walden node $n did not stop; killing it"; kill -9 "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
    ;;
  esac
  node_up[$n]=0
}

cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  set +e
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

q() { # PORT SQL
  timeout 60 "$PSQL" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2"
}

# ---------------------------------------------------------------------------- clusters
setup_postgresql() {
  local n
  ensure_bench_user
  for n in pg-p pg-s1 pg-s2; do
    node_dir[$n]=$work/$n node_port[$n]=$(free_port) node_log[$n]=$work/$n.log
    touch "${node_log[$n]}"
    [ "$(id -u)" -eq 0 ] && chown "$BENCH_USER" "${node_log[$n]}"
  done
  pg_owned_dir "${node_dir[pg-p]}"
  as_pg "$PG_BIN/initdb" -D "${node_dir[pg-p]}" -U "$DBUSER" -A trust -E UTF8 --no-locale \
    >"$work/pg-initdb.log" 2>&1 || { cat "$work/pg-initdb.log" >&2; die "initdb failed"; }
  start_node pg-p
  pgb "${node_port[pg-p]}" 1800 -i -q -s "$SCALE" >"$work/init-postgresql.log" 2>&1 \
    || { cat "$work/init-postgresql.log" >&2; die "pgbench -i failed on PostgreSQL"; }
  for n in pg-s1 pg-s2; do
    pg_owned_dir "${node_dir[$n]}"
    as_pg timeout 1800 "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "${node_port[pg-p]}" -U "$DBUSER" \
      -D "${node_dir[$n]}" -R -X stream -c fast >"$work/basebackup-$n.log" 2>&1 \
      || { cat "$work/basebackup-$n.log" >&2; die "pg_basebackup for $n failed"; }
    start_node "$n"
  done
}

setup_walden() {
  local n
  timeout 1800 "$repo/walden" --version >"$work/walden-build.log" 2>&1 \
    || { cat "$work/walden-build.log" >&2; die "could not build or run ./walden"; }
  for n in w-p w-s1 w-s2; do
    node_dir[$n]=$work/$n node_port[$n]=$(free_port) node_log[$n]=$work/$n.log
  done
  timeout 300 "$repo/walden" init -D "${node_dir[w-p]}" -U "$DBUSER" -A trust >"$work/walden-init.log" 2>&1 \
    || { cat "$work/walden-init.log" >&2; die "walden init failed"; }
  start_node w-p
  pgb "${node_port[w-p]}" 1800 -i -q -s "$SCALE" >"$work/init-walden.log" 2>&1 \
    || { cat "$work/init-walden.log" >&2; die "pgbench -i failed on Walden"; }
  stop_node w-p
  for n in w-s1 w-s2; do
    timeout 600 "$repo/walden" clone --source "${node_dir[w-p]}" -D "${node_dir[$n]}" \
      --primary-conninfo "host=127.0.0.1 port=${node_port[w-p]} user=$DBUSER application_name=$n" \
      -c port="${node_port[$n]}" >"$work/clone-$n.log" 2>&1 \
      || { cat "$work/clone-$n.log" >&2; die "walden clone for $n failed"; }
  done
  for n in w-p w-s1 w-s2; do start_node "$n"; done
}

# make_sync SYS: FIRST 1 (s1) through ALTER SYSTEM (a start option would outrank a later reload)
make_sync() {
  local p i st
  p=$(prefix_of "$1")
  # quoted: a '-' is not part of an unquoted name in the grammar (PostgreSQL's too)
  q "${node_port[$p-p]}" "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (\"$p-s1\")'" >/dev/null
  q "${node_port[$p-p]}" "SELECT pg_reload_conf()" >/dev/null
  for i in $(seq 1 600); do
    st=$(q "${node_port[$p-p]}" "SELECT application_name, sync_state FROM pg_stat_replication ORDER BY application_name" 2>/dev/null | paste -sd, || true)
    [ "$st" = "$p-s1|sync,$p-s2|async" ] && { log "$1: $st"; return 0; }
    sleep 0.2
  done
  die "$1: standbys not sync/async after 120 s (pg_stat_replication: $st)"
}

# ---------------------------------------------------------------------------- load
# run_level SYS LEVEL SECONDS TAG -> prints TPS; leaves per-transaction latencies (µs) in
# $work/lat-SYS-LEVEL.txt (appended)
run_level() {
  local sys=$1 level=$2 secs=$3 tag=$4 dir out tps
  dir=$work/run-$tag
  mkdir -p "$dir"
  out=$dir/pgbench.out
  (cd "$dir" && PGOPTIONS="-c synchronous_commit=$level" pgb "${node_port[$(prefix_of "$sys")-p]}" $((secs + 300)) \
    -n -c "$CLIENTS" -j "$THREADS" -T "$secs" -M prepared -f "$here/tpcb.sql" -l >"$out" 2>&1) \
    || { tail -n 20 "$out" >&2; show_log "${node_log[$(prefix_of "$sys")-p]}" 20; die "pgbench failed ($sys, $level)"; }
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out" | head -n 1)
  [ -n "$tps" ] || { cat "$out" >&2; die "could not parse pgbench output"; }
  if [ "$tag" != "${tag#warm}" ]; then rm -rf "$dir"; echo "$tps"; return 0; fi
  cat "$dir"/pgbench_log.* | awk '{print $3}' >>"$work/lat-$sys-$level.txt"
  rm -rf "$dir"
  echo "$tps"
}

# pct FILE P -> the P-th percentile (nearest rank) in ms
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {if (!NR) {print "-"; exit} i=int(NR*p/100+0.999999); if (i<1) i=1; printf "%.2f", a[i]/1000}'; }

# ---------------------------------------------------------------------------- main
log "work dir $work; nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); systems: $SYSTEMS; levels: $LEVELS"
for sys in $SYSTEMS; do "setup_$sys"; make_sync "$sys"; done
if [ "$WARMUP" -gt 0 ]; then
  for sys in $SYSTEMS; do log "warm-up $sys: $(run_level "$sys" on "$WARMUP" "warm-$sys") tps (not counted)"; done
fi
declare -A tps
read -r -a lv <<<"$LEVELS"
for run in $(seq 1 "$RUNS"); do
  for k in $(seq 0 $((${#lv[@]} - 1))); do
    level=${lv[$(((k + run - 1) % ${#lv[@]}))]}
    for sys in $SYSTEMS; do
      t=$(run_level "$sys" "$level" "$DURATION" "$sys-$level-$run")
      tps["$sys|$level"]="${tps["$sys|$level"]:-} $t"
      log "run $run/$RUNS $sys synchronous_commit=$level: $t tps"
    done
  done
done

# ---------------------------------------------------------------------------- report
table="| system | synchronous_commit | TPS (median) | latency p50 ms | latency p99 ms | added p50 ms vs local | added p99 ms vs local | Walden / PostgreSQL TPS |
|---|---|---:|---:|---:|---:|---:|---:|"
declare -A med p50 p99
for sys in $SYSTEMS; do
  for level in $LEVELS; do
    # shellcheck disable=SC2086
    med["$sys|$level"]=$(median ${tps["$sys|$level"]})
    p50["$sys|$level"]=$(pct "$work/lat-$sys-$level.txt" 50)
    p99["$sys|$level"]=$(pct "$work/lat-$sys-$level.txt" 99)
  done
done
added() { if [ -z "${2:-}" ] || [ "$2" = - ] || [ "$1" = - ]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; fi; }
ratio() { if [ -z "${2:-}" ]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; fi; }
goal=""
for level in $LEVELS; do
  for sys in $SYSTEMS; do
    r=-
    if [ "$sys" = walden ] && [ -n "${med["postgresql|$level"]:-}" ]; then r=$(ratio "${med["walden|$level"]}" "${med["postgresql|$level"]}"); fi
    table+=$'\n'"| $sys | $level | $(awk -v v="${med["$sys|$level"]}" 'BEGIN {printf "%.0f", v}') | ${p50["$sys|$level"]} | ${p99["$sys|$level"]} | $(added "${p50["$sys|$level"]}" "${p50["$sys|local"]:-}") | $(added "${p99["$sys|$level"]}" "${p99["$sys|local"]:-}") | $r |"
    if [ "$sys" = walden ] && [ "$level" != local ] && [ "$r" != - ]; then
      goal+=$'\n'"| ≥ 1.5 × PostgreSQL at $level | $r × | $(awk -v r="$r" 'BEGIN {print (r >= 1.5) ? "yes" : "**no**"}') |"
    fi
  done
done
[ -n "$goal" ] && table+=$'\n\n'"| Walden goal | measured | met |
|---|---:|:-:|$goal"
printf '\n%s\n\n' "$table"
all_runs=""
for key in $(printf '%s\n' "${!tps[@]}" | sort); do all_runs+="    $key: tps${tps[$key]}"$'\n'; done
printf 'Every run:\n%s\n' "$all_runs"

[ "${NO_RECORD:-0}" = 1 ] && exit 0
results="$here/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n' >"$results"
{
  printf '\n## Synchronous replication: primary + 1 sync (FIRST 1) + 1 async standby, side by side\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- command: `%s` (commit %s)\n' "$cmdline" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf -- '- machine: nproc %s; load at the end: %s\n' "$(nproc)" "$(uptime | sed 's/^ *//')"
  printf -- '- pgbench %s, bench/tpcb.sql -M prepared, %s clients, %s threads, %s s per run, median of %s runs per level (levels rotate, systems alternate), %s s warm-up, scale %s; latencies from pgbench -l over all runs\n\n' \
    "$("$PGBENCH" --version | awk '{print $3}')" "$CLIENTS" "$THREADS" "$DURATION" "$RUNS" "$WARMUP" "$SCALE"
  printf '%s\n\n' "$table"
  printf 'Every run (TPS, in order):\n\n%s\n' "$all_runs"
} >>"$results"
log "appended to $results"
