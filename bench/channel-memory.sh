#!/usr/bin/env bash
# Heap per channel (live heap after full GCs): the configuration, and a replay's state at its end, for generated
# channels and one day of their log. Usage: bench/channel-memory.sh [CHANNELS...]   (default: 10000 100000 1000000)
# Each size runs in its own JVM with a 2 GB heap (BENCH_JAVA_OPTS to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
[[ $# -gt 0 ]] || set -- 10000 100000 1000000
for n in "$@"; do
  echo "== $n channels"
  java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$jar:$benchjar" org.hotlinemonitor.bench.ChannelMemoryBenchmark "$n"
done
