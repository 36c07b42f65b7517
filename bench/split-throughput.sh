#!/usr/bin/env bash
# Topic replay with K detector instances: the shipped jar's `broker` as its own process and the generated log of
# CHANNELS channels over DAYS days; for each K in INSTANCES, K `detect` processes of one fresh application id
# (--allowed-lateness PT5M --backlog-threshold PT24H, --channel-metrics failing) start on an events topic of their
# own (6 partitions), the log is loaded into it once their group settles, and they read it until their committed
# offsets reach the end of every partition: records/s, CPU, each instance's peak RSS and heap after a full GC, and
# their alerts against a replay of the same log.
# Usage: bench/split-throughput.sh [CHANNELS] [DAYS] [INSTANCES...]   (defaults: 1000000 channels, 1 day, 1 2 3)
# BENCH_JAVA_OPTS: the benchmark's own JVM (default -Xmx4g); there, -Dbench.detectOpts='-Xmx3g' (each detector's
# JVM options), -Dbench.brokerOpts='-Xmx1g', -Dbench.channelMetrics=failing, -Dbench.partitions=6, and
# -Dbench.preloaded=true to launch the detectors on the loaded topic instead of loading it once their group settles.
set -euo pipefail
cd "$(dirname "$0")/.."
channels="${1:-1000000}"
days="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
instances=("$@")
[[ ${#instances[@]} -gt 0 ]] || instances=(1 2 3)
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
data=bench-data
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
mkdir -p "$data"
log="$data/calls-${channels}x$days.jsonl"
config="$data/channels-$channels.json"  # JSON: read much faster than YAML at a million channels
if [[ ! -f "$log" || ! -f "$config" ]]; then
  java -jar "$jar" generate --channels "$channels" --days "$days" --seed 1 --out "$log" --config-out "$config"
fi
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -cp "$jar:$benchjar" org.hotlinemonitor.bench.SplitThroughputBenchmark \
  "$PWD/$jar" "$PWD/$config" "$PWD/$log" "${instances[@]}"
