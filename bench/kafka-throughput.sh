#!/usr/bin/env bash
# Kafka throughput benchmark: loads the generated log of about 5 million events over 10,000 channels into the
# events topic of an embedded broker, then, in one JVM and RUNS times, reads it with Kafka's ConsumerPerformance
# and with the detector (exactly_once_v2), and prints both rates and their ratio; last, the detector's alerts
# against replay's. Usage: bench/kafka-throughput.sh [RUNS] [DAYS] [PARTITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
days="${2:-125}"
partitions="${3:-6}"
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
data=bench-data
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
mkdir -p "$data"
log="$data/calls-10000x$days.jsonl"
if [[ ! -f "$log" ]]; then
  java -jar "$jar" generate --channels 10000 --days "$days" --seed 1 --out "$log" --config-out "$data/channels-10000.yaml"
fi
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.KafkaThroughputBenchmark "$data/channels-10000.yaml" "$log" "$runs" "$partitions"
