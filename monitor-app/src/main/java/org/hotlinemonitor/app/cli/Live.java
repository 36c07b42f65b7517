package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.hotlinemonitor.app.broker.Acls;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.calls.CallScheduler;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.SimulationScript;
import org.hotlinemonitor.app.calls.SimulationScriptLoader;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.detect.DetectorTopology;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.config.KafkaConfigLoader;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The wiring the live commands ({@code run}, {@code demo}, {@code produce}, {@code detect}) share: topics, the
 * detector's and the producer's settings for a clock of a given speed, and loading configuration files.
 */
final class Live {

    private Live() {
    }

    /**
     * The durations that depend on how fast the clock runs. The detector and the producer count them in clock time,
     * while Kafka moves records in real time: with a clock {@code N} times faster, a record that takes 100 ms to
     * reach the detector is {@code N x 100 ms} old by the clock. So with an accelerated clock each is a fixed amount
     * of real time, scaled by the speed; at speed 1 they are the defaults.
     *
     * @param allowedLateness  the detector's (1 s of real time when accelerated)
     * @param backlogThreshold the detector's (2 s of real time when accelerated)
     * @param heartbeatEvery   the producer's (0.5 s of real time when accelerated, so that quiet partitions move)
     * @param lateAfter        the producer's (0.25 s of real time when accelerated: its timer may run
     *                         {@code N x 50 ms} behind)
     */
    record Timing(Duration allowedLateness, Duration backlogThreshold, Duration heartbeatEvery, Duration lateAfter) {

        static Timing forSpeed(long speed) {
            if (speed <= 1) {
                return new Timing(DetectorTopology.DEFAULT_ALLOWED_LATENESS, DetectorTopology.DEFAULT_BACKLOG_THRESHOLD,
                        CallScheduler.Settings.DEFAULT_HEARTBEAT_EVERY, CallScheduler.Settings.DEFAULT_LATE_AFTER);
            }
            return new Timing(atLeast(Duration.ofSeconds(1).multipliedBy(speed), DetectorTopology.DEFAULT_ALLOWED_LATENESS),
                    atLeast(Duration.ofSeconds(2).multipliedBy(speed), DetectorTopology.DEFAULT_BACKLOG_THRESHOLD),
                    atLeast(Duration.ofMillis(500).multipliedBy(speed), CallScheduler.Settings.DEFAULT_HEARTBEAT_EVERY),
                    atLeast(Duration.ofMillis(250).multipliedBy(speed), CallScheduler.Settings.DEFAULT_LATE_AFTER));
        }

        static Timing forClock(Clock clock) {
            return forSpeed(clock instanceof AcceleratedClock a ? a.speed() : 1);
        }

        private static Duration atLeast(Duration d, Duration min) {
            return d.compareTo(min) < 0 ? min : d;
        }
    }

    /** Creates the missing topics (idempotent, safe when several instances start at once). */
    static void ensureTopics(String bootstrapServers, KafkaClientConfig client, KafkaSettings settings) {
        try (Admin admin = Admin.create(client.withBootstrap(bootstrapServers))) {
            Topics.ensureTopics(admin, settings.topicSpecs(), Topics.DEFAULT_TIMEOUT);
        }
    }

    /**
     * The {@code kafka:} section of the configuration file, its {@code broker:} users included (none when
     * {@code file} is null); a bad section is a bad-input error naming file, line and field.
     */
    static KafkaConfigLoader.KafkaSection loadKafka(Path file) {
        try {
            return file == null ? KafkaConfigLoader.KafkaSection.NONE : KafkaConfigLoader.load(file, System::getenv);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid kafka configuration:\n" + e.getMessage(), e);
        }
    }

    /** As {@link #loadKafka}, the client settings only: a client needs none of the broker users' variables. */
    static KafkaConfigLoader.KafkaSection loadKafkaClient(Path file) {
        try {
            return file == null ? KafkaConfigLoader.KafkaSection.NONE : KafkaConfigLoader.loadClient(file, System::getenv);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid kafka configuration:\n" + e.getMessage(), e);
        }
    }

    /**
     * The embedded broker's SASL/SCRAM users and their roles' ACLs, from the {@code kafka:} section's {@code broker:};
     * empty when there is none (the broker stays PLAINTEXT).
     */
    static java.util.Optional<EmbeddedBroker.Security> brokerSecurity(KafkaConfigLoader.KafkaSection section, Topics topics,
                                                                      String detectorApplicationId, String notifyGroupId) {
        return section.broker().map(users -> {
            Map<String, String> passwords = new java.util.LinkedHashMap<>();
            java.util.List<Acls.Grant> grants = new java.util.ArrayList<>();
            users.users().values().forEach(user -> {
                passwords.put(user.name(), user.password().value());
                user.roles().forEach(role -> grants.add(new Acls.Grant(Acls.Role.of(role), "User:" + user.name())));
            });
            return new EmbeddedBroker.Security(users.superUser(), passwords,
                    Acls.forRoles(grants, new Acls.Names(topics, detectorApplicationId, notifyGroupId)));
        });
    }

    static DetectorSettings detectorSettings(String bootstrapServers, KafkaClientConfig client, Topics topics, String applicationId,
                                             Path stateDir, Timing timing) {
        return detectorSettings(bootstrapServers, client, topics, applicationId, stateDir, DetectorSettings.DEFAULT_STREAM_THREADS, timing);
    }

    static DetectorSettings detectorSettings(String bootstrapServers, KafkaClientConfig client, Topics topics, String applicationId,
                                             Path stateDir, int streamThreads, Timing timing) {
        Map<String, String> overrides = new HashMap<>(client.values());
        // Alerts are visible to read_committed readers at each commit: keep it short (exactly-once's default, explicit).
        overrides.put("commit.interval.ms", "100");
        return DetectorSettings.of(bootstrapServers)
                .withApplicationId(applicationId)
                .withStateDir(stateDir)
                .withNumThreads(streamThreads)
                .withTopics(new DetectorTopics(topics.events(), topics.alerts(), topics.rejects()))
                .withAllowedLateness(timing.allowedLateness())
                .withBacklogThreshold(timing.backlogThreshold())
                .withStreamsOverrides(overrides);
    }

    static SchedulerService.Settings producerSettings(String bootstrapServers, KafkaClientConfig client, Topics topics, MonitorConfig config,
                                              String source, PlacerSettings placer, Timing timing) {
        return SchedulerService.Settings.of(bootstrapServers, config, source, placer)
                .withKafka(client.values())
                .withTopic(topics.events())
                .withHeartbeatEvery(timing.heartbeatEvery())
                .withLateAfter(timing.lateAfter());
    }

    /**
     * {@code placer}, its reminders (for the operator placer) naming the {@code record} command that reaches this run's
     * events topic: the program, {@code --bootstrap-servers}, {@code --topic} when it is not the default, the
     * channels file and {@code --kafka-config} as this run was given them.
     */
    static PlacerSettings recordCommand(PlacerSettings placer, String bootstrapServers, String eventsTopic, Path channelsFile,
                                        Path kafkaConfig, String applicationId) {
        if (!(placer instanceof PlacerSettings.Operator)) {
            return placer;
        }
        java.util.List<String> words = new java.util.ArrayList<>(Main.PROGRAM);
        words.addAll(java.util.List.of("record", "--bootstrap-servers", bootstrapServers));
        if (!eventsTopic.equals(SchedulerService.DEFAULT_TOPIC)) {
            words.addAll(java.util.List.of("--topic", eventsTopic));
        }
        words.addAll(java.util.List.of("--channels", channelsFile.toString()));
        if (kafkaConfig != null) {
            words.addAll(java.util.List.of("--kafka-config", kafkaConfig.toString()));
        }
        if (applicationId != null && !applicationId.equals(DetectorSettings.DEFAULT_APPLICATION_ID)) {
            words.addAll(java.util.List.of("--application-id", applicationId)); // whose state says if the event is late
        }
        return new PlacerSettings.Operator(words);
    }

    /** The channel configuration in {@code file}, or a bad-input error listing every problem. */
    static MonitorConfig loadChannels(Path file) {
        return ReplayCommand.loadConfig(file);
    }

    /**
     * The {@code notify:} section of the monitor's configuration file, checked against its channels, with secrets
     * from the environment; empty when there is none. A bad section is a bad-input error naming file, line and field.
     */
    static java.util.Optional<org.hotlinemonitor.core.notify.NotifyConfig> loadNotify(Path file, MonitorConfig config) {
        try {
            return org.hotlinemonitor.core.config.NotifyConfigLoader.load(file, channelIds(config), System::getenv);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid notify configuration:\n" + e.getMessage(), e);
        }
    }

    /**
     * The {@code signing:} section of the monitor's configuration file: the sources that must sign their events, with
     * their keys (key files relative to the file's directory, or environment variables); {@link SigningConfig#NONE}
     * when there is none. A bad section is a bad-input error naming file, line and source, never a key.
     */
    static SigningConfig loadSigning(Path file) {
        try {
            return org.hotlinemonitor.core.config.OperatorConfigLoader.signing(file, System::getenv);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid signing configuration:\n" + e.getMessage(), e);
        }
    }

    /**
     * The signer of {@code source}'s events with the key in {@code file}: the file's text, UTF-8, without its trailing
     * line breaks, at least 32 bytes (docs/security.md). A file that cannot be read or holds too short a key
     * is a bad-input error, which never shows the key.
     */
    static org.hotlinemonitor.core.codec.EventSignature signingKey(Path file, String source) {
        String text;
        try {
            text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new Main.BadInput("cannot read the signing key file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        try {
            return new org.hotlinemonitor.core.codec.EventSignature(source,
                    text.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new Main.BadInput("bad signing key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the channel file says for operators: the HTTP API's access ({@code api:}, empty: reads open, writes
     * refused) and the maintenance windows ({@code silences:}), in the store the API and the notifier share.
     */
    record Operator(java.util.Optional<org.hotlinemonitor.core.config.ApiConfig> api,
                    org.hotlinemonitor.app.notify.SilenceStore silences) {
    }

    static Operator loadOperator(Path file, MonitorConfig config) {
        try {
            return new Operator(org.hotlinemonitor.core.config.OperatorConfigLoader.api(file, System::getenv),
                    new org.hotlinemonitor.app.notify.SilenceStore(
                            org.hotlinemonitor.core.config.OperatorConfigLoader.silences(file, channelIds(config))));
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid api or silences configuration:\n" + e.getMessage(), e);
        }
    }

    /**
     * The HTTP API's tokens, from the {@code api:} section (empty: none, writes disabled); a tokens file is watched from
     * now on. A tokens file that cannot be read or parsed is a bad-input error naming file, line and field; so is a
     * token named like the scheduler ({@code schedulerSource}), whose recorded calls would pass for its own. The
     * caller closes it.
     */
    static java.util.Optional<org.hotlinemonitor.app.http.ApiAccess> apiAccess(Operator operator, String schedulerSource) {
        if (operator.api().isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(org.hotlinemonitor.app.http.ApiAccess.of(operator.api().get(), java.util.Set.of(schedulerSource)));
        } catch (org.hotlinemonitor.app.http.TokenFile.Invalid e) {
            throw new Main.BadInput("invalid API tokens file: " + e.getMessage(), e);
        }
    }

    /** The notifier for {@code config} on the live topics, over HTTP; not started. */
    static org.hotlinemonitor.app.notify.Notifier notifier(String bootstrapServers, KafkaClientConfig client, Topics topics,
                                                           org.hotlinemonitor.core.notify.NotifyConfig config) {
        return org.hotlinemonitor.app.notify.Notifier.create(new org.hotlinemonitor.app.notify.Notifier.Settings(
                bootstrapServers, topics.alerts(), topics.notifyRejects(), config, Map.of(), client.values()), Clock.systemUTC());
    }

    /** A channel configuration bundled in the jar (the demo's). */
    static MonitorConfig loadChannelsResource(String name) {
        try {
            return ConfigLoader.load(name, resource(name));
        } catch (ConfigException e) {
            throw new IllegalStateException("the bundled " + name + " is invalid:\n" + e.getMessage(), e);
        }
    }

    /** The simulated far side's script in {@code file}, checked against the channels; a bad-input error otherwise. */
    static SimulationScript loadScript(Path file, MonitorConfig config) {
        try {
            return SimulationScriptLoader.load(file, channelIds(config));
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid simulation script:\n" + e.getMessage(), e);
        }
    }

    static SimulationScript loadScriptResource(String name, MonitorConfig config) {
        try {
            return SimulationScriptLoader.load(name, resource(name), channelIds(config));
        } catch (ConfigException e) {
            throw new Main.BadInput("the simulation script " + name + " does not fit the channels:\n" + e.getMessage(), e);
        }
    }

    private static java.util.Set<String> channelIds(MonitorConfig config) {
        return config.channels().stream().map(Channel::id).collect(Collectors.toSet());
    }

    private static Reader resource(String name) {
        try (InputStream in = Live.class.getResourceAsStream("/org/hotlinemonitor/app/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /** How long the detector may take to join its group and start its tasks. */
    static final Duration DETECTOR_START_LIMIT = Duration.ofMinutes(2);

    /** Starts the detector and waits until it runs; fails with its error, or when it takes too long. */
    static void startDetector(DetectorService detector) throws InterruptedException {
        detector.start();
        if (!detector.awaitRunning(DETECTOR_START_LIMIT)) {
            checkAlive(detector);
            throw new IllegalStateException("the detector was not running within " + DETECTOR_START_LIMIT.toSeconds() + " s");
        }
    }

    /** Fails with the detector's error if its stream thread died. */
    static void checkAlive(DetectorService detector) {
        if (detector.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR
                || detector.state() == org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR) {
            Throwable cause = detector.failure().orElse(null);
            throw new IllegalStateException("the detector stopped: " + (cause == null ? "unknown error" : cause), cause);
        }
        detector.channelTopic().ifPresent(org.hotlinemonitor.app.detect.ChannelTopic::checkAlive);
    }
}
