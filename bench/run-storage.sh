#!/usr/bin/env bash
# Storage-core benchmarks (issue 2): commit throughput, crash-recovery replay speed, heap per row.
# Usage: bench/run-storage.sh [commit|replay|memory|all] (default all)
# Environment: SECONDS_PER_RUN (commit bench, default 20), WAL_MB (replay, default 1024),
#   BENCH_DIR (scratch directory, default /work/bench-tmp; deleted afterwards).
# Prints results to stdout; nothing is asserted. Other processes on the machine skew the numbers:
# note `uptime` alongside them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
. bin/find-java.sh
walden_find_java
java="$JAVA_HOME/bin/java"
what=${1:-all}
secs=${SECONDS_PER_RUN:-20}
wal_mb=${WAL_MB:-1024}
scratch=${BENCH_DIR:-/work/bench-tmp}

./mvnw -q -B -DskipTests test-compile
cpfile=target/bench-classpath.txt
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$cpfile")"

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) CPUs, $("$java" -version 2>&1 | head -n 1)"
echo "== uptime: $(uptime)"
df -h "$(dirname "$scratch")" | tail -n 1 | awk '{print "== disk: " $4 " free of " $2 " on " $1}'

run() { # name, java args...
  local name=$1; shift
  echo "== $name: java $*"
  "$java" -cp "$cp" "$@"
  echo "== after $name, uptime: $(uptime)"
}

case $what in
  commit|all) run commit -Xmx2g org.walden.bench.CommitBench "$scratch/commit" "$secs" 1 8 32 ;;&
  replay|all) run replay -Xmx4g org.walden.bench.ReplayBench "$scratch/replay" "$wal_mb" 1000000 3 -Xmx4g ;;&
  memory|all) run memory -Xmx8g org.walden.bench.MemoryBench "$scratch/memory" 5000000 ;;
  commit|replay) ;;
  *) echo "usage: $0 [commit|replay|memory|all]" >&2; exit 2 ;;
esac
rmdir "$scratch" 2>/dev/null || true
