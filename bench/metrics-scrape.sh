#!/usr/bin/env bash
# /metrics scrape cost by --channel-metrics mode (all, failing, none) at 10,000 and 100,000 channels: bytes, lines,
# and the scrape's time over HTTP (min and median of RUNS). Generates the channel files once.
# Usage: bench/metrics-scrape.sh [RUNS] [CHANNELS...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shift || true
sizes="${*:-10000 100000}"
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
data=bench-data
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
mkdir -p "$data"
for n in $sizes; do
  channels="$data/channels-$n.yaml"
  if [[ ! -f "$channels" ]]; then
    java -jar "$jar" generate --channels "$n" --days 1 --seed 1 --out /dev/null --config-out "$channels"
  fi
  java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$jar:$benchjar" org.hotlinemonitor.bench.MetricsScrapeBenchmark "$channels" "$runs"
done
