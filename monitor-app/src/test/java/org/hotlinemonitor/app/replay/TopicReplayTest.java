package org.hotlinemonitor.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.cli.ExitCodes;
import org.hotlinemonitor.app.cli.Main;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --bootstrap-servers ... --since ...} against a real broker, through the command line: the same
 * alerts and report as replaying the same events from a file, {@code --since}/{@code --until} bounds, rejects that
 * name topic, partition and offset, and the exit codes.
 */
@org.junit.jupiter.api.Tag("integration")
class TopicReplayTest {

    static final Path EXAMPLE_CHANNELS = Path.of("..").toAbsolutePath().normalize().resolve("examples/channels.yaml");

    static KafkaClusterTestKit cluster;
    static KafkaProducer<String, String> producer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // One batch in flight: on a topic just created the first batch may bounce (NOT_LEADER_OR_FOLLOWER) while the
        // next ones are accepted, and its retry is then refused as out of sequence.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }


    static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(TestCluster.OLD_RECORDS))).all().get();
        }
    }

    record Result(int code, String err) {
    }

    /** The command line, with stderr captured (data goes to files in these tests). */
    static synchronized Result run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            System.err.flush();
            return new Result(code, e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    /** A generated log, its lines and parsed events, and the channel file. */
    record Log(MonitorFiles files, List<String> lines, List<CallEvent> events) {
    }

    record MonitorFiles(Path channels, Path log) {
    }

    Log generate(int channels, int days) throws Exception {
        SyntheticLog log = new SyntheticLog(channels, days, 2, LocalDate.of(2023, 4, 3));
        StringWriter out = new StringWriter();
        log.write(out);
        List<String> lines = out.toString().lines().toList();
        EventDecoder parser = new JsonEventParser();
        List<CallEvent> events = new ArrayList<>();
        for (String line : lines) {
            events.add(decode(parser, line));
        }
        Path yaml = tmp.resolve("channels.yaml");
        Files.writeString(yaml, log.channelsYaml());
        Path file = tmp.resolve("calls.jsonl");
        Files.write(file, lines);
        return new Log(new MonitorFiles(yaml, file), lines, events);
    }

    /** Produces each line keyed by its channel (heartbeats by their source) and stamped with its time; returns where each went. */
    static List<RecordMetadata> produce(String topic, Log log) throws Exception {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < log.lines().size(); i++) {
            CallEvent e = log.events().get(i);
            sent.add(producer.send(new ProducerRecord<>(topic, null, e.ts().toEpochMilli(),
                    e.channel() == null ? "scheduler" : e.channel(), log.lines().get(i))));
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (var f : sent) {
            out.add(f.get());
        }
        return out;
    }

    String[] replay(Path channels, String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "--channels", channels.toString(), "--no-progress"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aTopicReplaysToTheAlertsAndReportOfTheSameEventsFromAFile() throws Exception {
        Log log = generate(200, 7);
        createTopic("same.events", 3);
        produce("same.events", log);
        Instant first = log.events().get(0).ts();

        Path fileAlerts = tmp.resolve("file-alerts.jsonl");
        Path fileReport = tmp.resolve("file-report.json");
        Path fileMetrics = tmp.resolve("file.om.txt");
        Path fileAnnotations = tmp.resolve("file-annotations.jsonl");
        Result fromFile = run(replay(log.files().channels(), "--alerts-out", fileAlerts.toString(), "--report-out",
                fileReport.toString(), "--report-format", "json", "--openmetrics-out", fileMetrics.toString(),
                "--annotations-out", fileAnnotations.toString(), log.files().log().toString()));
        assertThat(fromFile.code()).as(fromFile.err()).isZero();

        Path kafkaAlerts = tmp.resolve("kafka-alerts.jsonl");
        Path kafkaReport = tmp.resolve("kafka-report.json");
        Path rejects = tmp.resolve("rejects.jsonl");
        Result fromKafka = run(replay(log.files().channels(), "--bootstrap-servers", cluster.bootstrapServers(),
                "--topic", "same.events", "--since", first.toString(), "--alerts-out", kafkaAlerts.toString(),
                "--report-out", kafkaReport.toString(), "--report-format", "json", "--rejects-out", rejects.toString(),
                "--openmetrics-out", tmp.resolve("kafka.om.txt").toString(),
                "--annotations-out", tmp.resolve("kafka-annotations.jsonl").toString()));
        assertThat(fromKafka.code()).as(fromKafka.err()).isZero();
        assertThat(fromKafka.err()).contains("read " + log.lines().size() + " record(s) from 3 partition(s) of same.events");

        List<String> expected = Files.readAllLines(fileAlerts);
        assertThat(expected).hasSizeGreaterThan(40).anyMatch(a -> a.contains("CHANNEL_DOWN"))
                .anyMatch(a -> a.contains("CHANNEL_RESTORED")).anyMatch(a -> a.contains("CALL_NOT_PLACED"));
        assertThat(Files.readAllLines(kafkaAlerts)).as("same alerts, same bytes, same order").isEqualTo(expected);
        JsonNode file = new ObjectMapper().readTree(fileReport.toFile());
        JsonNode kafka = new ObjectMapper().readTree(kafkaReport.toFile());
        assertThat(kafka.get("channels")).isEqualTo(file.get("channels"));
        assertThat(kafka.get("alerts")).isEqualTo(file.get("alerts"));
        for (String field : List.of("lines", "events", "rejected", "firstEvent", "end", "heartbeats", "unscheduled")) {
            assertThat(kafka.at("/input/" + field)).as(field).isEqualTo(file.at("/input/" + field));
        }
        assertThat(kafka.at("/input/inputs/0").asText()).isEqualTo("kafka:same.events");
        assertThat(rejects).doesNotExist();
        // The backfill and the annotations of the period, too.
        assertThat(Files.size(fileMetrics)).isGreaterThan(10_000);
        assertThat(tmp.resolve("kafka.om.txt")).hasSameBinaryContentAs(fileMetrics);
        assertThat(Files.readAllLines(fileAnnotations)).anyMatch(a -> a.contains("\"timeEnd\""));
        assertThat(tmp.resolve("kafka-annotations.jsonl")).hasSameBinaryContentAs(fileAnnotations);
    }

    @Test
    void sinceAndUntilBoundTheRecordsReplayed() throws Exception {
        Log log = generate(200, 7);
        createTopic("bounds.events", 3);
        List<RecordMetadata> where = produce("bounds.events", log);
        Instant since = Instant.parse("2023-04-05T00:00:00Z");
        Instant until = Instant.parse("2023-04-07T12:00:00Z");

        // What offsetsForTimes selects: in each partition, every record from the first stamped at or after since.
        Map<Integer, Long> firstOffset = new HashMap<>();
        for (int i = 0; i < where.size(); i++) {
            RecordMetadata m = where.get(i);
            if (!log.events().get(i).ts().isBefore(since)) {
                firstOffset.merge(m.partition(), m.offset(), Math::min);
            }
        }
        List<String> selected = new ArrayList<>();
        int after = 0;
        for (int i = 0; i < where.size(); i++) {
            RecordMetadata m = where.get(i);
            if (m.offset() >= firstOffset.getOrDefault(m.partition(), Long.MAX_VALUE)) {
                if (log.events().get(i).ts().isAfter(until)) {
                    after++;
                } else {
                    selected.add(log.lines().get(i));
                }
            }
        }
        assertThat(selected.size()).isBetween(log.lines().size() / 4, log.lines().size() / 2);
        Path selection = tmp.resolve("selected.jsonl");
        Files.write(selection, selected);
        Path fileAlerts = tmp.resolve("file-alerts.jsonl");
        Result fromFile = run(replay(log.files().channels(), "--until", until.toString(), "--alerts-out",
                fileAlerts.toString(), "--report-out", tmp.resolve("r1.md").toString(), selection.toString()));
        assertThat(fromFile.code()).as(fromFile.err()).isZero();

        Path kafkaAlerts = tmp.resolve("kafka-alerts.jsonl");
        Path kafkaReport = tmp.resolve("kafka-report.json");
        Result fromKafka = run(replay(log.files().channels(), "--bootstrap-servers", cluster.bootstrapServers(),
                "--topic", "bounds.events", "--since", since.toString(), "--until", until.toString(),
                "--alerts-out", kafkaAlerts.toString(), "--report-out", kafkaReport.toString(), "--report-format", "json",
                "--rejects-out", tmp.resolve("rejects.jsonl").toString()));
        assertThat(fromKafka.code()).as(fromKafka.err()).isZero();
        // Events after until are skipped up to the first one past until + allowed lateness in each partition.
        assertThat(fromKafka.err()).contains("read " + selected.size() + " record(s)")
                .containsPattern("; \\d+ event\\(s\\) after --until not replayed");
        assertThat(after).isGreaterThan(100);

        List<String> alerts = Files.readAllLines(kafkaAlerts);
        assertThat(alerts).hasSizeGreaterThan(10).isEqualTo(Files.readAllLines(fileAlerts));
        assertThat(alerts).allSatisfy(a -> assertThat(org.hotlinemonitor.core.codec.AlertCodec.fromJson(a).at())
                .isAfter(since.minusSeconds(60)).isBeforeOrEqualTo(until));
        JsonNode report = new ObjectMapper().readTree(kafkaReport.toFile());
        assertThat(report.at("/input/end").asText()).isEqualTo(until.toString());
        assertThat(Instant.parse(report.at("/input/firstEvent").asText())).isBetween(since.minusSeconds(60), since.plusSeconds(60));
        assertThat(report.at("/input/rejected").asLong()).isZero();
    }

    @Test
    void oneEventAYearAheadIsRefusedAsAnOutlierAndNeitherEndsTheReplayNorItsPartition() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>(Files.readAllLines(root.resolve("examples/april-2023.jsonl")));
        List<String> golden = Files.readAllLines(
                root.resolve("monitor-core/src/test/resources/golden/april-2023/expected-alerts.jsonl"));
        String ahead = lines.get(499).replace("2023-04-07", "2024-04-07");
        assertThat(ahead).contains("\"channel\":\"moscow-washington\"", "\"ts\":\"2024-04-07T06:00:45Z\"");
        lines.add(500, ahead);
        String topic = "outlier.events";
        createTopic(topic, 3);
        EventDecoder parser = new JsonEventParser();
        RecordMetadata outlier = null;
        for (String line : lines) {
            CallEvent e = decode(parser, line);
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, null, e.ts().toEpochMilli(),
                    e.channel() == null ? "scheduler" : e.channel(), line)).get();
            if (line.equals(ahead)) {
                outlier = m;
            }
        }

        Path alerts = tmp.resolve("alerts.jsonl");
        Path rejects = tmp.resolve("rejects.jsonl");
        Path report = tmp.resolve("report.md");
        Result r = run(replay(EXAMPLE_CHANNELS, "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic,
                "--since", "2023-04-03T00:00:00Z", "--alerts-out", alerts.toString(), "--rejects-out", rejects.toString(),
                "--report-out", report.toString()));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Files.readAllLines(alerts)).as("the alerts of the example without the line").isEqualTo(golden);
        assertThat(Files.readString(report)).startsWith("# Replay report\n\n**1 input record(s) refused**")
                .contains("to 2023-04-12T00:00:00Z");
        JsonNode kept = new ObjectMapper().readTree(Files.readAllLines(rejects).get(0));
        assertThat(Files.readAllLines(rejects)).hasSize(1);
        assertThat(kept.get("reason").asText()).isEqualTo("outlier");
        assertThat(kept.get("partition").asInt()).isEqualTo(outlier.partition());
        assertThat(kept.get("offset").asLong()).isEqualTo(outlier.offset());
        assertThat(kept.get("raw").asText()).isEqualTo(ahead);

        // With --until the line is after it: skipped, and its partition read on past it (it moved no time).
        Path untilAlerts = tmp.resolve("until-alerts.jsonl");
        Result until = run(replay(EXAMPLE_CHANNELS, "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic,
                "--since", "2023-04-03T00:00:00Z", "--until", "2023-04-12T00:00:00Z", "--alerts-out",
                untilAlerts.toString(), "--rejects-out", tmp.resolve("until-rejects.jsonl").toString(),
                "--report-out", tmp.resolve("until-report.md").toString()));
        assertThat(until.code()).as(until.err()).isZero();
        assertThat(until.err()).contains("read " + (lines.size() - 1) + " record(s)", "1 event(s) after --until not replayed");
        assertThat(Files.readAllLines(untilAlerts)).isEqualTo(golden);
    }

    @Test
    void badRecordsAreRejectedWithTopicPartitionAndOffset() throws Exception {
        String topic = "bad.events";
        createTopic(topic, 2);
        String liaison = "liaison-office";
        int home = ChannelPartitions.partitionOf(liaison, 2);
        int other = 1 - home;
        long t = Instant.parse("2023-04-06T08:00:00Z").toEpochMilli();
        String placed = "{\"channel\":\"liaison-office\",\"kind\":\"CALL_PLACED\",\"ts\":\"2023-04-06T08:00:00Z\"}";
        String answered = "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T08:00:41Z\"}";
        producer.send(new ProducerRecord<>(topic, home, t, liaison, placed)).get();
        RecordMetadata malformed = producer.send(new ProducerRecord<>(topic, home, t + 1, liaison, "{\"channel\":")).get();
        RecordMetadata empty = producer.send(new ProducerRecord<>(topic, other, t + 2, "x", (String) null)).get();
        RecordMetadata unknown = producer.send(new ProducerRecord<>(topic, other, t + 3, "nowhere",
                "{\"channel\":\"nowhere\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T08:00:03Z\"}")).get();
        RecordMetadata wrong = producer.send(new ProducerRecord<>(topic, other, t + 4, "whatever", answered)).get();
        producer.send(new ProducerRecord<>(topic, home, t + 41_000, liaison, answered)).get();

        Path rejects = tmp.resolve("rejects.jsonl");
        Path alerts = tmp.resolve("alerts.jsonl");
        String[] args = replay(EXAMPLE_CHANNELS, "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic,
                "--since", "2023-04-06T00:00:00Z", "--rejects-out", rejects.toString(), "--alerts-out", alerts.toString(),
                "--report-out", tmp.resolve("report.md").toString());
        Result r = run(args);
        assertThat(r.code()).as("refused records: " + r.err()).isEqualTo(org.hotlinemonitor.app.cli.ExitCodes.REFUSED);
        assertThat(r.err()).contains("4 record(s) refused (", "malformed: 2", "unknown-channel: 1", "wrong-partition: 1");
        List<JsonNode> kept = new ArrayList<>();
        for (String line : Files.readAllLines(rejects)) {
            kept.add(new ObjectMapper().readTree(line));
        }
        assertThat(kept).extracting(j -> j.get("reason").asText() + " " + j.get("topic").asText() + "/"
                        + j.get("partition").asInt() + "@" + j.get("offset").asLong())
                .containsExactlyInAnyOrder(
                        "malformed " + topic + "/" + home + "@" + malformed.offset(),
                        "malformed " + topic + "/" + other + "@" + empty.offset(),
                        "unknown-channel " + topic + "/" + other + "@" + unknown.offset(),
                        "wrong-partition " + topic + "/" + other + "@" + wrong.offset());
        assertThat(kept).allSatisfy(j -> assertThat(j.has("file")).isFalse());
        assertThat(kept).filteredOn(j -> j.get("reason").asText().equals("wrong-partition")).singleElement()
                .satisfies(j -> assertThat(j.get("raw").asText()).isEqualTo(answered));

        Result strict = run(replay(EXAMPLE_CHANNELS, "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topic,
                "--since", "2023-04-06T00:00:00Z", "--strict", "--rejects-out", tmp.resolve("strict.jsonl").toString(),
                "--alerts-out", alerts.toString(), "--report-out", tmp.resolve("report.md").toString()));
        assertThat(strict.code()).as(strict.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(strict.err()).contains("error: " + topic + "/").contains("--strict: stopped at the first bad record");
    }

    @Test
    void exitCodes() throws Exception {
        String bs = cluster.bootstrapServers();
        String channels = EXAMPLE_CHANNELS.toString();
        Result both = run("replay", "--channels", channels, "--bootstrap-servers", bs, "--since", "2023-04-06T00:00:00Z", "x.jsonl");
        assertThat(both.code()).as(both.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("not both");
        Result noSince = run("replay", "--channels", channels, "--bootstrap-servers", bs);
        assertThat(noSince.code()).as(noSince.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSince.err()).contains("--since");
        Result format = run("replay", "--channels", channels, "--bootstrap-servers", bs, "--since", "2023-04-06T00:00:00Z",
                "--format", "csv");
        assertThat(format.code()).as(format.err()).isEqualTo(ExitCodes.USAGE);
        Result backwards = run("replay", "--channels", channels, "--bootstrap-servers", bs, "--since", "2023-04-06T00:00:00Z",
                "--until", "2023-04-05T00:00:00Z");
        assertThat(backwards.code()).as(backwards.err()).isEqualTo(ExitCodes.USAGE);

        Result missing = run("replay", "--channels", channels, "--bootstrap-servers", bs, "--topic", "no.such.topic",
                "--since", "2023-04-06T00:00:00Z", "--report-out", tmp.resolve("r.md").toString());
        assertThat(missing.code()).as(missing.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("topic 'no.such.topic' does not exist");

        Result unreachable = run("replay", "--channels", channels, "--bootstrap-servers", "127.0.0.1:1", "--timeout", "PT2S",
                "--since", "2023-04-06T00:00:00Z", "--report-out", tmp.resolve("r.md").toString());
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unreachable.err()).contains("cannot read hotline.events from 127.0.0.1:1").doesNotContain("\tat ");
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
