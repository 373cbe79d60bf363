#!/usr/bin/env bash
# Base backups, Walden and PostgreSQL 15 side by side on this machine: the real pg_basebackup
# (plain format, -X stream, -c fast, --no-sync, no slot: Walden has no slots yet) of the same
# pgbench database, scale by scale, from a running primary of each system, loopback only.
#
# What it does, in order, for each scale in $SCALES:
#   1. builds both primaries: PostgreSQL 15 (initdb, run as an unprivileged user because postgres
#      refuses root, wal_level=replica) and Walden (`walden init`, start), each on its own free
#      loopback port; `pgbench -i -s SCALE` on each, then (PostgreSQL only) a CHECKPOINT;
#   2. $RUNS times, the systems taking turns (so load from other work on a shared machine falls on
#      both alike): `pg_basebackup -D NEW -X stream --no-slot -c fast --no-sync` into a fresh
#      directory; wall-clock seconds (from the command's start to its exit) and the bytes of the
#      result (`du -sb`); each copy is removed before the next run;
#   3. prints the median seconds, the bytes, and MB/s (bytes / median seconds) per system and scale,
#      and appends them, with the command line, nproc and load, to bench/RESULTS.md (NO_RECORD=1 to
#      skip).
#
# Goal it reports on: Walden takes less time than PostgreSQL for the same data (PostgreSQL: about
# 2 s for scale 10 and 3.6 s for scale 50 here).
#
# Settings (environment): SCALES ("10 50") RUNS (3) SYSTEMS ("walden postgresql")
#   PG_SHARED_BUFFERS (256MB) PG_BIN (/usr/lib/postgresql/15/bin) BENCH_USER (walden-bench)
#   WALDEN_JAVA_OPTS (passed to Walden's JVM) NO_RECORD=1 KEEP_WORK=1 (keep the scratch directory).
# Example (smoke check, nothing recorded): SCALES=1 RUNS=1 NO_RECORD=1 bench/compare-basebackup.sh
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in SCALES RUNS SYSTEMS PG_SHARED_BUFFERS WALDEN_JAVA_OPTS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-basebackup.sh${*:+ $*}"

SCALES=${SCALES:-10 50}
RUNS=${RUNS:-3}
SYSTEMS=${SYSTEMS:-walden postgresql}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-256MB}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
PSQL=${PSQL:-$PG_BIN/psql}
DBUSER=bench
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # log die as_pg ensure_bench_user pg_owned_dir free_port show_log wait_ready pgb median

for s in $SYSTEMS; do
  case $s in walden | postgresql) ;; *) die "SYSTEMS: unknown system '$s' (walden, postgresql)" ;; esac
done
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_basebackup" "$PGBENCH" "$PG_ISREADY" "$PSQL" "$repo/walden"; do
  [ -e "$tool" ] || die "$tool not found"
done
[ "$RUNS" -ge 1 ] || die "RUNS must be ≥ 1"
ensure_bench_user

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-bb.XXXXXX")
chmod 755 "$work"
declare -A port dir logf pid up

start_primary() { # SYS
  local s=$1
  case $s in
  postgresql)
    up[$s]=1
    as_pg "$PG_BIN/pg_ctl" start -D "${dir[$s]}" -w -t 120 -l "${logf[$s]}" \
      -o "-c port=${port[$s]} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir[$s]} \
          -c shared_buffers=$PG_SHARED_BUFFERS -c wal_level=replica -c max_wal_senders=10" \
      >>"$work/pg_ctl.log" 2>&1 || { show_log "${logf[$s]}"; die "PostgreSQL did not start"; }
    ;;
  walden)
    # shellcheck disable=SC2086
    "$repo/walden" start -D "${dir[$s]}" -c port="${port[$s]}" -c listen_addresses=127.0.0.1 >>"${logf[$s]}" 2>&1 &
    pid[$s]=$!
    up[$s]=1
    wait_ready "${port[$s]}" "Walden" "${logf[$s]}" "${pid[$s]}"
    ;;
  esac
}

stop_primary() { # SYS
  local s=$1 i
  [ "${up[$s]:-0}" = 1 ] || return 0
  case $s in
  postgresql) as_pg "$PG_BIN/pg_ctl" stop -D "${dir[$s]}" -m fast -t 60 >>"$work/pg_ctl.log" 2>&1 || true ;;
  walden)
    timeout 60 "$repo/walden" stop -D "${dir[$s]}" -m fast >>"$work/walden-stop.log" 2>&1 || true
    for i in $(seq 1 120); do
      kill -0 "${pid[$s]}" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "${pid[$s]}" 2>/dev/null || true
    wait "${pid[$s]}" 2>/dev/null || true
    ;;
  esac
  up[$s]=0
}

cleanup() {
  local rc=$? s
  trap - EXIT INT TERM
  set +e
  for s in "${!up[@]}"; do stop_primary "$s"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

q() { timeout 600 "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2"; }

declare -A secs bytes
for scale in $SCALES; do
  for s in $SYSTEMS; do
    dir[$s]=$work/$s-$scale
    pg_owned_dir "$work/logs" # the PostgreSQL server writes its log as the unprivileged user
    logf[$s]=$work/logs/$s-$scale.log
    port[$s]=$(free_port)
    case $s in
    postgresql)
      pg_owned_dir "${dir[$s]}"
      as_pg "$PG_BIN/initdb" -D "${dir[$s]}" -U "$DBUSER" -A trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1 \
        || { cat "$work/initdb.log" >&2; die "initdb failed"; }
      ;;
    walden)
      timeout 300 "$repo/walden" init -D "${dir[$s]}" -U "$DBUSER" -A trust >"$work/walden-init.log" 2>&1 \
        || { cat "$work/walden-init.log" >&2; die "walden init failed"; }
      ;;
    esac
    start_primary "$s"
    log "$s: pgbench -i -s $scale"
    pgb "${port[$s]}" 1800 -i -q -s "$scale" >"$work/$s-init-$scale.log" 2>&1 || { tail "$work/$s-init-$scale.log" >&2; die "$s: pgbench -i failed"; }
    # PostgreSQL: flush pgbench -i's dirty buffers now, so -c fast inside the timed run costs what a
    # quiet server's checkpoint costs. Walden has no CHECKPOINT command; its backup checkpoint writes
    # the table snapshot in every run (that cost is part of its figure).
    if [ "$s" = postgresql ]; then q "${port[$s]}" "CHECKPOINT" >/dev/null; fi
  done
  for run in $(seq 1 "$RUNS"); do
    for s in $SYSTEMS; do
      pg_owned_dir "$work/copies" # pg_basebackup runs as the unprivileged user
      target=$work/copies/$s
      rm -rf "$target"
      t0=${EPOCHREALTIME/./}
      as_pg timeout 1800 "$PG_BIN/pg_basebackup" -d "host=127.0.0.1 port=${port[$s]} user=$DBUSER" \
        -D "$target" -X stream --no-slot -c fast --no-sync >"$work/bb-$s.log" 2>&1 \
        || { cat "$work/bb-$s.log" >&2; die "$s: pg_basebackup failed"; }
      t1=${EPOCHREALTIME/./}
      sec=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e6}')
      b=$(du -sb "$target" | awk '{print $1}')
      secs[$s-$scale]+=" $sec"
      bytes[$s-$scale]=$b
      log "$s scale $scale run $run: ${sec} s, $b bytes"
      rm -rf "$target"
    done
  done
  for s in $SYSTEMS; do stop_primary "$s"; rm -rf "${dir[$s]}"; done
done

table="| system | scale | seconds (median of $RUNS) | bytes | MB/s |"$'\n'"|---|---|---|---|---|"
for scale in $SCALES; do
  for s in $SYSTEMS; do
    # shellcheck disable=SC2086
    m=$(median ${secs[$s-$scale]})
    mbs=$(awk -v b="${bytes[$s-$scale]}" -v t="$m" 'BEGIN {printf "%.0f", b / 1048576 / (t > 0 ? t : 1e-9)}')
    table+=$'\n'"| $s | $scale | $m | ${bytes[$s-$scale]} | $mbs |"
  done
done
printf '\n%s\n\n' "$table"

[ "${NO_RECORD:-0}" = 1 ] && exit 0
results="$here/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n' >"$results"
{
  printf '\n## Base backup: pg_basebackup -X stream from a running primary, side by side\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- command: `%s` (commit %s)\n' "$cmdline" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf -- '- machine: nproc %s; load at the end: %s\n' "$(nproc)" "$(uptime | sed 's/^ *//')"
  printf -- '- pg_basebackup %s -Fp -X stream --no-slot -c fast --no-sync; bytes = du -sb of the copy; PostgreSQL shared_buffers=%s; Walden JVM options `%s`\n\n' \
    "$("$PG_BIN/pg_basebackup" --version | awk '{print $3}')" "$PG_SHARED_BUFFERS" "${WALDEN_JAVA_OPTS:-(defaults)}"
  printf '%s\n' "$table"
} >>"$results"
log "appended to $results"
