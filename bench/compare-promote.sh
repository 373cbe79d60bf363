#!/usr/bin/env bash
# Promotion, Walden and PostgreSQL 15 side by side on this machine: how fast a standby takes writes
# after pg_promote(false), and how fast a sibling standby streams the new timeline after it is
# re-pointed at the promoted one.
#
# What it does, $RUNS times per system (alternating the systems run by run, a fresh cluster each
# run, because a promotion happens once):
#   1. builds a primary and two standbys: PostgreSQL 15 (initdb, pgbench -i -s $SCALE,
#      pg_basebackup -R -X stream twice) or Walden (walden init, pgbench -i, fast stop, walden clone
#      twice); fsync=on, synchronous_commit=on, loopback only, each node on a free port;
#   2. creates table promote_probe, runs $LOAD s of pgbench TPC-B (bench/tpcb.sql) on the primary,
#      waits until both standbys have replayed the primary's position, stops the primary (fast);
#   3. promote: org.walden.bench.PromoteProbe (pgjdbc) opens a session on s1, runs
#      `SELECT pg_promote(false)` and then `INSERT INTO promote_probe VALUES (1)` in that session
#      every POLL_MS (1) ms until one commits: the milliseconds from just before pg_promote;
#   4. follow: the same probe on s2 runs `ALTER SYSTEM SET primary_conninfo` to s1 and
#      `pg_reload_conf()`, then polls pg_stat_wal_receiver until it streams on timeline 2: the
#      milliseconds from just before the reload;
#   5. prints the medians (and every run) and appends them, with the command line, nproc and load,
#      to bench/RESULTS.md (NO_RECORD=1 to skip).
# Goals: Walden's promote-to-first-write ≤ 20 ms (PostgreSQL about 60 ms); follow ≤ 1 s.
#
# Settings (environment): RUNS (5) SCALE (1) LOAD (5 s) SYSTEMS ("walden postgresql")
#   PG_BIN (/usr/lib/postgresql/15/bin) BENCH_USER (walden-bench) KEEP_WORK=1 NO_RECORD=1
# Example (smoke run, nothing recorded): RUNS=1 LOAD=1 NO_RECORD=1 bench/compare-promote.sh
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in RUNS SCALE LOAD SYSTEMS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-promote.sh"

RUNS=${RUNS:-5}
SCALE=${SCALE:-1}
LOAD=${LOAD:-5}
SYSTEMS=${SYSTEMS:-walden postgresql}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
PSQL=${PSQL:-$PG_BIN/psql}
DBUSER=bench
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # log die as_pg ensure_bench_user pg_owned_dir free_port show_log wait_ready pgb median

for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_basebackup" "$PGBENCH" "$PSQL" \
  "$repo/walden" "$JDK/bin/java"; do
  [ -e "$tool" ] || die "$tool not found"
done
jdbc=$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | sort | tail -1)
[ -n "$jdbc" ] || die "pgjdbc not found in ~/.m2 (run ./mvnw test-compile once)"
log "compiling the probe"
(cd "$repo" && timeout 900 ./mvnw -B -q -o test-compile >/dev/null) || die "test-compile failed"
probe() { timeout 150 "$JDK/bin/java" -cp "$repo/target/test-classes:$jdbc" org.walden.bench.PromoteProbe "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-promote.XXXXXX")
chmod 755 "$work"
declare -A dir port pid up
q() { timeout 60 "$PSQL" -X -q -A -t -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2"; }

start_node() { # SYS NAME
  local s=$1 n=$2 common
  common="-c port=${port[$2]} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on"
  if [ "$s" = postgresql ]; then
    up[$n]=pg
    # shellcheck disable=SC2086
    as_pg "$PG_BIN/pg_ctl" start -D "${dir[$n]}" -w -t 120 -l "${dir[$n]}.log" \
      -o "$common -c unix_socket_directories=${dir[$n]} -c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=1GB" \
      >>"$work/pg_ctl.log" 2>&1 || { show_log "${dir[$n]}.log"; die "PostgreSQL $n did not start"; }
  else
    # shellcheck disable=SC2086
    "$repo/walden" start -D "${dir[$n]}" $common -c wal_keep_size=1GB >>"${dir[$n]}.log" 2>&1 &
    pid[$n]=$!
    up[$n]=walden
    wait_ready "${port[$n]}" "$n" "${dir[$n]}.log" "${pid[$n]}"
  fi
}

stop_node() { # NAME
  local n=$1 i
  case ${up[$n]:-} in
  pg) as_pg "$PG_BIN/pg_ctl" stop -D "${dir[$n]}" -m fast -t 60 >>"$work/pg_ctl.log" 2>&1 || true ;;
  walden)
    timeout 60 "$repo/walden" stop -D "${dir[$n]}" -m fast >>"$work/walden-stop.log" 2>&1 || true
    for i in $(seq 1 120); do kill -0 "${pid[$n]}" 2>/dev/null || break; sleep 0.25; done
    kill -9 "${pid[$n]}" 2>/dev/null || true
    wait "${pid[$n]}" 2>/dev/null || true
    ;;
  esac
  up[$n]=""
}

cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  set +e
  for n in "${!up[@]}"; do stop_node "$n"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# one_run SYS RUN: builds the cluster, loads it, stops the primary; prints "promote_ms follow_ms"
one_run() {
  local s=$1 r=$2 p=$1-$2-p s1=$1-$2-s1 s2=$1-$2-s2 n
  for n in $p $s1 $s2; do dir[$n]=$work/$n; port[$n]=$(free_port); done
  if [ "$s" = postgresql ]; then
    ensure_bench_user
    pg_owned_dir "${dir[$p]}"
    as_pg "$PG_BIN/initdb" -D "${dir[$p]}" -U "$DBUSER" -A trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1 \
      || die "initdb failed"
    touch "${dir[$p]}.log" "${dir[$s1]}.log" "${dir[$s2]}.log"
    [ "$(id -u)" -eq 0 ] && chown "$BENCH_USER" "${dir[$p]}.log" "${dir[$s1]}.log" "${dir[$s2]}.log"
    start_node "$s" "$p"
    pgb "${port[$p]}" 600 -i -q -s "$SCALE" >"$work/init.log" 2>&1 || die "pgbench -i failed"
    for n in $s1 $s2; do
      pg_owned_dir "${dir[$n]}"
      as_pg timeout 600 "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "${port[$p]}" -U "$DBUSER" \
        -D "${dir[$n]}" -R -X stream -c fast >"$work/basebackup.log" 2>&1 || die "pg_basebackup failed"
      echo "primary_conninfo = 'host=127.0.0.1 port=${port[$p]} user=$DBUSER application_name=$n'" \
        | as_pg tee -a "${dir[$n]}/postgresql.auto.conf" >/dev/null
      start_node "$s" "$n"
    done
  else
    timeout 300 "$repo/walden" init -D "${dir[$p]}" -U "$DBUSER" -A trust >"$work/init.log" 2>&1 || die "walden init failed"
    start_node "$s" "$p"
    pgb "${port[$p]}" 600 -i -q -s "$SCALE" >"$work/init.log" 2>&1 || die "pgbench -i failed"
    stop_node "$p"
    for n in $s1 $s2; do
      timeout 600 "$repo/walden" clone --source "${dir[$p]}" -D "${dir[$n]}" \
        --primary-conninfo "host=127.0.0.1 port=${port[$p]} user=$DBUSER application_name=$n" \
        -c port="${port[$n]}" >"$work/clone.log" 2>&1 || die "walden clone failed"
    done
    start_node "$s" "$p"
    start_node "$s" "$s1"
    start_node "$s" "$s2"
  fi
  q "${port[$p]}" "CREATE TABLE promote_probe (v int)" >/dev/null
  pgb "${port[$p]}" $((LOAD + 60)) -n -M prepared -c 4 -j 2 -T "$LOAD" -f "$here/tpcb.sql" >"$work/load.log" 2>&1 \
    || die "pgbench load failed"
  local target i
  target=$(q "${port[$p]}" "SELECT pg_current_wal_flush_lsn()")
  for n in $s1 $s2; do
    for i in $(seq 1 1200); do
      [ "$(q "${port[$n]}" "SELECT pg_last_wal_replay_lsn() >= '$target'")" = t ] && break
      sleep 0.1
    done
  done
  stop_node "$p"
  local pr fo
  pr=$(probe promote "${port[$s1]}" "$DBUSER") || die "promote probe failed ($s run $r)"
  fo=$(probe follow "${port[$s2]}" "$DBUSER" "host=127.0.0.1 port=${port[$s1]} user=$DBUSER application_name=$s2" 2) \
    || die "follow probe failed ($s run $r)"
  for n in $s1 $s2; do stop_node "$n"; done
  rm -rf "${dir[$p]}" "${dir[$s1]}" "${dir[$s2]}"
  echo "$pr $fo"
}

declare -A promote_ms follow_ms
for r in $(seq 1 "$RUNS"); do
  order=$SYSTEMS
  [ $((r % 2)) -eq 0 ] && order=$(echo "$SYSTEMS" | awk '{for (i = NF; i > 0; i--) printf "%s ", $i}')
  for s in $order; do
    log "$s run $r/$RUNS"
    one_run "$s" "$r" >"$work/result" # in this shell: the EXIT trap must see its nodes
    read -r pr fo <"$work/result"
    log "$s run $r: promote→first write ${pr} ms, follow ${fo} ms"
    promote_ms[$s]+="$pr "
    follow_ms[$s]+="$fo "
  done
done

table=$(
  printf '| system | promote → first write, median ms | runs | follow new timeline, median ms | runs |\n'
  printf '|---|---|---|---|---|\n'
  for s in $SYSTEMS; do
    # shellcheck disable=SC2086
    printf '| %s | %s | %s | %s | %s |\n' "$s" "$(median ${promote_ms[$s]})" "${promote_ms[$s]% }" \
      "$(median ${follow_ms[$s]})" "${follow_ms[$s]% }"
  done
)
echo "$table"
if [ "${NO_RECORD:-0}" != 1 ]; then
  {
    printf '\n## Promotion (%s UTC)\n\n`%s` — nproc %s, load %s\n\n%s\n' "$(date -u '+%Y-%m-%d %H:%M')" \
      "$cmdline" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$table"
  } >>"$here/RESULTS.md"
fi
