package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.hotlinemonitor.app.broker.KafkaSetupException;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.app.detect.CommittedChannel;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code record}: an operator records how a call went; one event to the events topic. */
@Command(name = "record", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Records the outcome of a call an operator placed: produces one event to the events topic and prints it (JSON) on stdout.",
            "The channel is checked against --channels, the slot against the channel's schedule."},
        sortOptions = false)
final class RecordCommand implements Callable<Integer> {

    /** The clock {@code --at} defaults to, and that "in the future" is judged against. */
    static Clock clock = Clock.systemUTC();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:HOTLINE_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers. Default: the environment variable HOTLINE_BOOTSTRAP_SERVERS.")
    String bootstrapServers;

    @picocli.CommandLine.Mixin
    KafkaClientOptions kafkaClient;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = SchedulerService.DEFAULT_TOPIC,
            description = "The events topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--channels", required = true, paramLabel = "FILE", description = "Channel configuration: a YAML or .json file, or a directory of them read as one.")
    Path channels;

    @Option(names = "--channel", required = true, paramLabel = "ID", description = "The channel called.")
    String channel;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nOutcome (exactly one):%n")
    Outcome outcome;

    static final class Outcome {
        @Option(names = "--answered", required = true, description = "The far side answered.")
        boolean answered;

        @Option(names = "--no-answer", required = true, description = "The call rang out.")
        boolean noAnswer;

        @Option(names = "--line-fault", required = true, description = "A technical fault: no tone, a dead line.")
        boolean lineFault;

        EventKind kind() {
            return answered ? EventKind.ANSWERED : noAnswer ? EventKind.NO_ANSWER : EventKind.LINE_FAULT;
        }
    }

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "When it happened (ISO-8601, e.g. 2023-04-07T00:01:10Z or 2023-04-07T09:01:10+09:00). Default: now.")
    Instant at;

    @Option(names = "--slot", paramLabel = "INSTANT",
            description = "The scheduled slot the call was for. Default: the slot whose answer window contains --at; none: unscheduled.")
    Instant slot;

    @Option(names = "--note", paramLabel = "TEXT", description = "Free text, e.g. the reason given for an outage.")
    String note;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "operator",
            description = "Who records it, in the event's source. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--signing-key", paramLabel = "FILE", defaultValue = "${env:HOTLINE_SIGNING_KEY}",
            description = "Sign the event with this key file, for a --source the detector requires to sign "
                    + "(docs/security.md). Env: HOTLINE_SIGNING_KEY. Default: unsigned.")
    Path signingKey;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to wait for the cluster. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:HOTLINE_APPLICATION_ID:-" + DetectorSettings.DEFAULT_APPLICATION_ID + "}",
            description = "The detector's --application-id, whose committed state says whether it would still take the event. "
                    + "Env: HOTLINE_APPLICATION_ID. Default: " + DetectorSettings.DEFAULT_APPLICATION_ID + ".")
    String applicationId;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS)");
        }
        if (timeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least PT2S, was " + timeout);
        }
        MonitorConfig config = ReplayCommand.loadConfig(channels);
        EventSignature signer = signingKey == null ? null : Live.signingKey(signingKey, source);
        Instant now = clock.instant();
        OperatorRecord.Result result;
        try {
            result = OperatorRecord.build(config, channel, outcome.kind(), at != null ? at : now, slot, note, source, now);
        } catch (OperatorRecord.InvalidRecord e) {
            throw new Main.BadInput("--" + e.field() + ": " + e.getMessage());
        }
        result.warnings().forEach(w -> System.err.println("warning: " + w));
        CallEvent event = signer == null ? result.event() : signer.signed(result.event());

        long ms = timeout.toMillis();
        Map<String, Object> overrides = new java.util.HashMap<>(kafkaClient.load(channels).values());
        overrides.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(15_000, ms / 2));
        RecordMetadata written;
        // Kafka's client warns on every attempt to reach a cluster that is not there (two lines every 0.1 to 1 s), and
        // the sink logs an undelivered event: this command says what happened in one line of its own instead.
        try (Quiet quiet = verbose.on ? new Quiet() : Quiet.kafkaClients()) {
            String unchecked = refuseIfLate(event, overrides, now);
            overrides.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
            Map<String, Object> producerConfig = KafkaEventPublisher.producerConfig(bootstrapServers, source, timeout, overrides);
            try (KafkaEventPublisher sink = new KafkaEventPublisher(producerConfig, topic, timeout)) {
                try {
                    written = sink.sendNow(event).get(ms + 1_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw notRecorded(e.getCause(), connected(sink));
                } catch (TimeoutException e) {
                    throw notRecorded(new org.apache.kafka.common.errors.TimeoutException("no answer within " + timeout),
                            connected(sink));
                }
            }
            if (unchecked != null) {
                System.err.println("warning: " + unchecked);
            }
        }
        System.out.println(EventWriter.toJson(event));
        System.out.flush();
        System.err.println("produced to " + topic + " partition " + written.partition() + " at offset " + written.offset());
        return ExitCodes.OK;
    }

    /**
     * Refuses, before anything is written, an event the detector would drop as late: one whose {@code ts} is before
     * its channel's committed watermark, read from the detector's changelog ({@link CommittedChannel}; the same rule
     * as the HTTP API's 409, {@link OperatorRecord#late}). When the changelog cannot be read (no detector has run with
     * the application id, or this principal may not read it) nothing can be said: the event is written, with a warning.
     *
     * @return the warning, to print once the event is written; {@code null} when the check was made
     */
    private String refuseIfLate(CallEvent event, Map<String, Object> overrides, Instant now) {
        Map<String, Object> consumer = new java.util.HashMap<>(overrides);
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        java.util.Optional<ChannelState> state;
        try {
            state = CommittedChannel.read(consumer, applicationId, event.channel(), timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaSetupException("no answer from the Kafka cluster at " + bootstrapServers + " within " + timeout
                    + " (is it running, is the address right?); the call was not recorded", e);
        } catch (org.apache.kafka.common.errors.AuthorizationException e) {
            return "could not read the detector's state to check that it would take the event ("
                    + Topics.detectorChannelChangelog(applicationId) + ": " + e.getMessage() + "; docs/security.md gives the "
                    + "scheduler role read on it); recorded without that check";
        }
        if (state == null) {
            return "no detector has run with application id " + applicationId + " (no topic "
                    + Topics.detectorChannelChangelog(applicationId) + "), so nothing said whether it would take the event; "
                    + "recorded without that check (is --application-id the detector's?)";
        }
        String late = OperatorRecord.late(event, state.map(ChannelState::watermark).orElse(Millis.NONE), now);
        if (late != null) {
            throw new Main.BadInput("--at: " + late + "; the call was not recorded");
        }
        return null;
    }

    /**
     * The one line that says why the event was not produced. Kafka's producer gives up on a cluster it cannot reach
     * and on a topic that does not exist with the same "not present in metadata": whether it ever connected tells the
     * two apart.
     */
    private KafkaSetupException notRecorded(Throwable cause, boolean connected) {
        if (!(cause instanceof org.apache.kafka.common.errors.TimeoutException)) {
            return new KafkaSetupException("could not produce to " + topic + " at " + bootstrapServers + ": "
                    + cause.getMessage() + "; the call was not recorded", cause);
        }
        return new KafkaSetupException(connected
                ? "the Kafka cluster at " + bootstrapServers + " answers, but topic " + topic + " was not found there within "
                        + timeout + " (create it, or start the monitor once: it creates its topics); the call was not recorded"
                : "no answer from the Kafka cluster at " + bootstrapServers + " within " + timeout
                        + " (is it running, is the address right?); the call was not recorded", cause);
    }

    /** Whether the sink's producer ever opened a connection to the cluster (its {@code connection-creation-total}). */
    private static boolean connected(KafkaEventPublisher sink) {
        for (var m : sink.kafkaProducer().metrics().entrySet()) {
            if (m.getKey().name().equals("connection-creation-total") && m.getKey().group().equals("producer-metrics")
                    && m.getValue().metricValue() instanceof Number n && n.doubleValue() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's client loggers turned down to ERROR, and the event sink's off, until closed (then as they were). For a
     * command that reports its own outcome in one line. Does nothing when logging is not Logback.
     */
    static final class Quiet implements AutoCloseable {
        private final java.util.List<Runnable> restore = new java.util.ArrayList<>();

        static Quiet kafkaClients() {
            Quiet q = new Quiet();
            q.set("org.apache.kafka", ch.qos.logback.classic.Level.ERROR);
            q.set(KafkaEventPublisher.class.getName(), ch.qos.logback.classic.Level.OFF);
            return q;
        }

        private void set(String name, ch.qos.logback.classic.Level level) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                ch.qos.logback.classic.Level before = logger.getLevel();
                logger.setLevel(level);
                restore.add(() -> logger.setLevel(before));
            }
        }

        @Override
        public void close() {
            restore.forEach(Runnable::run);
        }
    }
}
