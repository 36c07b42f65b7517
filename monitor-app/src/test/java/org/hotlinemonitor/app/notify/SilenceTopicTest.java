package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
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
import org.junit.jupiter.api.Test;

/**
 * Issue 11's lost silences, on a real in-process broker: API silences written to the compacted silences topic
 * survive a restart (a new store reading the topic keeps the pagers quiet in the window) and are shared by the
 * instances that run at once.
 */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // bounds on how long things take: run with no other test class beside it (pom.xml)
class SilenceTopicTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2023-04-10T01:00:00Z");
    private static final Instant CREATED = Instant.parse("2023-04-10T00:55:00Z");

    private static KafkaClusterTestKit cluster;
    private static String bootstrap;

    private final List<AutoCloseable> closing = new ArrayList<>();

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

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** Creates {@code name} as run does ({@link Topics#silencesSpec}) and checks it is compacted. */
    private static void createSilencesTopic(String name) throws Exception {
        Topics topics = new Topics("e-" + name, "a-" + name, "r-" + name, "n-" + name, name);
        try (Admin admin = cluster.admin()) {
            assertThat(Topics.ensureTopics(admin, List.of(topics.silencesSpec(Optional.of((short) 1))), Topics.DEFAULT_TIMEOUT))
                    .singleElement().satisfies(e -> assertThat(e.created()).isTrue());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private SilenceTopic instance(String topic, SilenceStore store) {
        SilenceTopic t = SilenceTopic.start(bootstrap, Map.of(), topic, store, SilenceTopic.LOAD_LIMIT);
        closing.add(t);
        return t;
    }

    private static Silence maintenance(String id, Instant from, Instant to) {
        return new Silence(id, List.of("liaison-office"), from, to, null, "line maintenance");
    }

    @Test
    void silencesSurviveARestartAndKeepThePagersQuietInTheirWindow() throws Exception {
        String topic = "silences-restart";
        createSilencesTopic(topic);
        Silence maint = maintenance("maint", T0, T0.plus(Duration.ofHours(2)));
        Silence removed = maintenance("removed", T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(4)));

        // Instance 1: silences through the store's Kafka-backed writer (what the API calls), then it stops.
        SilenceStore firstStore = new SilenceStore(List.of());
        try (SilenceTopic first = SilenceTopic.start(bootstrap, Map.of(), topic, firstStore, SilenceTopic.LOAD_LIMIT)) {
            assertThat(firstStore.add(maint, "ops-kim", CREATED)).isEqualTo(SilenceStore.Addition.ADDED);
            assertThat(firstStore.add(removed, "ops-lee", CREATED)).isEqualTo(SilenceStore.Addition.ADDED);
            assertThat(firstStore.remove("removed")).isEqualTo(SilenceStore.Removal.REMOVED);
            assertThat(first.malformed()).isZero();
        }

        // Instance 2 starts: a new store, from the file's silences (none) and the topic, read before it delivers.
        String alerts = "alerts-silences-restart";
        String rejects = "rejects-silences-restart";
        TestCluster.createTopic(cluster, alerts, 3);
        TestCluster.createTopic(cluster, rejects, 1);
        SilenceStore secondStore = new SilenceStore(List.of());
        long loading = System.nanoTime();
        SilenceTopic second = instance(topic, secondStore);
        long loadMs = Duration.ofNanos(System.nanoTime() - loading).toMillis();
        assertThat(secondStore.entries()).as("the silence, its creator and reason; not the removed one")
                .containsExactly(SilenceStore.Entry.api(maint, "ops-kim", CREATED));
        assertThat(secondStore.entries().get(0).silence().comment()).isEqualTo("line maintenance");

        Receiver pager = new Receiver();
        closing.add(pager);
        List<Alert> paged = Collections.synchronizedList(new ArrayList<>());
        pager.answer = (n, request) -> {
            readTree(request.body()).get("alerts").forEach(a -> paged.add(AlertCodec.fromJson(a.toString())));
            return Receiver.Answer.status(200);
        };
        SinkConfig hook = new SinkConfig("hook", SinkType.WEBHOOK, pager.uri("/hook"), new Secret("S", "secret"));
        NotifyConfig config = new NotifyConfig("n-silences", false, Duration.ZERO, Backoff.DEFAULT, List.of(hook),
                List.of(new Route(Set.of(), List.of(), List.of("hook"))));
        HttpClient client = HttpSink.newClient();
        Notifier notifier = new Notifier(new Notifier.Settings(bootstrap, alerts, rejects, config),
                Map.of("hook", HttpSink.of(hook, client, Clock.systemUTC())), () -> 0.5);
        notifier.silences(secondStore);
        notifier.start();
        closing.add(notifier);

        // The five pages inside the maintenance window, and two alerts it does not cover.
        List<Alert> inside = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant slot = T0.plus(Duration.ofMinutes(20L * i));
            inside.add(Alert.slotMissed("liaison-office", slot, slot.plusSeconds(600), MissCause.NO_ANSWER));
        }
        Alert afterWindow = Alert.slotMissed("liaison-office", T0.plus(Duration.ofHours(3)),
                T0.plus(Duration.ofHours(3)).plusSeconds(600), MissCause.NO_ANSWER);
        Alert otherChannel = Alert.slotMissed("ship-to-ship", T0, T0.plusSeconds(600), MissCause.NO_ANSWER);
        Alert inRemovedWindow = Alert.slotMissed("liaison-office", T0.plus(Duration.ofHours(2)),
                T0.plus(Duration.ofHours(2)).plusSeconds(600), MissCause.NO_ANSWER);
        List<Alert> all = new ArrayList<>(inside);
        all.add(otherChannel);
        all.add(inRemovedWindow);
        all.add(afterWindow);
        publish(alerts, all);

        TestCluster.await("every alert done", WAIT, () -> notifier.deliveries().count("hook", DeliveryCounter.SILENCED)
                + notifier.deliveries().count("hook", DeliveryCounter.DELIVERED) == all.size());
        long silenced = notifier.deliveries().count("hook", DeliveryCounter.SILENCED);
        long pagedInside = paged.stream().filter(inside::contains).count();
        System.out.printf(Locale.ROOT, "silence-restart: silence written by instance 1, read from %s by instance 2 in %d ms"
                        + " (%d records); %d alerts: %d inside the window, %d of them paged, %d silenced; %d outside paged%n",
                topic, loadMs, second.applied(), all.size(), inside.size(), pagedInside, silenced, paged.size() - pagedInside);
        assertThat(pagedInside).isZero();
        assertThat(silenced).isEqualTo(inside.size());
        assertThat(paged).containsExactlyInAnyOrder(otherChannel, inRemovedWindow, afterWindow);
    }

    @Test
    void aSilenceMadeOnOneInstanceIsSeenByTheOthersWithinASecond() throws Exception {
        String topic = "silences-shared";
        createSilencesTopic(topic);
        SilenceStore a = new SilenceStore(List.of());
        SilenceStore b = new SilenceStore(List.of(maintenance("from-file", T0, T0.plusSeconds(60))));
        instance(topic, a);
        SilenceTopic bTopic = instance(topic, b);
        Alert inWindow = Alert.slotMissed("liaison-office", T0.plusSeconds(600), T0.plusSeconds(1200), MissCause.NO_ANSWER);
        assertThat(b.test(inWindow)).isFalse();

        long writing = System.nanoTime();
        assertThat(a.add(maintenance("shared", T0, T0.plus(Duration.ofHours(1))), "ops-kim", CREATED)).isEqualTo(SilenceStore.Addition.ADDED);
        long acknowledged = System.nanoTime();
        TestCluster.await("B sees A's silence", WAIT, () -> b.get("shared").isPresent());
        long seen = System.nanoTime();
        assertThat(b.test(inWindow)).as("B's notifier would not page it").isTrue();
        assertThat(b.get("shared").orElseThrow()).isEqualTo(a.get("shared").orElseThrow());

        assertThat(a.remove("shared")).isEqualTo(SilenceStore.Removal.REMOVED);
        long removedAt = System.nanoTime();
        TestCluster.await("B drops it", WAIT, () -> b.get("shared").isEmpty());
        long gone = System.nanoTime();
        assertThat(b.test(inWindow)).isFalse();

        // A record that is no silence is counted and skipped; one naming a silence of B's file does not replace it.
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "junk", "not a silence")).get();
            producer.send(new ProducerRecord<>(topic, "from-file", new String(SilenceRecords.toJson(SilenceStore.Entry.api(
                    maintenance("from-file", T0, T0.plus(Duration.ofDays(9))), "someone", CREATED)),
                    java.nio.charset.StandardCharsets.UTF_8))).get();
        }
        TestCluster.await("the junk counted", WAIT, () -> bTopic.malformed() == 1);
        TestCluster.await("the other record read", WAIT, () -> bTopic.applied() >= 3);
        assertThat(b.get("from-file").orElseThrow().origin()).isEqualTo(SilenceStore.Origin.CONFIG);
        assertThat(b.entries()).hasSize(1);
        bTopic.checkAlive();

        System.out.printf(Locale.ROOT, "silence-shared: created on instance A (acknowledged in %d ms), seen by instance B %d ms"
                        + " after A's acknowledgement; removed on A, gone from B %d ms after; malformed records skipped 1%n",
                Duration.ofNanos(acknowledged - writing).toMillis(), Duration.ofNanos(seen - acknowledged).toMillis(),
                Duration.ofNanos(gone - removedAt).toMillis());
        assertThat(Duration.ofNanos(seen - acknowledged)).isLessThan(Duration.ofSeconds(2));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static void publish(String topic, List<Alert> alerts) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(topic, a.channel(), AlertCodec.toJson(a))).get();
            }
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
