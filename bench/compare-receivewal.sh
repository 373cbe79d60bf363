#!/usr/bin/env bash
# pg_receivewal streaming WAL from Walden and from PostgreSQL 15, side by side on this machine,
# loopback only, with and without --synchronous.
#
# What it does, per system (walden, postgresql), in the same run:
#   1. a primary (PostgreSQL: initdb, wal_level=replica, run as an unprivileged user because
#      postgres refuses root; Walden: `walden init`, `walden start`), fsync=on, trust, free port;
#   2. three physical slots reserving WAL now (`pg_create_physical_replication_slot('keep', true)`,
#      never streamed from, holds the WAL about to be written for every run; `rw_async` and
#      `rw_sync` are the ones pg_receivewal streams through);
#   3. about $WAL_MB MiB of WAL written by INSERT … generate_series batches of $BATCH rows shaped
#      like pgbench_accounts' (TRUNCATE every $TRUNCATE_EVERY batches: Walden keeps rows in memory),
#      one psql per batch; the end position E = pg_current_wal_lsn() afterwards (then a little
#      more WAL: pg_receivewal stops only once it has received WAL past E);
#   4. `pg_receivewal -D <dir> -S rw_async -E E --no-loop` timed from start to exit, the directory
#      holding only a 16 MiB placeholder named after the segment before the fill's first one (so
#      every run starts at the same segment: the slots have moved on after the first run), streaming
#      everything up to E; then the same with `-S rw_sync --synchronous` (an fsync and a flush report
#      after every batch of received data);
#   5. prints MB/s (MiB of WAL between the start segment and E, per second) for each system and
#      mode, $RUNS times each (alternating the systems' order), the median, and appends the table
#      to bench/RESULTS.md (NO_RECORD=1 to skip).
#
# Goal (issue 5): Walden ≥ PostgreSQL (about 400 MB/s without and 210 MB/s with --synchronous).
# Settings (environment): WAL_MB (2048) BATCH (100000) TRUNCATE_EVERY (10) RUNS (3)
#   SYSTEMS ("walden postgresql") PG_BIN (/usr/lib/postgresql/15/bin) BENCH_USER (walden-bench)
#   PG_SHARED_BUFFERS (256MB) NO_RECORD=1 KEEP_WORK=1
# Example (quick check, nothing recorded):
#   WAL_MB=32 RUNS=1 NO_RECORD=1 bench/compare-receivewal.sh
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in WAL_MB BATCH TRUNCATE_EVERY RUNS SYSTEMS PG_SHARED_BUFFERS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-receivewal.sh"

WAL_MB=${WAL_MB:-2048}
BATCH=${BATCH:-100000}
TRUNCATE_EVERY=${TRUNCATE_EVERY:-10}
RUNS=${RUNS:-3}
SYSTEMS=${SYSTEMS:-walden postgresql}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-256MB}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
PSQL=${PSQL:-$PG_BIN/psql}
RECEIVEWAL=${RECEIVEWAL:-$PG_BIN/pg_receivewal}
DBUSER=bench
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # log die as_pg ensure_bench_user pg_owned_dir free_port show_log wait_ready median

for s in $SYSTEMS; do
  case $s in walden | postgresql) ;; *) die "SYSTEMS: unknown system '$s' (walden, postgresql)" ;; esac
done
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$RECEIVEWAL" "$PG_ISREADY" "$PSQL" "$repo/walden"; do
  [ -e "$tool" ] || die "$tool not found"
done
[ "$WAL_MB" -ge 1 ] && [ "$RUNS" -ge 1 ] || die "WAL_MB and RUNS must be ≥ 1"

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-receivewal.XXXXXX")
chmod 755 "$work"
declare -A dir port logf pid up start_lsn end_lsn

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

q() { # PORT SQL
  timeout 600 "$PSQL" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2"
}
lsn() {
  if [[ ${1:-} =~ ^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$ ]]; then echo $(((16#${1%/*} << 32) + 16#${1#*/})); else echo -1; fi
}
us() { echo "${EPOCHREALTIME/./}"; }

start_primary() { # SYS
  local s=$1 common
  dir[$s]=$work/$s
  port[$s]=$(free_port)
  logf[$s]=$work/$s.log
  common="-c port=${port[$s]} -c listen_addresses=127.0.0.1 -c fsync=on -c max_wal_size=4GB"
  case $s in
  postgresql)
    ensure_bench_user
    pg_owned_dir "${dir[$s]}"
    touch "${logf[$s]}"
    [ "$(id -u)" -eq 0 ] && chown "$BENCH_USER" "${logf[$s]}"
    as_pg "$PG_BIN/initdb" -D "${dir[$s]}" -U "$DBUSER" -A trust -E UTF8 --no-locale \
      >"$work/pg-initdb.log" 2>&1 || { cat "$work/pg-initdb.log" >&2; die "initdb failed"; }
    up[$s]=1
    as_pg "$PG_BIN/pg_ctl" start -D "${dir[$s]}" -w -t 120 -l "${logf[$s]}" \
      -o "$common -c unix_socket_directories=${dir[$s]} -c shared_buffers=$PG_SHARED_BUFFERS -c wal_level=replica -c max_wal_senders=10" \
      >>"$work/pg_ctl.log" 2>&1 || { show_log "${logf[$s]}"; die "PostgreSQL did not start"; }
    ;;
  walden)
    timeout 1800 "$repo/walden" --version >"$work/walden-build.log" 2>&1 \
      || { cat "$work/walden-build.log" >&2; die "could not build or run ./walden"; }
    timeout 300 "$repo/walden" init -D "${dir[$s]}" -U "$DBUSER" -A trust >"$work/walden-init.log" 2>&1 \
      || { cat "$work/walden-init.log" >&2; die "walden init failed"; }
    # shellcheck disable=SC2086
    "$repo/walden" start -D "${dir[$s]}" $common >>"${logf[$s]}" 2>&1 &
    pid[$s]=$!
    up[$s]=1
    ;;
  esac
  wait_ready "${port[$s]}" "$s primary" "${logf[$s]}" "${pid[$s]:-}"
}

stop_primary() { # SYS
  local s=$1 i
  [ "${up[$s]:-0}" = 1 ] || return 0
  case $s in
  postgresql) as_pg "$PG_BIN/pg_ctl" stop -D "${dir[$s]}" -m fast -t 60 >>"$work/pg_ctl.log" 2>&1 || true ;;
  walden)
    timeout 60 "$repo/walden" stop -D "${dir[$s]}" -m fast >>"$work/walden-stop.log" 2>&1 || true
    for i in $(seq 1 120); do kill -0 "${pid[$s]}" 2>/dev/null || break; sleep 0.25; done
    kill -0 "${pid[$s]}" 2>/dev/null && kill -9 "${pid[$s]}" 2>/dev/null
    wait "${pid[$s]}" 2>/dev/null || true
    ;;
  esac
  up[$s]=0
}

fill() { # SYS: slots first, then about WAL_MB of WAL
  local s=$1 p=${port[$1]} lo=1 hi n=0 sql cur lsn0 written=0 filler
  local slot
  for slot in keep rw_async rw_sync; do
    q "$p" "SELECT pg_create_physical_replication_slot('$slot', true)" >/dev/null || die "$s: slot $slot"
  done
  start_lsn[$s]=$(q "$p" "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = 'keep'")
  q "$p" "CREATE TABLE fill (aid int PRIMARY KEY, bid int, abalance int, filler char(84))" >/dev/null
  filler=$(printf 'x%.0s' $(seq 1 84))
  lsn0=$(q "$p" "SELECT pg_current_wal_lsn()")
  log "$s: writing about $WAL_MB MiB of WAL from $lsn0 (slots reserve from ${start_lsn[$s]})"
  while [ "$written" -lt $((WAL_MB * 1048576)) ]; do
    hi=$((lo + BATCH - 1))
    sql="INSERT INTO fill SELECT g, 1, 0, '$filler' FROM generate_series($lo, $hi) AS g;"
    n=$((n + 1))
    if [ $((n % TRUNCATE_EVERY)) = 0 ]; then sql+=" TRUNCATE fill;"; hi=0; fi
    cur=$(timeout 600 "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$p" -U "$DBUSER" -d postgres \
      -c "$sql" -c "SELECT pg_current_wal_lsn()" | tail -n 1) || die "$s: fill failed"
    written=$(($(lsn "$cur") - $(lsn "$lsn0")))
    lo=$((hi + 1))
  done
  end_lsn[$s]=$(q "$p" "SELECT pg_current_wal_lsn()")
  # pg_receivewal stops once it has received WAL *past* -E: write a little more
  q "$p" "CREATE TABLE past_the_end (x int)" >/dev/null
  log "$s: WAL now at ${end_lsn[$s]}"
}

# receive SYS MODE -> prints MB/s; MODE async | sync
receive() {
  local s=$1 mode=$2 d t0 t1 slot=rw_async extra="" segstart bytes segno
  [ "$mode" = sync ] && slot=rw_sync extra=--synchronous
  d=$work/recv-$s-$mode
  rm -rf "$d"
  pg_owned_dir "$d"
  # the start: the segment after the newest complete file in the directory (16 MiB segments)
  segno=$(($(lsn "${start_lsn[$s]}") / 16777216))
  if [ "$segno" -ge 1 ]; then
    truncate -s 16M "$d/$(printf '%08X%08X%08X' 1 $(((segno - 1) / 256)) $(((segno - 1) % 256)))"
    [ "$(id -u)" -eq 0 ] && chown -R "$BENCH_USER" "$d"
  fi
  t0=$(us)
  # shellcheck disable=SC2086
  as_pg timeout 3600 "$RECEIVEWAL" -h 127.0.0.1 -p "${port[$s]}" -U "$DBUSER" -D "$d" -S "$slot" \
    -E "${end_lsn[$s]}" --no-loop --no-password $extra >"$work/receivewal-$s-$mode.log" 2>&1 \
    || { cat "$work/receivewal-$s-$mode.log" >&2; die "$s: pg_receivewal ($mode) failed"; }
  t1=$(us)
  segstart=$((segno * 16777216))
  bytes=$(($(lsn "${end_lsn[$s]}") - segstart))
  rm -rf "$d"
  awk -v b="$bytes" -v a="$t0" -v z="$t1" 'BEGIN {printf "%.0f", b / 1048576 / ((z - a) / 1e6)}'
}

log "work dir $work; nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); systems: $SYSTEMS"
for s in $SYSTEMS; do
  start_primary "$s"
  fill "$s"
done
declare -A rate
for run in $(seq 1 "$RUNS"); do
  order=$SYSTEMS
  [ $((run % 2)) = 0 ] && order=$(printf '%s\n' $SYSTEMS | tac | tr '\n' ' ')
  for s in $order; do
    for mode in async sync; do
      r=$(receive "$s" "$mode")
      rate["$s|$mode"]="${rate["$s|$mode"]:-} $r"
      log "run $run/$RUNS $s pg_receivewal ${mode}: $r MB/s"
    done
  done
done
for s in $SYSTEMS; do stop_primary "$s"; done

table="| system | WAL MiB | pg_receivewal MB/s | pg_receivewal --synchronous MB/s |
|---|---:|---:|---:|"
declare -A med
for s in $SYSTEMS; do
  # shellcheck disable=SC2086
  med["$s|async"]=$(median ${rate["$s|async"]}); med["$s|sync"]=$(median ${rate["$s|sync"]})
  table+=$'\n'"| $s | $((($(lsn "${end_lsn[$s]}") - $(lsn "${start_lsn[$s]}")) / 1048576)) | ${med["$s|async"]} | ${med["$s|sync"]} |"
done
if [[ " $SYSTEMS " == *" walden "* && " $SYSTEMS " == *" postgresql "* ]]; then
  yn() { if [ "$(awk "BEGIN {print ($1) ? 1 : 0}")" = 1 ]; then echo yes; else echo "**no**"; fi; }
  table+=$'\n\n'"| Walden goal | measured | met |
|---|---:|:-:|
| pg_receivewal ≥ PostgreSQL | ${med[walden|async]} vs ${med[postgresql|async]} | $(yn "${med[walden|async]} >= ${med[postgresql|async]}") |
| pg_receivewal --synchronous ≥ PostgreSQL | ${med[walden|sync]} vs ${med[postgresql|sync]} | $(yn "${med[walden|sync]} >= ${med[postgresql|sync]}") |"
fi
printf '\n%s\n\n' "$table"
all=""
for key in $(printf '%s\n' "${!rate[@]}" | sort); do all+="    $key: MB/s${rate[$key]}"$'\n'; done
printf 'Every run:\n%s\n' "$all"

[ "${NO_RECORD:-0}" = 1 ] && exit 0
results="$here/RESULTS.md"
{
  printf '\n## pg_receivewal from a slot, side by side\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- command: `%s` (commit %s)\n' "$cmdline" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf -- '- machine: nproc %s; load at the end: %s\n' "$(nproc)" "$(uptime | sed 's/^ *//')"
  printf -- '- pg_receivewal %s, -S slot -E end --no-loop from the first segment of the fill (held by a slot), loopback, fsync=on; median of %s runs\n\n' \
    "$("$RECEIVEWAL" --version | awk '{print $3}')" "$RUNS"
  printf '%s\n\n' "$table"
  printf 'Every run:\n\n%s\n' "$all"
} >>"$results"
log "appended to $results"
