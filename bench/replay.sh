#!/usr/bin/env bash
# Replay throughput benchmark: generates a log of about 5 million events over 10,000 channels (once),
# then measures, in one JVM, reading+parsing it against a full replay (to alerts and report files),
# and the detector state's size per channel. Usage: bench/replay.sh [RUNS] [DAYS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
days="${2:-125}"
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
data=bench-data
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
mkdir -p "$data"
log="$data/calls-10000x$days.jsonl"
if [[ ! -f "$log" ]]; then
  java -jar "$jar" generate --channels 10000 --days "$days" --seed 1 --out "$log" --config-out "$data/channels-10000.yaml"
fi
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.ReplayBenchmark "$data/channels-10000.yaml" "$log" "$runs" ${BENCH_LATENESS:-PT5M}
