package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.alert.Severity;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The notifier against a real in-process broker and local HTTP receivers: retries, outages, rejects, restarts. */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // bounds on how long things take: run with no other test class beside it (pom.xml)
class NotifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
    private static final HttpClient CLIENT = HttpSink.newClient();
    private static final Instant T0 = Instant.parse("2023-04-10T01:00:00Z");

    private static KafkaClusterTestKit cluster;
    private static String bootstrap;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private String alerts;
    private String rejects;
    private String group;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.startForStreams(Map.of());
        bootstrap = cluster.bootstrapServers();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void topics(TestInfo test) throws Exception {
        String name = test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT);
        alerts = "alerts-" + name;
        rejects = "rejects-" + name;
        group = "n-" + Integer.toHexString(name.hashCode());
        TestCluster.createTopic(cluster, alerts, 3);
        TestCluster.createTopic(cluster, rejects, 1);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    // ---- fixtures ----

    /** A webhook receiver whose 2xx-answered pages are kept, in order; {@code down} makes it answer 503. */
    private static final class Pager implements AutoCloseable {
        final Receiver receiver = new Receiver();
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refusedWhileDown = new AtomicInteger();
        final List<Alert> accepted = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> pageSizes = Collections.synchronizedList(new ArrayList<>());
        final List<Long> arrivalsNanos = Collections.synchronizedList(new ArrayList<>());
        /** When each accepted alert arrived, parallel to {@link #accepted}. */
        final List<Long> acceptedNanos = Collections.synchronizedList(new ArrayList<>());
        volatile java.util.function.Function<Receiver.Request, Receiver.Answer> special = r -> null;

        Pager() throws Exception {
            receiver.answer = (n, request) -> {
                arrivalsNanos.add(System.nanoTime());
                if (down.get()) {
                    refusedWhileDown.incrementAndGet();
                    return Receiver.Answer.status(503);
                }
                Receiver.Answer answer = special.apply(request);
                if (answer != null) {
                    return answer;
                }
                JsonNode body = read(request.body());
                pageSizes.add(body.get("alerts").size());
                long now = System.nanoTime();
                synchronized (accepted) {
                    body.get("alerts").forEach(a -> {
                        accepted.add(AlertCodec.fromJson(a.toString()));
                        acceptedNanos.add(now);
                    });
                }
                return Receiver.Answer.status(200);
            };
        }

        SinkConfig config(String name) {
            return new SinkConfig(name, SinkType.WEBHOOK, receiver.uri("/hook"), new Secret("S", "secret"));
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Notifier notifier(NotifyConfig config, Map<String, Sink> sinks, double random) {
        Notifier n = new Notifier(new Notifier.Settings(bootstrap, alerts, rejects, config), sinks, () -> random);
        n.start();
        closing.add(n);
        return n;
    }

    private NotifyConfig config(boolean grouping, List<SinkConfig> sinks, List<Route> routes) {
        return new NotifyConfig(group, grouping, Duration.ofMillis(200), FAST, sinks, routes);
    }

    private static Route all(String... sinks) {
        return new Route(Set.of(), List.of(), List.of(sinks));
    }

    private static HttpSink http(SinkConfig config) {
        return HttpSink.of(config, CLIENT, Clock.systemUTC());
    }

    private void publish(List<?> values) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Object v : values) {
                if (v instanceof Alert a) {
                    producer.send(new ProducerRecord<>(alerts, a.channel(), AlertCodec.toJson(a)));
                } else {
                    producer.send(new ProducerRecord<>(alerts, "garbage", (String) v));
                }
            }
            producer.flush();
        }
    }

    /** Three outages on each of {@code channels}: DOWN, RESTORED, three times, at instants shared across channels. */
    private static List<Alert> outages(List<String> channels, int count) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant since = T0.plus(Duration.ofDays(2L * i));
            for (String channel : channels) {
                out.add(Alert.channelDown(channel, since, since.plus(Duration.ofHours(8)), 2));
            }
            for (String channel : channels) {
                out.add(Alert.channelRestored(channel, since, since.plus(Duration.ofDays(1)), 3));
            }
        }
        return out;
    }

    private static Map<String, List<String>> byChannel(List<Alert> alerts) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Alert a : alerts) {
            out.computeIfAbsent(a.channel(), c -> new ArrayList<>()).add(a.id());
        }
        return out;
    }

    // ---- tests ----

    @Test
    void aPagerDownForAWhileGetsEveryAlertOnceInOrderPerChannelAndARestartSendsNothingAgain() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        pager.down.set(true);
        NotifyConfig config = config(true, List.of(pager.config("hook")), List.of(all("hook")));
        Notifier first = notifier(config, Map.of("hook", http(config.sink("hook"))), 0.5);

        List<String> channels = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        List<Alert> sent = outages(channels, 3);
        publish(sent);
        TestCluster.await("the pager to refuse 10 attempts", WAIT, () -> pager.refusedWhileDown.get() >= 10);
        assertThat(pager.accepted).isEmpty();
        pager.down.set(false); // the pager is back

        TestCluster.await("every alert delivered", WAIT, () -> pager.accepted.size() >= sent.size());
        assertThat(pager.accepted).hasSameSizeAs(sent).containsExactlyInAnyOrderElementsOf(sent); // nothing lost, nothing doubled
        assertThat(byChannel(pager.accepted)).isEqualTo(byChannel(sent));                     // in order per channel
        assertThat(pager.pageSizes).as("alerts of one evaluation share a page").anyMatch(size -> size > 1);
        // The pager has the last page before the notifier has its answer and counts it.
        TestCluster.await("every delivery counted", WAIT,
                () -> first.deliveries().count("hook", DeliveryCounter.DELIVERED) >= sent.size());
        assertThat(first.deliveries().count("hook", DeliveryCounter.DELIVERED)).isEqualTo(sent.size());
        assertThat(first.deliveries().count("hook", DeliveryCounter.RETRIED)).isGreaterThanOrEqualTo(10);

        // A restart of the notifier (same group) resumes after what was delivered: only the new alert goes out.
        first.close();
        closing.remove(first);
        Alert later = Alert.slotMissed("a", T0.plus(Duration.ofDays(30)), T0.plus(Duration.ofDays(30)).plusSeconds(3600),
                MissCause.NO_ANSWER);
        publish(List.of(later));
        Notifier second = notifier(config, Map.of("hook", http(config.sink("hook"))), 0.5);
        TestCluster.await("the new alert delivered", WAIT, () -> pager.accepted.size() > sent.size());
        TestCluster.await("the second notifier committed", WAIT,
                () -> second.deliveries().count("hook", DeliveryCounter.DELIVERED) == 1);
        assertThat(pager.accepted.subList(sent.size(), pager.accepted.size())).containsExactly(later);
    }

    /**
     * Issue 11's pager outage, on real time with the default backoff and real jitter: the pager answers 503 for 60 s
     * while alerts keep coming; once it is back its whole backlog arrives within 30 s, each alert once, in order per
     * channel, and no wait between two attempts was longer than the backoff's cap.
     */
    @Test
    void aPagerDown60sGetsItsBacklogWithin30sOfRecoveryEachAlertOnceInOrder() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        pager.down.set(true);
        NotifyConfig config = new NotifyConfig(group, true, NotifyConfig.DEFAULT_GROUP_WAIT, Backoff.DEFAULT,
                List.of(pager.config("hook")), List.of(all("hook")));
        Notifier notifier = Notifier.create(new Notifier.Settings(bootstrap, alerts, rejects, config), Clock.systemUTC());
        closing.add(notifier);
        notifier.start();

        Duration outage = Duration.ofSeconds(60);
        List<String> channels = List.of("liaison-office", "east-coast-military", "west-coast-military", "ship-to-ship");
        List<Alert> sent = new ArrayList<>();
        long downSince = System.nanoTime();
        for (int round = 0; round < 12; round++) { // a round of alerts every 5 s of the outage
            List<Alert> alertsOfRound = new ArrayList<>();
            Instant slot = T0.plus(Duration.ofHours(round));
            for (String channel : channels) {
                alertsOfRound.add(Alert.slotMissed(channel, slot, slot.plusSeconds(600), MissCause.NO_ANSWER));
            }
            publish(alertsOfRound);
            sent.addAll(alertsOfRound);
            // The outage is the scenario: its length is real time, not a condition to wait for.
            Thread.sleep(Math.max(0, Duration.ofNanos(downSince + outage.dividedBy(12).multipliedBy(round + 1).toNanos()
                    - System.nanoTime()).toMillis()));
        }
        assertThat(pager.accepted).isEmpty();
        long recoveredAt = System.nanoTime();
        pager.down.set(false); // the pager is back
        int refusedWhileDown = pager.refusedWhileDown.get();

        TestCluster.await("the backlog delivered", WAIT, () -> pager.accepted.size() >= sent.size());
        double firstAfter = (pager.acceptedNanos.get(0) - recoveredAt) / 1e9;
        double allIn = (pager.acceptedNanos.get(pager.acceptedNanos.size() - 1) - recoveredAt) / 1e9;
        int duplicates = pager.accepted.size() - new java.util.HashSet<>(pager.accepted).size();
        long lost = sent.stream().filter(a -> !pager.accepted.contains(a)).count();
        List<Long> attempts = List.copyOf(pager.arrivalsNanos);
        double longestWait = 0;
        for (int i = 1; i < attempts.size(); i++) {
            longestWait = Math.max(longestWait, (attempts.get(i) - attempts.get(i - 1)) / 1e9);
        }
        System.out.printf(java.util.Locale.ROOT, "pager-down: %d s outage, %d alerts, %d attempts refused while down (longest"
                        + " wait between attempts %.1f s), first delivery %.1f s after recovery, all in %.1f s, duplicates %d,"
                        + " lost %d%n", outage.toSeconds(), sent.size(), refusedWhileDown, longestWait, firstAfter, allIn,
                duplicates, lost);

        assertThat(pager.accepted).hasSameSizeAs(sent).containsExactlyInAnyOrderElementsOf(sent); // once each
        assertThat(byChannel(pager.accepted)).isEqualTo(byChannel(sent));                          // in order per channel
        assertThat(firstAfter).as("first delivery after recovery, s").isLessThan(30);
        assertThat(allIn).as("whole backlog after recovery, s").isLessThan(30);
        assertThat(longestWait).as("no wait beyond the 15 s cap (plus the grouping wait and scheduling)")
                .isLessThan(Backoff.DEFAULT.max().toSeconds() + 1.0);
        assertThat(refusedWhileDown).as("the pager was tried all through the outage").isGreaterThanOrEqualTo(5);
        TestCluster.await("every delivery counted", WAIT,
                () -> notifier.deliveries().count("hook", DeliveryCounter.DELIVERED) >= sent.size());
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.DELIVERED)).isEqualTo(sent.size());
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        AtomicInteger calls = new AtomicInteger();
        pager.special = r -> calls.getAndIncrement() == 0
                ? new Receiver.Answer(429, Map.of("Retry-After", "2"), "rate limited") : null;
        NotifyConfig config = new NotifyConfig(group, false, Duration.ZERO, new Backoff(Duration.ofMillis(20), Duration.ofSeconds(5)),
                List.of(pager.config("hook")), List.of(all("hook")));
        // random 0: the jittered backoff alone would retry at once; only Retry-After makes it wait.
        Notifier notifier = notifier(config, Map.of("hook", http(config.sink("hook"))), 0.0);
        Alert down = Alert.channelDown("a", T0, T0.plusSeconds(3600), 2);
        publish(List.of(down));
        TestCluster.await("the alert delivered", WAIT, () -> pager.accepted.size() == 1);
        assertThat(pager.arrivalsNanos).hasSize(2);
        assertThat(Duration.ofNanos(pager.arrivalsNanos.get(1) - pager.arrivalsNanos.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.RETRIED)).isEqualTo(1);
        assertThat(pager.accepted).containsExactly(down);
    }

    @Test
    void eachDeliveredPageReportsItsLatencyFromTheOldestAlertToThe2xx() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        NotifyConfig config = config(true, List.of(pager.config("hook")), List.of(all("hook")));
        Alert down = Alert.channelDown("a", T0, T0.plusSeconds(3600), 2);
        // The notifier's clock reads 4.5 s after the alert became true when the pager takes it.
        Notifier notifier = new Notifier(new Notifier.Settings(bootstrap, alerts, rejects, config),
                Map.of("hook", http(config.sink("hook"))), () -> 0.5, Clock.fixed(down.at().plusMillis(4500), java.time.ZoneOffset.UTC));
        List<String> latencies = Collections.synchronizedList(new ArrayList<>());
        notifier.deliveries().onLatency((sink, latency) -> latencies.add(sink + " " + latency));
        closing.add(notifier);
        notifier.start();
        publish(List.of(down));
        TestCluster.await("the alert delivered", WAIT, () -> pager.accepted.size() == 1);
        TestCluster.await("its latency reported", WAIT, () -> !latencies.isEmpty());
        assertThat(latencies).containsExactly("hook PT4.5S");
    }

    @Test
    void aPermanentRefusalGoesToRejectsWithoutHoldingBackTheRest() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        pager.special = r -> r.text().contains("\"channel\":\"bad-line\"")
                ? new Receiver.Answer(422, Map.of(), "unknown service") : null;
        NotifyConfig config = config(true, List.of(pager.config("hook")), List.of(all("hook")));
        Notifier notifier = notifier(config, Map.of("hook", http(config.sink("hook"))), 0.5);
        Alert goodDown = Alert.channelDown("good-line", T0, T0.plusSeconds(3600), 2);
        Alert badDown = Alert.channelDown("bad-line", T0, T0.plusSeconds(3600), 2);
        Alert goodRestored = Alert.channelRestored("good-line", T0, T0.plusSeconds(7200), 2);
        publish(List.of(goodDown, badDown, goodRestored));

        TestCluster.await("the good line's alerts delivered", WAIT, () -> pager.accepted.size() == 2);
        assertThat(pager.accepted).containsExactly(goodDown, goodRestored);
        TestCluster.await("the refusal on the rejects topic", WAIT, () -> !TestCluster.readAll(bootstrap, rejects).isEmpty());
        List<ConsumerRecord<String, String>> dead = TestCluster.readAll(bootstrap, rejects);
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, String> r = dead.get(0);
        assertThat(r.key()).isEqualTo("bad-line");
        assertThat(r.value()).isEqualTo(AlertCodec.toJson(badDown));
        assertThat(header(r, DeadLetters.REASON)).isEqualTo("sink-rejected");
        assertThat(header(r, "reject.sink")).isEqualTo("hook");
        assertThat(header(r, DeadLetters.MESSAGE)).isEqualTo("sink hook refused the page: HTTP 422: unknown service");
        assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(alerts);
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.REJECTED)).isEqualTo(1);
        assertThat(notifier.rejects().count("sink-rejected")).isEqualTo(1);
    }

    @Test
    void recordsThatAreNotAlertsAreRejectedOnceAndRoutesChooseTheSinks() throws Exception {
        Pager pagerA = new Pager();
        Pager pagerB = new Pager();
        closing.add(pagerA);
        closing.add(pagerB);
        NotifyConfig config = config(false, List.of(pagerA.config("pager"), pagerB.config("chat")),
                List.of(new Route(Set.of(Severity.CRITICAL, Severity.RESOLVE), List.of("liaison-*"), List.of("pager")),
                        all("chat")));
        Notifier notifier = notifier(config, Map.of("pager", http(config.sink("pager")), "chat", http(config.sink("chat"))), 0.5);
        Alert liaisonDown = Alert.channelDown("liaison-office", T0, T0.plusSeconds(3600), 2);
        Alert shipMissed = Alert.slotMissed("ship-to-ship", T0, T0.plusSeconds(3600), MissCause.NO_ANSWER);
        Alert shipDown = Alert.channelDown("ship-to-ship", T0, T0.plusSeconds(7200), 2);
        publish(List.of("not json at all", liaisonDown, "{\"id\":\"x\",\"type\":\"CHANNEL_DOWN\"}", shipMissed, shipDown));

        TestCluster.await("chat gets everything", WAIT, () -> pagerB.accepted.size() == 3);
        TestCluster.await("the pager gets the liaison line's outage", WAIT, () -> pagerA.accepted.size() == 1);
        assertThat(pagerA.accepted).containsExactly(liaisonDown);
        assertThat(byChannel(pagerB.accepted)).isEqualTo(byChannel(List.of(liaisonDown, shipMissed, shipDown)));
        TestCluster.await("two rejects", WAIT, () -> TestCluster.readAll(bootstrap, rejects).size() >= 2);
        List<ConsumerRecord<String, String>> dead = TestCluster.readAll(bootstrap, rejects);
        assertThat(dead).hasSize(2); // once each, though two sinks read them
        assertThat(dead).allSatisfy(r -> assertThat(header(r, DeadLetters.REASON)).isEqualTo("malformed"));
        assertThat(dead).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("not json at all", "{\"id\":\"x\",\"type\":\"CHANNEL_DOWN\"}");
        assertThat(dead).anySatisfy(r -> assertThat(header(r, DeadLetters.FIELD)).isEqualTo("channel"));
        assertThat(notifier.rejects().count("malformed")).isEqualTo(2);
        // and the notifier goes on
        Alert liaisonRestored = Alert.channelRestored("liaison-office", T0, T0.plusSeconds(9000), 3);
        publish(List.of(liaisonRestored));
        TestCluster.await("the restore paged", WAIT, () -> pagerA.accepted.size() == 2);
        notifier.checkAlive();
    }

    /**
     * The pager takes a page so slowly that the worker drops out of its group (past {@code max.poll.interval.ms}), so
     * the commit after it fails and the batch is read again: the alert the pager took is not paged a second time, and
     * the rest is delivered once, in order.
     */
    @Test
    void aBatchReadAgainAfterAFailedCommitDoesNotPageWhatThePagerTookAlready() throws Exception {
        NotifyConfig config = config(false, List.of(new SinkConfig("hook", SinkType.WEBHOOK,
                java.net.URI.create("http://127.0.0.1:9/hook"), new Secret("S", "secret"))), List.of(all("hook")));
        String groupId = config.groupIdOf("hook");
        List<Alert> taken = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean slowed = new AtomicBoolean();
        Sink sink = new Sink() {
            @Override
            public String name() {
                return "hook";
            }

            @Override
            public boolean groupable(Alert alert) {
                return false;
            }

            @Override
            public DeliveryResult send(List<Alert> page) {
                taken.addAll(page);
                if (slowed.compareAndSet(false, true)) {
                    // The pager answers only once the worker has been put out of its group.
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                        TestCluster.await("the worker out of its group", WAIT, () -> {
                            try {
                                return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId)
                                        .members().isEmpty();
                            } catch (Exception e) {
                                return false;
                            }
                        });
                    }
                }
                return new DeliveryResult.Delivered(200);
            }
        };
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant slot = T0.plus(Duration.ofHours(12L * i));
            sent.add(Alert.slotMissed("a", slot, slot.plusSeconds(60), MissCause.NO_ANSWER));
        }
        publish(sent);
        Notifier notifier = new Notifier(new Notifier.Settings(bootstrap, alerts, rejects, config,
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 2000)), Map.of("hook", sink), () -> 0.5);
        notifier.start();
        closing.add(notifier);

        TestCluster.await("every alert delivered and the first one skipped when read again", WAIT,
                () -> notifier.deliveries().count("hook", DeliveryCounter.DELIVERED) >= sent.size()
                        && notifier.deliveries().count("hook", DeliveryCounter.REPEAT_SKIPPED) >= 1);
        assertThat(taken).as("each alert paged once, in order").containsExactlyElementsOf(sent);
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.DELIVERED)).isEqualTo(sent.size());
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.REPEAT_SKIPPED)).isEqualTo(1);
        notifier.checkAlive();
    }

    @Test
    void aSilencedAlertIsNotPagedButCountedAndCommitted() throws Exception {
        Pager pager = new Pager();
        closing.add(pager);
        NotifyConfig config = config(false, List.of(pager.config("hook")), List.of(all("hook")));
        Notifier notifier = new Notifier(new Notifier.Settings(bootstrap, alerts, rejects, config),
                Map.of("hook", http(config.sink("hook"))), () -> 0.5);
        // Maintenance on the liaison line for the first two hours after T0: its SLOT_MISSED (at T0 + 1 h) is silenced,
        // its CHANNEL_DOWN (at T0 + 8 h) and the other line's alert are not.
        notifier.silences(new SilenceStore(List.of(new Silence("maint", List.of("liaison-office"), T0, T0.plusSeconds(7200), null, null))));
        notifier.start();
        closing.add(notifier);
        Alert missed = Alert.slotMissed("liaison-office", T0, T0.plusSeconds(3600), MissCause.NO_ANSWER);
        Alert other = Alert.slotMissed("ship-to-ship", T0, T0.plusSeconds(3600), MissCause.NO_ANSWER);
        Alert down = Alert.channelDown("liaison-office", T0, T0.plusSeconds(8 * 3600), 2);
        publish(List.of(missed, other, down));

        TestCluster.await("the unsilenced alerts delivered", WAIT, () -> pager.accepted.size() == 2);
        assertThat(pager.accepted).containsExactlyInAnyOrder(other, down);
        TestCluster.await("the deliveries counted", WAIT, () -> notifier.deliveries().count("hook", DeliveryCounter.DELIVERED) >= 2);
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.SILENCED)).isEqualTo(1);
        assertThat(notifier.deliveries().count("hook", DeliveryCounter.DELIVERED)).isEqualTo(2);
        // Offsets move past the silenced alert: the group's committed offsets cover all three records.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TestCluster.await("every record committed", WAIT, () -> {
                try {
                    return admin.listConsumerGroupOffsets(group + ".hook").partitionsToOffsetAndMetadata().get().values()
                            .stream().mapToLong(OffsetAndMetadata::offset).sum() == 3;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(TestCluster.readAll(bootstrap, rejects)).isEmpty();
    }

    private static String header(ConsumerRecord<String, String> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
