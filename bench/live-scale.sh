#!/usr/bin/env bash
# The live monitor at scale: `run` from the shipped jar as a child process with CHANNELS channels whose two daily
# checks spread over the day, every call unanswered, for MINUTES minutes after ready: time to ready, CPU, memory,
# slots judged against the schedule, alert latency, heap after GC, fencing and rebalances in the log.
# Usage: bench/live-scale.sh [CHANNELS] [MINUTES] [run|split|split:K] [RUN_JAVA_OPTS...]   (defaults: 100000 channels, 5 minutes, run)
# split: the split commands (broker, produce, detect) as three processes instead of run; split:K runs K detect
# processes of one application id sharing the partitions.
# BENCH_JAVA_OPTS=-Dbench.histogram=true prints the heap's biggest classes at the end; -Dbench.channelMetrics=none
# (or failing) runs the detector with that --channel-metrics (default all).
set -euo pipefail
cd "$(dirname "$0")/.."
channels="${1:-100000}"
minutes="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.LiveScaleBenchmark "$PWD/$jar" "$channels" "$minutes" "$@"
