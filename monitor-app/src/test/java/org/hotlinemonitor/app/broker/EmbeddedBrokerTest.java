package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker in this JVM: data kept across restarts, formatted once, and clear errors before Kafka starts. */
@org.junit.jupiter.api.Tag("integration")
class EmbeddedBrokerTest {

    @TempDir
    Path tmp;

    /**
     * SASL mode across a restart, as docs/security.md describes rotation: the users are updated at each start, so a
     * new password works and the old one no longer does; without credentials nothing gets in.
     */
    @Test
    void saslModeUpdatesPasswordsAtEachStart() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedBroker.Security first = new EmbeddedBroker.Security("admin", Map.of("admin", "first-pw"), List.of());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0), first)) {
            assertThat(broker.secured()).isTrue();
            assertThat(describes(broker, first.clientConfig("admin"))).isTrue();
            assertThat(describes(broker, KafkaClientConfig.NONE)).as("PLAINTEXT, no user").isFalse();
        }
        EmbeddedBroker.Security second = new EmbeddedBroker.Security("admin", Map.of("admin", "second-pw"), List.of());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0), second)) {
            assertThat(broker.formatted()).isFalse();
            assertThat(describes(broker, second.clientConfig("admin"))).as("the new password").isTrue();
            assertThat(describes(broker, first.clientConfig("admin"))).as("the old password").isFalse();
        }
    }

    /** Whether a client with these settings gets an answer to describeCluster within 5 s. */
    private static boolean describes(EmbeddedBroker broker, KafkaClientConfig client) {
        Map<String, Object> c = client.withBootstrap(broker.bootstrapServers());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(c)) {
            return !admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void keepsItsDataAcrossARestartAndFormatsOnlyOnce() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path metaProperties = dataDir.resolve("kafka/meta.properties");
        List<TopicSpec> specs = Topics.DEFAULT.specs(Topics.DEFAULT_PARTITIONS, java.util.Optional.of((short) 1));
        RecordMetadata written;
        String clusterId;
        byte[] meta;
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0))) {
            assertThat(broker.formatted()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(broker.port()).isNotZero().isNotEqualTo(broker.controllerPort());
            clusterId = broker.clusterId();
            meta = Files.readAllBytes(metaProperties);
            assertThat(new String(meta, java.nio.charset.StandardCharsets.UTF_8)).contains("cluster.id=" + clusterId, "node.id=1");
            try (Admin admin = admin(broker)) {
                assertThat(Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT)).allMatch(Topics.Ensured::created);
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                written = producer.send(new ProducerRecord<>("hotline.events", "liaison-office", "answered at 09:00")).get();
            }
            assertThat(read(broker, new TopicPartition(written.topic(), written.partition()), written.offset()))
                    .isEqualTo("liaison-office=answered at 09:00");

            // While it runs, its data directory is its own.
            assertThatThrownBy(() -> EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0)))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessage("data directory " + dataDir.toAbsolutePath() + " is in use by another embedded broker;"
                            + " stop it or choose another with --data-dir");
        }

        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0))) {
            assertThat(broker.formatted()).isFalse();
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(Files.readAllBytes(metaProperties)).isEqualTo(meta);
            try (Admin admin = admin(broker)) {
                assertThat(Topics.ensureTopics(admin, specs, Topics.DEFAULT_TIMEOUT)).noneMatch(Topics.Ensured::created);
            }
            assertThat(read(broker, new TopicPartition(written.topic(), written.partition()), written.offset()))
                    .isEqualTo("liaison-office=answered at 09:00");
        }
    }

    @Test
    void aTakenListenerPortIsNamedBeforeKafkaStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedBroker.HOST))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedBroker.start(new EmbeddedBroker.Config(tmp, port, 0)))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessage("port " + port + " is already in use (embedded broker listener); choose another with --broker-port");
        }
        assertThat(tmp.resolve("kafka/meta.properties")).doesNotExist();
    }

    @Test
    void aTakenControllerPortIsNamedBeforeKafkaStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedBroker.HOST))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedBroker.start(new EmbeddedBroker.Config(tmp, 0, port)))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessage("port " + port + " is already in use (embedded broker controller); choose another with --controller-port");
        }
    }

    /** Under a regular file nothing can be created, even by root (for whom permission bits do not count). */
    @Test
    void aDataDirectoryThatCannotBeWrittenIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        for (Path dataDir : List.of(file.resolve("sub"), file)) {
            assertThatThrownBy(() -> EmbeddedBroker.start(new EmbeddedBroker.Config(dataDir, 0, 0)))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessageStartingWith("data directory " + dataDir.toAbsolutePath() + " is not writable: ")
                    .hasMessageNotContaining("\n");
        }
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> new EmbeddedBroker.Config(tmp, 70_000, 0)).hasMessage("port must be 0-65535, was 70000");
        assertThatThrownBy(() -> new EmbeddedBroker.Config(tmp, 9092, 9092)).hasMessage("port and controllerPort must differ, both were 9092");
        assertThat(new EmbeddedBroker.Config(tmp, 0, 0).port()).isZero();
    }

    static Admin admin(EmbeddedBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static KafkaProducer<String, String> producer(EmbeddedBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    /** The record at {@code offset} as key=value, polled until it comes (or the test's time-out). */
    static String read(EmbeddedBroker broker, TopicPartition partition, long offset) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return record.key() + "=" + record.value();
                }
            }
            throw new AssertionError("no record at " + partition + "@" + offset + " within 30 s");
        }
    }
}
