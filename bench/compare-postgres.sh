#!/usr/bin/env bash
# Walden and PostgreSQL 15 side by side under pgbench, on this machine, with the same durability
# (fsync on, synchronous_commit on). Every later performance issue extends this harness.
#
# What it does, in order:
#   1. starts a throwaway PostgreSQL 15 (initdb into a temp dir, run as an unprivileged user because
#      postgres refuses root) and a throwaway Walden, each on a free loopback port;
#   2. loads both with `pgbench -i -s $SCALE`, then runs two workloads (the TPC-B script in
#      bench/tpcb.sql and the single keyed UPDATE in bench/update1.sql), each in -M simple and
#      -M prepared, after an unmeasured warm-up of $WARMUP seconds per combination (Walden's JIT
#      compiles for several CPU-seconds at first; without it the first runs measure the compiler), $RUNS times, alternating the two servers run by run so that load from other work
#      on a shared machine falls on both alike; reports the median TPS and average latency;
#   3. measures Walden's heap bytes per pgbench_accounts row after `pgbench -i -s $MEMSCALE`
#      (jcmd GC.run + GC.heap_info, before vs after the load, on a fresh Walden), and the SQL parse
#      time per statement with src/test/java/org/walden/bench/ParseBench.java;
#   4. prints a table and appends it, with the command line, nproc and load, to bench/RESULTS.md.
#
# Settings (environment): SCALE (10) CLIENTS (8) THREADS (2) DURATION (30 s) RUNS (3) WARMUP (10 s)
#   MEMSCALE (50) PARSE_ITERS (200000) PG_SHARED_BUFFERS (256MB) PG_BIN (/usr/lib/postgresql/15/bin)
#   BENCH_USER (walden-bench) WALDEN_JAVA_OPTS (passed to Walden's JVM; empty = JVM defaults)
#   SKIP_MEM=1 / SKIP_PARSE=1 to leave those measurements out; NO_RECORD=1 to not touch RESULTS.md.
# Everything it starts is stopped by the EXIT trap; every client run is bounded by `timeout`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="$(for v in SCALE CLIENTS THREADS DURATION RUNS WARMUP MEMSCALE PARSE_ITERS PG_SHARED_BUFFERS WALDEN_JAVA_OPTS; do
  if [ -n "${!v:-}" ]; then printf "%s=%q " "$v" "${!v}"; fi; done)bench/compare-postgres.sh${*:+ $*}"

SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
RUNS=${RUNS:-3}
MEMSCALE=${MEMSCALE:-50}
PARSE_ITERS=${PARSE_ITERS:-200000}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-256MB}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_USER=${BENCH_USER:-walden-bench}
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
PG_ISREADY=${PG_ISREADY:-$PG_BIN/pg_isready}
DBUSER=bench # superuser name in both clusters (trust authentication, loopback only)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # log die as_pg ensure_bench_user free_port wait_ready pgb median

for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PGBENCH" "$PG_ISREADY" "$JDK/bin/java" "$JDK/bin/jcmd"; do
  [ -x "$tool" ] || die "$tool not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/walden-compare.XXXXXX")
chmod 755 "$work"
pg_data="$work/pg"
walden_data="$work/walden"
walden_mem_data="$work/walden-mem"
walden_pid="" # pid of the background ./walden (the JVM itself: the launcher execs java)
walden_dir="" # data dir of the Walden currently running
pg_started=0

stop_walden() {
  [ -n "$walden_pid" ] || return 0
  "$repo/walden" stop -D "$walden_dir" -m fast >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 60); do
    kill -0 "$walden_pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$walden_pid" 2>/dev/null; then
    log "Walden (pid $walden_pid) did not stop; killing it"
    kill -9 "$walden_pid" 2>/dev/null || true
  fi
  wait "$walden_pid" 2>/dev/null || true
  walden_pid=""
}

stop_pg() {
  [ "$pg_started" -eq 1 ] || return 0
  as_pg "$PG_BIN/pg_ctl" stop -D "$pg_data" -m fast -t 60 >/dev/null 2>&1 || true
  pg_started=0
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_walden
  stop_pg
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------- PostgreSQL
start_pg() {
  ensure_bench_user
  mkdir -p "$pg_data"
  [ "$(id -u)" -eq 0 ] && chown "$BENCH_USER" "$pg_data"
  as_pg "$PG_BIN/initdb" -D "$pg_data" -U "$DBUSER" -A trust -E UTF8 --no-locale >"$work/pg-initdb.log" 2>&1 \
    || { cat "$work/pg-initdb.log" >&2; die "initdb failed"; }
  pg_port=$(free_port)
  # Same durability as Walden: fsync and synchronous_commit on (also PostgreSQL's defaults); the
  # only non-default is shared_buffers, raised from 128MB so the scale's data set fits in memory.
  as_pg "$PG_BIN/pg_ctl" start -D "$pg_data" -w -t 120 -l "$pg_data/server.log" \
    -o "-c port=$pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_data \
        -c fsync=on -c synchronous_commit=on -c shared_buffers=$PG_SHARED_BUFFERS" >/dev/null \
    || { cat "$pg_data/server.log" >&2; die "PostgreSQL did not start"; }
  pg_started=1
  wait_ready "$pg_port" PostgreSQL "$pg_data/server.log"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
}

# ---------------------------------------------------------------------------- Walden
start_walden() { # datadir -> sets walden_port, walden_pid
  walden_dir=$1
  "$repo/walden" init -D "$walden_dir" -U "$DBUSER" -A trust >"$work/walden-init.log" 2>&1 \
    || { cat "$work/walden-init.log" >&2; die "walden init failed"; }
  walden_port=$(free_port)
  "$repo/walden" start -D "$walden_dir" -c port="$walden_port" -c listen_addresses=127.0.0.1 \
    -c synchronous_commit=on -c fsync=on >>"$work/walden.log" 2>&1 &
  walden_pid=$!
  wait_ready "$walden_port" Walden "$work/walden.log" "$walden_pid"
  log "Walden (pid $walden_pid) on 127.0.0.1:$walden_port"
}

# ---------------------------------------------------------------------------- pgbench
# init_db port name: pgbench -i at $SCALE with pgbench's default steps (dtgvp: drop, create tables,
# client-side COPY, vacuum, primary keys) on both systems.
init_db() {
  log "$2: pgbench -i -s $SCALE"
  pgb "$1" 1800 -i -q -s "$SCALE" >"$work/init-$2.log" 2>&1 \
    || { cat "$work/init-$2.log" >&2; die "pgbench -i failed on $2"; }
}

# run_one port script mode [seconds] -> prints "tps latency_ms"
run_one() {
  local out secs=${4:-$DURATION}
  out=$(pgb "$1" $((secs + 120)) -n -c "$CLIENTS" -j "$THREADS" -T "$secs" -M "$3" \
    -f "$here/$2" 2>&1) || { printf '%s\n' "$out" >&2; die "pgbench failed (port $1, $2, -M $3)"; }
  local tps lat
  tps=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
  lat=$(printf '%s\n' "$out" | sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' | head -n 1)
  [ -n "$tps" ] && [ -n "$lat" ] || { printf '%s\n' "$out" >&2; die "could not parse pgbench output"; }
  echo "$tps $lat"
}

# ---------------------------------------------------------------------------- main
log "work dir $work; nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)"
start_pg
start_walden "$walden_data"
init_db "$walden_port" walden
init_db "$pg_port" postgresql

workloads=("tpcb.sql:TPC-B (5 statements + BEGIN/END)" "update1.sql:one UPDATE by key")
modes=(simple prepared)
declare -A tps lat
if [ "$WARMUP" -gt 0 ]; then
  for w in "${workloads[@]}"; do
    for mode in "${modes[@]}"; do
      for port in "$walden_port" "$pg_port"; do
        res=$(run_one "$port" "${w%%:*}" "$mode" "$WARMUP") # a failure here stops the script (set -e)
        t=${res%% *}
        log "warm-up port $port ${w%%:*} -M $mode: $t tps (not counted)"
      done
    done
  done
fi
for run in $(seq 1 "$RUNS"); do
  for w in "${workloads[@]}"; do
    script=${w%%:*}
    for mode in "${modes[@]}"; do
      for sys in walden postgresql; do
        if [ "$sys" = walden ]; then port=$walden_port; else port=$pg_port; fi
        res=$(run_one "$port" "$script" "$mode")
        t=${res%% *} l=${res#* }
        key="$sys|$script|$mode"
        tps[$key]="${tps[$key]:-} $t"
        lat[$key]="${lat[$key]:-} $l"
        log "run $run/$RUNS $sys $script -M $mode: $t tps, $l ms"
      done
    done
  done
done
stop_walden
stop_pg

table="| workload | mode | Walden TPS | PostgreSQL TPS | Walden/PostgreSQL | Walden latency ms | PostgreSQL latency ms | ≥ 1.5× |
|---|---|---:|---:|---:|---:|---:|:-:|"
for w in "${workloads[@]}"; do
  script=${w%%:*}
  label=${w#*:}
  for mode in "${modes[@]}"; do
    # shellcheck disable=SC2086
    wt=$(median ${tps["walden|$script|$mode"]}); pt=$(median ${tps["postgresql|$script|$mode"]})
    # shellcheck disable=SC2086
    wl=$(median ${lat["walden|$script|$mode"]}); pl=$(median ${lat["postgresql|$script|$mode"]})
    ratio=$(awk -v a="$wt" -v b="$pt" 'BEGIN {printf "%.2f", a / b}')
    ok=$(awk -v r="$ratio" 'BEGIN {print (r >= 1.5) ? "yes" : "**no**"}')
    table+=$'\n'"| $label | $mode | $(printf '%.0f' "$wt") | $(printf '%.0f' "$pt") | $ratio | $wl | $pl | $ok |"
  done
done
printf '\n%s\n\n' "$table"

all_runs=""
for key in $(printf '%s\n' "${!tps[@]}" | sort); do
  all_runs+="    $key: tps${tps[$key]}; latency ms${lat[$key]}"$'\n'
done

# ---------------------------------------------------------------------------- heap per row
heap_used_bytes() { # pid -> bytes used by the Java heap after a full GC
  "$JDK/bin/jcmd" "$1" GC.run >/dev/null
  "$JDK/bin/jcmd" "$1" GC.heap_info | awk '
    /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/,$/, "", v);
      n = v + 0; u = v; gsub(/[0-9.]/, "", u);
      m = (u == "K") ? 1024 : (u == "M") ? 1048576 : (u == "G") ? 1073741824 : 1;
      printf "%.0f\n", n * m; exit } }'
}
mem_text="not measured (SKIP_MEM=1)"
if [ "${SKIP_MEM:-0}" != 1 ]; then
  start_walden "$walden_mem_data"
  jvm_pid=$(head -n 1 "$walden_mem_data/postmaster.pid")
  before=$(heap_used_bytes "$jvm_pid")
  log "Walden heap before load: $before bytes; pgbench -i -s $MEMSCALE"
  pgb "$walden_port" 3600 -i -q -s "$MEMSCALE" >"$work/init-mem.log" 2>&1 \
    || { cat "$work/init-mem.log" >&2; die "pgbench -i -s $MEMSCALE failed on Walden"; }
  after=$(heap_used_bytes "$jvm_pid")
  heap_max=$("$JDK/bin/jcmd" "$jvm_pid" VM.flags | tr ' ' '\n' | sed -n 's/^-XX:MaxHeapSize=//p')
  gc=$("$JDK/bin/jcmd" "$jvm_pid" VM.flags | tr ' ' '\n' | sed -n 's/^-XX:+Use\(.*GC\)$/\1/p' | head -n 1)
  rows=$((100000 * MEMSCALE))
  per_row=$(awk -v a="$after" -v b="$before" -v r="$rows" 'BEGIN {printf "%.1f", (a - b) / r}')
  mem_text="$per_row heap bytes per pgbench_accounts row (heap used after full GC: $before bytes before, $after after \`pgbench -i -s $MEMSCALE\`, $rows account rows; the difference also holds the 10×scale tellers and 1×scale branches rows, which are negligible; $gc, MaxHeapSize $heap_max)"
  log "$mem_text"
  stop_walden
fi

# ---------------------------------------------------------------------------- parse time
parse_text="not measured (SKIP_PARSE=1)"
if [ "${SKIP_PARSE:-0}" != 1 ]; then
  log "compiling tests for ParseBench"
  (cd "$repo" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true test-compile >"$work/mvn.log" 2>&1) \
    || { cat "$work/mvn.log" >&2; die "test-compile failed"; }
  log "running ParseBench ($PARSE_ITERS iterations per round)"
  parse_out=$(cd "$repo" && timeout 900 "$JDK/bin/java" -cp target/classes:target/test-classes \
    org.walden.bench.ParseBench "$PARSE_ITERS" | grep -v '^(sink')
  parse_text=$(printf '%s\n' "$parse_out" | sed 's/^/    /')
  printf '%s\n' "$parse_out"
fi

# ---------------------------------------------------------------------------- record
[ "${NO_RECORD:-0}" = 1 ] && exit 0
results="$here/RESULTS.md"
[ -f "$results" ] || printf '# Benchmark results\n' >"$results"
{
  printf '\n## Wire protocol and SQL (issue 3): pgbench side by side\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- command: `%s` (commit %s)\n' "$cmdline" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf -- '- machine: nproc %s; load at the end: %s\n' "$(nproc)" "$(uptime | sed 's/^ *//')"
  printf -- '- pgbench %s, %s clients, %s threads, %s s per run, median of %s runs after a %s s unmeasured warm-up per combination, scale %s, `-n`, both servers alternating run by run, pgbench on the same machine\n' \
    "$("$PGBENCH" --version | awk '{print $3}')" "$CLIENTS" "$THREADS" "$DURATION" "$RUNS" "$WARMUP" "$SCALE"
  printf -- '- PostgreSQL %s: fsync=on, synchronous_commit=on, shared_buffers=%s, everything else default; Walden: fsync=on, synchronous_commit=on, JVM options `%s`\n' \
    "$("$PG_BIN/postgres" --version | awk '{print $3}')" "$PG_SHARED_BUFFERS" "${WALDEN_JAVA_OPTS:-(defaults)}"
  printf -- '- load: `pgbench -i` with its default steps (dtgvp) on both\n\n'
  printf '%s\n\n' "$table"
  printf 'Every measured run (TPS and average latency, runs in order):\n\n%s\n' "$all_runs"
  printf 'Memory: %s\n\n' "$mem_text"
  printf 'SQL parse time per statement (ParseBench, best of 5 rounds of %s parses):\n\n%s\n' "$PARSE_ITERS" "$parse_text"
} >>"$results"
log "appended to $results"
