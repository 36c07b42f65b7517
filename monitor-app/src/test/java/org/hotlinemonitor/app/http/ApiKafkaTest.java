package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API's Kafka adapters against a real in-process broker: recording a call, the alert ring, the readiness probe. */
@org.junit.jupiter.api.Tag("integration")
class ApiKafkaTest {

    static final String EVENTS = "api-events";
    static final String ALERTS = "api-alerts";
    static final String TOKEN = "kafka-test-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static KafkaClusterTestKit cluster;
    static String bootstrap;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.startForStreams(Map.of());
        bootstrap = cluster.bootstrapServers();
        TestCluster.createTopic(cluster, EVENTS, 3);
        TestCluster.createTopic(cluster, ALERTS, 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Running(org.hotlinemonitor.app.metrics.Metrics metrics, org.hotlinemonitor.app.metrics.MetricsServer server,
                           String base) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            metrics.close();
        }
    }

    private static Running serve(Api api) {
        org.hotlinemonitor.app.metrics.Metrics metrics = new org.hotlinemonitor.app.metrics.Metrics();
        org.hotlinemonitor.app.metrics.MetricsServer server = org.hotlinemonitor.app.metrics.MetricsServer.start("127.0.0.1", 0,
                metrics.registry(), null, true);
        server.api(api.handler());
        return new Running(metrics, server, "http://127.0.0.1:" + server.port());
    }

    private static Api api(BrokerProbe probe, CallPublisher calls, AlertLog log, Clock clock) {
        return new Api(ApiTest.CONFIG, ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), false), new DetectorView(), () -> true,
                probe, calls, log, new SilenceStore(List.of()), clock);
    }

    @Test
    void aRecordedCallIsOnTheEventsTopicWhen202Returns() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2023-04-07T08:30:00Z"), ZoneOffset.UTC);
        try (CallPublisher.Kafka calls = CallPublisher.kafka(bootstrap, Map.of(), EVENTS, Duration.ofSeconds(20));
             Running api = serve(api(() -> java.util.Optional.empty(), calls, new AlertLog(10), clock))) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/calls"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"channel\":\"east-coast\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-07T07:00:40Z\",\"note\":\"rang out\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            JsonNode body = JSON.readTree(r.body());
            String event = body.get("event").toString();
            assertThat(event).isEqualTo("{\"channel\":\"east-coast\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-07T07:00:40Z\","
                    + "\"slot\":\"2023-04-07T07:00:00Z\",\"id\":\"east-coast/2023-04-07T07:00:00Z/NO_ANSWER/@2023-04-07T07:00:40Z\","
                    + "\"source\":\"api-token\",\"note\":\"rang out\"}");

            // Read at once, no waiting: the 202 came after the cluster acknowledged (acks=all).
            List<ConsumerRecord<String, String>> records = TestCluster.readAll(bootstrap, EVENTS);
            assertThat(records).singleElement().satisfies(rec -> {
                assertThat(rec.key()).isEqualTo("east-coast");
                assertThat(rec.value()).isEqualTo(event);
                assertThat(rec.timestamp()).isEqualTo(Instant.parse("2023-04-07T07:00:40Z").toEpochMilli());
                assertThat(rec.partition()).isEqualTo(body.get("partition").asInt());
                assertThat(rec.offset()).isEqualTo(body.get("offset").asLong());
            });
        }
    }

    @Test
    void theAlertRingReadsTheLastDayOfCommittedAlertsAndFollows() throws Exception {
        Instant now = Instant.now();
        Instant slot = now.minus(Duration.ofDays(3));
        Alert old = Alert.slotMissed("east-coast", slot, slot.plusSeconds(3600), MissCause.NO_ANSWER);
        Alert recent = Alert.slotMissed("ship", now.minusSeconds(7200), now.minusSeconds(3600), MissCause.LINE_FAULT);
        Alert later = Alert.channelDown("east-coast", slot, now, 2);
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            // Record timestamps: when the detector sent them. The old one two days ago: before the lookback.
            producer.send(new ProducerRecord<>(ALERTS, null, now.minus(Duration.ofDays(2)).toEpochMilli(), old.channel(), AlertCodec.toJson(old)));
            producer.send(new ProducerRecord<>(ALERTS, null, now.minusSeconds(3600).toEpochMilli(), recent.channel(), AlertCodec.toJson(recent)));
            producer.send(new ProducerRecord<>(ALERTS, null, now.minusSeconds(3500).toEpochMilli(), "x", "not an alert"));
            producer.flush();

            AlertLog log = new AlertLog(100);
            try (AlertTail tail = new AlertTail(bootstrap, Map.of(), ALERTS, AlertTail.DEFAULT_LOOKBACK, log, Clock.systemUTC());
                 Running api = serve(api(() -> java.util.Optional.empty(), e -> null, log, Clock.systemUTC()))) {
                tail.start();
                assertThat(tail.awaitPositioned(Duration.ofSeconds(30))).isTrue();
                TestCluster.await("the recent alert read", Duration.ofSeconds(30), () -> !log.since(Instant.EPOCH, 10).alerts().isEmpty());
                producer.send(new ProducerRecord<>(ALERTS, later.channel(), AlertCodec.toJson(later)));
                producer.flush();
                TestCluster.await("the new alert read", Duration.ofSeconds(30), () -> log.since(Instant.EPOCH, 10).alerts().size() == 2);
                assertThat(tail.isRunning()).isTrue();

                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/alerts?since=1970-01-01T00:00:00Z"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(r.body()).get("alerts")).extracting(JsonNode::toString)
                        .containsExactly(AlertCodec.toJson(recent), AlertCodec.toJson(later));
            }
        }
    }

    @Test
    void readinessFollowsTheBroker() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort(); // closed again: nothing listens there
        }
        try (BrokerProbe.Closeable up = BrokerProbe.admin(bootstrap, Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(1), Clock.systemUTC());
             BrokerProbe.Closeable down = BrokerProbe.admin("127.0.0.1:" + unused, Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                     Clock.systemUTC());
             Running readyApi = serve(api(up, e -> null, new AlertLog(1), Clock.systemUTC()));
             Running downApi = serve(api(down, e -> null, new AlertLog(1), Clock.systemUTC()))) {
            HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(URI.create(readyApi.base() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = CLIENT.send(HttpRequest.newBuilder(URI.create(downApi.base() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(notReady.body()).get("reasons").get(0).asText()).contains("Kafka cluster");
        }
    }

    @Test
    void theRuntimeWiresTheAdaptersTogether() throws Exception {
        try (ApiRuntime runtime = ApiRuntime.start(bootstrap, Map.of(), EVENTS, ALERTS, ApiTest.CONFIG, null, new SilenceStore(List.of()),
                new DetectorView(), () -> true, Clock.systemUTC());
             Running api = serve(runtime.api())) {
            HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(URI.create(api.base() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            TestCluster.await("the alert reader reading", Duration.ofSeconds(30), runtime::alertsReading);
            HttpResponse<String> write = CLIENT.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/calls"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as("no api: section, writes disabled").isEqualTo(403);
        }
    }
}
