package org.hotlinemonitor.app.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.SimulationScript;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.metrics.ChannelMetrics;
import org.hotlinemonitor.core.model.MonitorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The picocli mixins of the live commands ({@code run}, {@code produce}, {@code detect}). */
final class LiveOptions {

    private LiveOptions() {
    }

    /** {@code --channels FILE}, required (or {@code HOTLINE_CHANNELS}): a live monitor never watches example lines by default. */
    static final class Channels {
        @Option(names = "--channels", paramLabel = "FILE", defaultValue = "${env:HOTLINE_CHANNELS}",
                description = "Channel configuration: a YAML or .json file, or a directory of them read as one. Env: HOTLINE_CHANNELS. Required.")
        Path file;

        MonitorConfig load(CommandLine commandLine) {
            if (file == null) {
                throw new CommandLine.ParameterException(commandLine, "missing --channels FILE (or the environment variable HOTLINE_CHANNELS)");
            }
            return Live.loadChannels(file);
        }
    }

    /**
     * The detector's identity, group membership, state and threads: {@code --application-id}, {@code --instance-id},
     * {@code --session-timeout}, {@code --state-dir}, {@code --stream-threads}.
     */
    static final class Detector {
        @Option(names = "--application-id", paramLabel = "ID",
                defaultValue = "${env:HOTLINE_APPLICATION_ID:-" + DetectorSettings.DEFAULT_APPLICATION_ID + "}",
                description = "Kafka Streams application id: detectors with the same id share the partitions. "
                        + "Env: HOTLINE_APPLICATION_ID. Default: " + DetectorSettings.DEFAULT_APPLICATION_ID + ".")
        String applicationId;

        @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:HOTLINE_INSTANCE_ID}",
                description = "This detector's name in its consumer group (Kafka's static membership, group.instance.id): "
                        + "letters, digits, '.', '_', '-'. Unique among the running detectors of one --application-id, and the "
                        + "same across restarts of this one. Env: HOTLINE_INSTANCE_ID. Default: none (dynamic membership).")
        String instanceId;

        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:HOTLINE_STATE_DIR}",
                description = "The detector's local state directory (checkpoints and locks; its stores are in memory, rebuilt from the changelogs at start). "
                        + "Env: HOTLINE_STATE_DIR. Default: DATA_DIR/streams (data/streams).")
        Path stateDir;

        @Option(names = "--stream-threads", paramLabel = "N",
                defaultValue = "${env:HOTLINE_STREAM_THREADS}",
                description = "Kafka Streams threads of this detector; each works whole partitions of the events topic. "
                        + "Env: HOTLINE_STREAM_THREADS. Default: one per core.")
        Integer streamThreads;

        /** The stream threads asked for, or the default. */
        int streamThreads(CommandLine commandLine) {
            if (streamThreads == null) {
                return DetectorSettings.DEFAULT_STREAM_THREADS;
            }
            if (streamThreads < 1) {
                throw new CommandLine.ParameterException(commandLine, "--stream-threads must be at least 1, was " + streamThreads);
            }
            return streamThreads;
        }

        @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "${env:HOTLINE_SESSION_TIMEOUT}",
                description = "How long the consumer group waits for a detector that stopped without leaving it (kill -9, a lost "
                        + "host) before the others take its partitions over (ISO-8601), within the brokers' "
                        + "group.min.session.timeout.ms and group.max.session.timeout.ms; at least PT3S. "
                        + "Env: HOTLINE_SESSION_TIMEOUT. Default: PT6S.")
        Duration sessionTimeout;

        /** The detector's place in its consumer group, as asked; a usage error when Kafka would refuse it. */
        Membership membership(CommandLine commandLine) {
            if (instanceId != null && !instanceId.matches("[a-zA-Z0-9._-]{1,200}")) {
                throw new CommandLine.ParameterException(commandLine, "--instance-id may hold only 1 to 200 letters, digits, "
                        + "'.', '_' and '-', was '" + instanceId + "'");
            }
            if (sessionTimeout != null && sessionTimeout.compareTo(Membership.MIN_SESSION_TIMEOUT) < 0) {
                throw new CommandLine.ParameterException(commandLine, "--session-timeout must be at least "
                        + Membership.MIN_SESSION_TIMEOUT + " (three heartbeats), was " + sessionTimeout);
            }
            return new Membership(instanceId, sessionTimeout == null ? DetectorSettings.SESSION_TIMEOUT : sessionTimeout);
        }

        Path stateDir(Path dataDir) {
            return stateDir != null ? stateDir : dataDir.resolve("streams");
        }

        @Option(names = "--allowed-lateness", paramLabel = "DURATION", defaultValue = "${env:HOTLINE_ALLOWED_LATENESS}",
                description = "How far out of order the detector takes events (ISO-8601, at least PT0S); it delays every "
                        + "alert by as much. For a bulk run over old records (replay's PT5M), not for live use. "
                        + "Env: HOTLINE_ALLOWED_LATENESS. Default: PT0.5S.")
        Duration allowedLateness;

        @Option(names = "--backlog-threshold", paramLabel = "DURATION", defaultValue = "${env:HOTLINE_BACKLOG_THRESHOLD}",
                description = "A record whose Kafka timestamp is further behind the clock than this is part of a backlog, "
                        + "during which only event time moves the detector's watermark (ISO-8601, positive). PT24H for a bulk "
                        + "run over old records, so that a pause in the reading never lets the clock decide their slots. "
                        + "Env: HOTLINE_BACKLOG_THRESHOLD. Default: PT2S.")
        Duration backlogThreshold;

        /**
         * The detector's durations: {@code --allowed-lateness} and {@code --backlog-threshold} when given, else
         * {@link Live.Timing#forClock}'s (the defaults, scaled with an accelerated clock); a usage error naming the
         * option when one is out of range.
         */
        Live.Timing timing(CommandLine commandLine, Clock clock) {
            Live.Timing base = Live.Timing.forClock(clock);
            if (allowedLateness != null && allowedLateness.isNegative()) {
                throw new CommandLine.ParameterException(commandLine, "--allowed-lateness (or HOTLINE_ALLOWED_LATENESS) must "
                        + "not be negative, was " + allowedLateness);
            }
            if (backlogThreshold != null && (backlogThreshold.isNegative() || backlogThreshold.isZero())) {
                throw new CommandLine.ParameterException(commandLine, "--backlog-threshold (or HOTLINE_BACKLOG_THRESHOLD) must "
                        + "be positive, was " + backlogThreshold);
            }
            return new Live.Timing(allowedLateness != null ? allowedLateness : base.allowedLateness(),
                    backlogThreshold != null ? backlogThreshold : base.backlogThreshold(), base.heartbeatEvery(), base.lateAfter());
        }

        @Option(names = "--channel-metrics", paramLabel = "MODE", defaultValue = "${env:HOTLINE_CHANNEL_METRICS}",
                description = "Which channels have per-channel series on /metrics (hotline_channel_*, 26 lines each): "
                        + "all; none; failing (those shown missed or down, checked at each scrape). The counts "
                        + "by state (hotline_channels) are there in every mode. Env: HOTLINE_CHANNEL_METRICS. Default: all.")
        String channelMetrics;

        /** The mode asked for, or {@code all}; a usage error naming the option when it is none of the three. */
        ChannelMetrics channelMetrics(CommandLine commandLine) {
            if (channelMetrics == null || channelMetrics.isBlank()) {
                return ChannelMetrics.ALL;
            }
            try {
                return ChannelMetrics.parse(channelMetrics);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--channel-metrics (or HOTLINE_CHANNEL_METRICS) "
                        + e.getMessage());
            }
        }
    }

    /**
     * {@code --instance-id} ({@code null}: dynamic membership) and {@code --session-timeout}.
     *
     * @param sessionTimeout at least {@link #MIN_SESSION_TIMEOUT}; the brokers refuse one outside their
     *                       {@code group.min.session.timeout.ms} (6 s by default) and {@code group.max.session.timeout.ms}
     */
    record Membership(String instanceId, Duration sessionTimeout) {
        /** Three of the detector's heartbeats: Kafka wants the interval well under the timeout. */
        static final Duration MIN_SESSION_TIMEOUT = DetectorSettings.HEARTBEAT_INTERVAL.multipliedBy(3);

        /** {@code settings} with this instance id and session timeout. */
        DetectorSettings applyTo(DetectorSettings settings) {
            Map<String, String> overrides = new HashMap<>(settings.streamsOverrides());
            overrides.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
            return settings.withInstanceId(instanceId).withStreamsOverrides(overrides);
        }
    }

    /** The scheduler's placer and name: {@code --placer}, {@code --simulation}, {@code --source}. */
    static final class Producer {
        @Option(names = "--placer", paramLabel = "simulated|operator", defaultValue = "${env:HOTLINE_PLACER:-operator}",
                description = "Who places the calls: operator (people, who record outcomes with `record`; the scheduler "
                        + "publishes only heartbeats) or simulated (a scripted far side, for demos and tests). "
                        + "Env: HOTLINE_PLACER. Default: operator.")
        String placer;

        @Option(names = "--simulation", paramLabel = "FILE", defaultValue = "${env:HOTLINE_SIMULATION}",
                description = "The simulated far side's script (YAML, docs/producers.md); only with --placer simulated. "
                        + "Env: HOTLINE_SIMULATION. Default: every call answered within a minute.")
        Path simulation;

        @Option(names = "--source", paramLabel = "NAME", defaultValue = "${env:HOTLINE_SOURCE:-scheduler}",
                description = "This scheduler's name, in its events' source; keep it stable across restarts and unique "
                        + "across instances. Env: HOTLINE_SOURCE. Default: scheduler.")
        String source;

        @Option(names = "--signing-key", paramLabel = "FILE", defaultValue = "${env:HOTLINE_SIGNING_KEY}",
                description = "Sign every event with this key file (the scheduler's --source must be configured to sign in "
                        + "the detector's signing: section; docs/security.md). Env: HOTLINE_SIGNING_KEY. "
                        + "Default: unsigned.")
        Path signingKey;

        /** The signer of this scheduler's events, or {@code null} without {@code --signing-key}. */
        org.hotlinemonitor.core.codec.EventSignature signer() {
            return signingKey == null ? null : Live.signingKey(signingKey, source);
        }

        PlacerSettings placer(CommandLine commandLine, MonitorConfig config) {
            if (!placer.equals("operator") && !placer.equals("simulated")) {
                throw new CommandLine.ParameterException(commandLine, "--placer must be simulated or operator, was '" + placer + "'");
            }
            if (placer.equals("operator")) {
                if (simulation != null) {
                    throw new CommandLine.ParameterException(commandLine, "--simulation needs --placer simulated");
                }
                return new PlacerSettings.Operator();
            }
            return new PlacerSettings.Simulated(simulation == null ? SimulationScript.DEFAULT : Live.loadScript(simulation, config));
        }
    }

    /** Hidden, for tests and trials: an accelerated clock starting in the past. */
    static final class ClockOptions {
        @Option(names = "--clock-start", paramLabel = "INSTANT", hidden = true,
                description = "Start the clock at this instant (in the past) instead of now.")
        Instant start;

        @Option(names = "--clock-speed", paramLabel = "N", hidden = true, defaultValue = "1",
                description = "Run the clock N times faster than real time; needs --clock-start.")
        long speed;

        Clock clock(CommandLine commandLine) {
            if (speed < 1) {
                throw new CommandLine.ParameterException(commandLine, "--clock-speed must be at least 1, was " + speed);
            }
            if (start == null) {
                if (speed > 1) {
                    throw new CommandLine.ParameterException(commandLine, "--clock-speed needs --clock-start in the past: "
                            + "brokers refuse records stamped an hour ahead of their clock");
                }
                return Clock.systemUTC();
            }
            return AcceleratedClock.paused(start, speed); // the command starts it once the detector runs
        }
    }
}
