package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code record} producing to a real broker: the event printed is the event on the topic. */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // bounds on how long things take: run with no other test class beside it (pom.xml)
class RecordCommandKafkaTest {

    static final String TOPIC = "record.events";
    static KafkaClusterTestKit cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(1);
        TestCluster.createTopic(cluster, TOPIC, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    Result record(String... options) {
        String[] base = {"record", "--bootstrap-servers", cluster.bootstrapServers(), "--topic", TOPIC, "--channels",
            CliTest.CHANNELS.toString()};
        String[] all = new String[base.length + options.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(options, 0, all, base.length, options.length);
        return CliTest.run(all);
    }

    @Test
    void recordsOneEventAndPrintsIt() {
        // 09:00 in Seoul is 00:00Z; the answer at 09:01:10 belongs to that slot
        Result answered = record("--channel", "liaison-office", "--answered", "--at", "2023-04-07T09:01:10+09:00",
                "--note", "opening call, all normal", "--source", "duty-officer");
        assertThat(answered.code()).as(answered.err()).isZero();
        String expected = "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T00:01:10Z\","
                + "\"slot\":\"2023-04-07T00:00:00Z\",\"id\":\"liaison-office/2023-04-07T00:00:00Z/ANSWERED/@2023-04-07T00:01:10Z\","
                + "\"source\":\"duty-officer\",\"note\":\"opening call, all normal\"}";
        assertThat(answered.out()).isEqualTo(expected + System.lineSeparator());
        assertThat(answered.err()).contains("produced to record.events partition ").doesNotContain("warning");

        Result unscheduled = record("--channel", "liaison-office", "--answered", "--at", "2023-04-07T04:00:00Z");
        assertThat(unscheduled.code()).as(unscheduled.err()).isZero();
        assertThat(unscheduled.err()).contains("warning: no slot's answer window contains 2023-04-07T04:00:00Z: recorded as unscheduled");
        assertThat(unscheduled.out()).contains("\"id\":\"liaison-office/unscheduled/ANSWERED/@2023-04-07T04:00:00Z\"").doesNotContain("\"slot\"");

        Result late = record("--channel", "east-coast-military", "--no-answer", "--slot", "2023-04-07T07:00:00Z",
                "--at", "2023-04-07T08:30:00Z");
        assertThat(late.code()).as(late.err()).isZero();
        assertThat(late.err()).contains("warning: --at 2023-04-07T08:30:00Z is after the slot's deadline 2023-04-07T08:00:00Z");

        List<ConsumerRecord<String, String>> records = TestCluster.readAll(cluster.bootstrapServers(), TOPIC);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(
                expected, unscheduled.out().strip(), late.out().strip());
        assertThat(records).allSatisfy(r -> assertThat(r.value()).contains("\"channel\":\"" + r.key() + "\""));
        assertThat(records).filteredOn(r -> r.value().equals(expected))
                .extracting(ConsumerRecord::timestamp).containsExactly(Instant.parse("2023-04-07T00:01:10Z").toEpochMilli());
    }

    @Test
    void kafkasOwnInfoLinesShowOnlyWithVerbose() throws Exception {
        ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        java.util.Map<String, ch.qos.logback.classic.Level> before = new java.util.HashMap<>();
        VerboseOption.KAFKA_LOGGERS.forEach(n -> before.put(n, context.getLogger(n).getLevel()));
        String topic = "record.verbose"; // its own: the other test reads back all of TOPIC
        try {
            TestCluster.createTopic(cluster, topic, 1);
            String[] base = {"record", "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic, "--channels",
                CliTest.CHANNELS.toString(), "--channel", "liaison-office", "--answered", "--at", "2023-04-09T00:00:10Z"};
            Result quiet = CliTest.run(base);
            assertThat(quiet.code()).as(quiet.err()).isZero();
            assertThat(quiet.err()).doesNotContain("INFO ", "Kafka version", "ProducerConfig values");

            String[] withVerbose = java.util.Arrays.copyOf(base, base.length + 1);
            withVerbose[base.length] = "--verbose";
            Result verbose = CliTest.run(withVerbose);
            assertThat(verbose.code()).as(verbose.err()).isZero();
            // the producer's own INFO lines: its configuration and the client's version
            assertThat(verbose.err()).contains("INFO  AppInfoParser - Kafka version", "INFO  AbstractConfig - ProducerConfig values");
        } finally {
            before.forEach((n, level) -> context.getLogger(n).setLevel(level));
        }
    }

    @Test
    void signsTheEventWithTheKeyFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String key = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";
        java.nio.file.Path keyFile = dir.resolve("field-1.key");
        java.nio.file.Files.writeString(keyFile, key + "\n");
        String topic = "record.signed"; // its own: the other test reads back all of TOPIC
        TestCluster.createTopic(cluster, topic, 1);
        Result signed = CliTest.run("record", "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic,
                "--channels", CliTest.CHANNELS.toString(), "--channel", "liaison-office", "--answered",
                "--at", "2023-04-08T00:01:10Z", "--source", "field-1", "--signing-key", keyFile.toString());
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(signed.err()).doesNotContain(key);

        org.hotlinemonitor.core.model.CallEvent printed = decode(new JsonEventParser(), signed.out().strip());
        org.hotlinemonitor.core.codec.EventSignature check = new org.hotlinemonitor.core.codec.EventSignature("field-1",
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.sig()).isNotNull();
        assertThat(check.verify(printed)).isTrue();
        assertThat(TestCluster.readAll(cluster.bootstrapServers(), topic)).extracting(ConsumerRecord::value)
                .containsExactly(signed.out().strip());
    }

    @Test
    void aTopicTheClusterDoesNotHaveIsOneLineSayingSo() throws Exception {
        // A cluster that does not create topics when a producer asks for one: the producer waits for it in vain.
        try (KafkaClusterTestKit strict = TestCluster.startForStreams(java.util.Map.of("auto.create.topics.enable", "false"))) {
            long started = System.nanoTime();
            Result r = CliTest.run("record", "--bootstrap-servers", strict.bootstrapServers(), "--topic", "no.such.topic",
                    "--channels", CliTest.CHANNELS.toString(), "--channel", "liaison-office",
                    "--answered", "--at", "2023-04-07T00:01:00Z", "--timeout", "PT2S");
            java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - started);
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().lines().toList()).containsExactly("error: the Kafka cluster at " + strict.bootstrapServers()
                    + " answers, but topic no.such.topic was not found there within PT2S (create it, or start the monitor once: "
                    + "it creates its topics); the call was not recorded");
            assertThat(r.out()).isEmpty();
            assertThat(elapsed).isLessThan(java.time.Duration.ofSeconds(2 + 3));
        }
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
