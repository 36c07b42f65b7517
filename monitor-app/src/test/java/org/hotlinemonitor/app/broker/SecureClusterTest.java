package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.app.cli.Main;
import org.hotlinemonitor.app.detect.BrokerWatch;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.notify.DeliveryResult;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.app.notify.Sink;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.app.replay.LiveMatchesTopicReplayTest;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker in SASL/SCRAM mode with the ACLs of {@link Acls}, and the monitor's real clients, each role
 * with its own user: the scheduler's producer settings write the events, the detector ({@link DetectorService},
 * exactly once, its password through Kafka's {@code FileConfigProvider}) reads them and writes alerts, the
 * {@link Notifier} reads the alerts and delivers them, {@code replay --kafka-config} reads the events back. The broker
 * refuses an event written with the notifier's credentials and an alert written with the scheduler's. The alerts are
 * those of the same log replayed from a file, with no Kafka and no security at all.
 */
@org.junit.jupiter.api.Tag("integration")
class SecureClusterTest {

    static final int PARTITIONS = 3;
    static final Duration LATENESS = Duration.ofMinutes(1);
    static final String APP_ID = "secure-detector";
    static final String NOTIFY_GROUP = "hotline-notify";

    @TempDir
    Path tmp;

    @Test
    void eachRoleWorksWithItsOwnUserAndNoRoleWritesAnothersTopic() throws Exception {
        long t0 = System.nanoTime();
        // A log, as LiveMatchesTopicReplayTest makes it: heartbeats every ten minutes to every partition.
        SyntheticLog log = new SyntheticLog(40, 3, 2, LocalDate.of(2023, 4, 3));
        StringWriter out = new StringWriter();
        log.write(out);
        EventDecoder parser = new JsonEventParser();
        List<String> lines = new ArrayList<>();
        List<CallEvent> events = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            CallEvent e = decode(parser, line);
            if (e.kind() != EventKind.HEARTBEAT || e.ts().toEpochMilli() % 600_000 == 0) {
                events.add(e);
                lines.add(line);
            }
        }
        Instant first = events.get(0).ts();
        Instant newest = events.stream().map(CallEvent::ts).max(Instant::compareTo).orElseThrow();
        Instant end = newest.plus(Duration.ofHours(3));
        Path channels = tmp.resolve("channels.yaml");
        Files.writeString(channels, log.channelsYaml());
        Path logFile = tmp.resolve("events.jsonl");
        Files.write(logFile, lines);

        Topics topics = Topics.DEFAULT;
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : List.of("admin", "scheduler", "detector", "notifier", "replay")) {
            passwords.put(user, user + "-\"pw\\" + user.length()); // a quote and a backslash: escaped in JAAS
        }
        List<Acls.Grant> grants = List.of(new Acls.Grant(Acls.Role.SCHEDULER, "User:scheduler"),
                new Acls.Grant(Acls.Role.DETECTOR, "User:detector"), new Acls.Grant(Acls.Role.NOTIFIER, "User:notifier"),
                new Acls.Grant(Acls.Role.REPLAY, "User:replay"));
        EmbeddedBroker.Security security = new EmbeddedBroker.Security("admin", passwords,
                Acls.forRoles(grants, new Acls.Names(topics, APP_ID, NOTIFY_GROUP)));

        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(tmp.resolve("data"), 0, 0), security)) {
            String bootstrap = broker.bootstrapServers();
            KafkaClientConfig admin = security.clientConfig("admin");
            KafkaClientConfig scheduler = security.clientConfig("scheduler");
            KafkaClientConfig notifier = security.clientConfig("notifier");
            try (Admin a = Admin.create(admin.withBootstrap(bootstrap))) {
                List<NewTopic> created = new ArrayList<>();
                created.add(new NewTopic(topics.events(), PARTITIONS, (short) 1).configs(TestCluster.OLD_RECORDS));
                created.add(new NewTopic(topics.alerts(), 2, (short) 1).configs(TestCluster.OLD_RECORDS));
                created.add(new NewTopic(topics.rejects(), 1, (short) 1).configs(TestCluster.OLD_RECORDS));
                created.add(new NewTopic(topics.notifyRejects(), 1, (short) 1));
                created.add(new NewTopic(topics.silences(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
                a.createTopics(created).all().get(30, TimeUnit.SECONDS);
            }

            // Every command checks the topics at start (Topics.ensureTopics): each role may, with its own user.
            List<TopicSpec> specs = List.of(new TopicSpec(topics.events(), PARTITIONS, java.util.Optional.empty()),
                    new TopicSpec(topics.alerts(), 2, java.util.Optional.empty()), new TopicSpec(topics.rejects(), 1, java.util.Optional.empty()),
                    topics.silencesSpec(java.util.Optional.empty()));
            for (String role : List.of("scheduler", "detector", "notifier", "replay")) {
                try (Admin a = Admin.create(security.clientConfig(role).withBootstrap(bootstrap))) {
                    assertThat(Topics.ensureTopics(a, specs, Duration.ofSeconds(30))).as(role + " checks the topics")
                            .noneMatch(Topics.Ensured::created);
                }
            }

            // The scheduler writes the events with the producer settings it runs with.
            int written = LiveMatchesTopicReplayTest.produce(KafkaEventPublisher.producerConfig(bootstrap, "scheduler", Duration.ofSeconds(30), scheduler.values()),
                    topics.events(), lines, events);

            // Forgeries: an event with the notifier's credentials, an alert with the scheduler's.
            Throwable forgedEvent = refused(notifier, bootstrap, topics.events(), lines.get(1));
            Throwable forgedAlert = refused(scheduler, bootstrap, topics.alerts(), "{\"type\":\"CHANNEL_DOWN\"}");
            assertThat(forgedEvent).as("an event written as the notifier").isInstanceOf(TopicAuthorizationException.class);
            assertThat(forgedAlert).as("an alert written as the scheduler").isInstanceOf(TopicAuthorizationException.class);

            // The detector's password from a file, through Kafka's own config provider: it reaches Kafka Streams'
            // clients and the detector's admin client (BrokerWatch) resolved.
            Path secret = tmp.resolve("detector-secret.properties");
            Files.writeString(secret, "password=" + EmbeddedBroker.jaasEscape(passwords.get("detector")).replace("\\", "\\\\") + "\n");
            Map<String, String> detectorClient = new HashMap<>(Map.of(
                    "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"detector\" password=\"${file:" + secret + ":password}\";",
                    "config.providers", "file",
                    "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"));
            detectorClient.put("commit.interval.ms", "100");
            MutableClock clock = new MutableClock(newest.plusSeconds(30));
            DetectorSettings settings = DetectorSettings.of(bootstrap).withApplicationId(APP_ID)
                    .withStateDir(tmp.resolve("state")).withTopics(new DetectorTopics(topics.events(), topics.alerts(), topics.rejects()))
                    .withAllowedLateness(LATENESS).withStreamsOverrides(detectorClient);

            Path alertsFromTopic = tmp.resolve("replay-topic.jsonl");
            Path alertsFromFile = tmp.resolve("replay-file.jsonl");
            List<String> live = new ArrayList<>();
            List<Alert> paged = Collections.synchronizedList(new ArrayList<>());
            try (DetectorService detector = new DetectorService(settings, log.config(), clock)) {
                detector.start();
                assertThat(detector.awaitRunning(TestCluster.WAIT)).as("the detector runs as User:detector").isTrue();
                awaitConsumed(admin, bootstrap, topics.events());
                clock.set(end.plus(LATENESS));

                // Replay reads the events with its own user, through the command line.
                Path replayConfig = tmp.resolve("replay.properties");
                Files.writeString(replayConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=" + security.clientConfig("replay").values().get("sasl.jaas.config").replace("\\", "\\\\") + "\n");
                assertThat(Main.run("replay", "--channels", channels.toString(), "--no-progress",
                        "--bootstrap-servers", bootstrap, "--kafka-config", replayConfig.toString(), "--topic", topics.events(),
                        "--since", first.toString(), "--until", end.toString(), "--allowed-lateness", LATENESS.toString(),
                        "--alerts-out", alertsFromTopic.toString(), "--report-out", tmp.resolve("report.md").toString(),
                        "--rejects-out", tmp.resolve("rejects.jsonl").toString())).as("replay as User:replay").isZero();
                List<String> replayed = Files.readAllLines(alertsFromTopic);

                TestCluster.await(replayed.size() + " live alerts", TestCluster.WAIT, () -> {
                    live.clear();
                    live.addAll(readCommitted(notifier, bootstrap, topics.alerts()));
                    return live.size() >= replayed.size();
                });
                assertThat(detector.rejects().total()).as("nothing refused by the detector").isZero();

                // The notifier reads the alerts in its group and delivers them.
                Sink sink = new Sink() {
                    @Override
                    public String name() {
                        return "pager";
                    }

                    @Override
                    public boolean groupable(Alert alert) {
                        return false;
                    }

                    @Override
                    public DeliveryResult send(List<Alert> alerts) {
                        paged.addAll(alerts);
                        return new DeliveryResult.Delivered(200);
                    }
                };
                NotifyConfig notifyConfig = new NotifyConfig(NOTIFY_GROUP, false, Duration.ZERO, Backoff.DEFAULT,
                        List.of(new SinkConfig("pager", SinkType.WEBHOOK, URI.create("http://127.0.0.1:9/"), new Secret("S", "s"))),
                        List.of(new Route(Set.of(), List.of(), List.of("pager"))));
                // Its silences reader, as notify starts it (it reads the topic to its end first).
                try (org.hotlinemonitor.app.notify.SilenceTopic silences = org.hotlinemonitor.app.notify.SilenceTopic.start(bootstrap,
                        notifier.values(), topics.silences(), new org.hotlinemonitor.app.notify.SilenceStore(List.of()), Duration.ofSeconds(30));
                     Notifier n = new Notifier(new Notifier.Settings(bootstrap, topics.alerts(), topics.notifyRejects(), notifyConfig,
                        Map.of(), notifier.values()), Map.of("pager", sink), () -> 0.5)) {
                    n.start();
                    TestCluster.await(replayed.size() + " alerts paged", TestCluster.WAIT, () -> paged.size() >= replayed.size());
                    n.checkAlive();
                    silences.checkAlive();
                }
            }

            // Without Kafka and without security: the same log from a file.
            assertThat(Main.run("replay", "--channels", channels.toString(), "--no-progress", "--until", end.toString(),
                    "--allowed-lateness", LATENESS.toString(), "--alerts-out", alertsFromFile.toString(),
                    "--report-out", tmp.resolve("report-file.md").toString(),
                    "--rejects-out", tmp.resolve("rejects-file.jsonl").toString(), logFile.toString())).isZero();
            List<String> reference = Files.readAllLines(alertsFromFile);
            List<String> fromTopic = Files.readAllLines(alertsFromTopic);

            assertThat(reference).as("the log raises alerts").hasSizeGreaterThan(10).anyMatch(l -> l.contains("CHANNEL_DOWN"));
            assertThat(live).as("the secured pipeline's alerts are those of the plain file replay")
                    .containsExactlyInAnyOrderElementsOf(reference);
            assertThat(fromTopic).as("replay from the topic as User:replay").containsExactlyInAnyOrderElementsOf(reference);
            assertThat(paged.stream().map(Alert::id).collect(Collectors.toSet())).as("every alert paged")
                    .hasSize(reference.size());
            System.out.printf("SecureClusterTest: SASL/SCRAM + ACLs, %d events written as scheduler, %d alerts live as detector "
                            + "= %d replayed from the topic as replay = %d replayed from the file without Kafka, %d paged as notifier; "
                            + "refused: event as notifier (%s), alert as scheduler (%s); %.1f s%n",
                    written, live.size(), fromTopic.size(), reference.size(), paged.size(),
                    forgedEvent.getClass().getSimpleName(), forgedAlert.getClass().getSimpleName(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** What the broker answers to a write of {@code value} to {@code topic} as the user of {@code client}. */
    private static Throwable refused(KafkaClientConfig client, String bootstrap, String topic, String value) {
        Map<String, Object> c = client.withBootstrap(bootstrap);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "forged", value)).get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> readCommitted(KafkaClientConfig client, String bootstrap, String topic) {
        return TestCluster.readCommittedValues(client.withBootstrap(bootstrap), topic);
    }

    /** Waits until the detector has committed offsets up to the end of every events partition. */
    private static void awaitConsumed(KafkaClientConfig admin, String bootstrap, String topic) throws Exception {
        try (Admin a = Admin.create(admin.withBootstrap(bootstrap))) {
            TestCluster.awaitConsumed(a, topic, PARTITIONS, APP_ID, TestCluster.WAIT);
        }
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
