#!/usr/bin/env bash
# What a change of the channels topic costs a running detector task: one task of a detector with CHANNELS channels
# over PARTITIONS partitions (Kafka Streams' test driver, no broker) applies CHANGES schedule changes, one per punctuation.
# Usage: bench/channel-change.sh [CHANNELS] [PARTITIONS] [CHANGES]   (defaults: 1000000 channels, 6 partitions, 5 changes)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
exec java -Xmx3g ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.ChannelChangeBenchmark "${1:-1000000}" "${2:-6}" "${3:-5}"
