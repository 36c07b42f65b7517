package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.CallAttempt;
import org.hotlinemonitor.app.calls.OperatorPlacer;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator placer's reminder ends with a {@code record} command that, pasted into a shell, records the slot. */
@org.junit.jupiter.api.Tag("integration")
class OperatorReminderTest {

    static final String TOPIC = "reminder.events";
    static KafkaClusterTestKit cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(1);
        TestCluster.createTopic(cluster, TOPIC, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void theReminderPastedAsItIsRecordsTheSlotAsAnswered(@TempDir Path dir) throws Exception {
        // a directory with a space and a quote: the command must quote the path for the shell
        Path channels = Files.createDirectories(dir.resolve("duty officer's files")).resolve("channels.yaml");
        Files.copy(CliTest.CHANNELS, channels);
        MonitorConfig config = ReplayCommand.loadConfig(channels);
        Channel liaison = config.channels().stream().filter(c -> c.id().equals("liaison-office")).findFirst().orElseThrow();
        PlacerSettings placer = Live.recordCommand(new PlacerSettings.Operator(), cluster.bootstrapServers(), TOPIC, channels, null, null);
        Instant slot = Instant.parse("2023-04-07T00:00:00Z");
        String reminder = ((OperatorPlacer) placer.create(null))
                .reminder(new CallAttempt(liaison, slot, 1, slot, false));

        assertThat(reminder).startsWith("call due on liaison-office for slot 2023-04-07T00:00:00Z; ")
                .contains("--no-answer or --line-fault in place of --answered");
        String command = reminder.substring(reminder.indexOf(": java -jar ") + 2);
        List<String> words = shellWords(command);
        assertThat(words.subList(0, 4)).containsExactly("java", "-jar", "monitor-app/target/monitor-app.jar", "record");
        assertThat(words).containsSubsequence("--bootstrap-servers", cluster.bootstrapServers(), "--topic", TOPIC,
                "--channels", channels.toString(), "--channel", "liaison-office", "--slot", "2023-04-07T00:00:00Z", "--answered");

        Clock before = RecordCommand.clock;
        RecordCommand.clock = Clock.fixed(Instant.parse("2023-04-07T00:01:10Z"), ZoneOffset.UTC); // the operator, a minute later
        Result recorded;
        try {
            recorded = CliTest.run(words.subList(3, words.size()).toArray(String[]::new));
        } finally {
            RecordCommand.clock = before;
        }
        assertThat(recorded.code()).as(recorded.err()).isZero();
        // No detector runs in this test, so record says it could not check lateness; that is the only warning.
        assertThat(recorded.err().lines().filter(l -> l.startsWith("warning")))
                .allMatch(l -> l.startsWith("warning: no detector has run with application id hotline-monitor-detector"));
        List<ConsumerRecord<String, String>> records = TestCluster.readAll(cluster.bootstrapServers(), TOPIC);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(recorded.out().strip());
        assertThat(recorded.out()).contains("\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\"",
                "\"slot\":\"2023-04-07T00:00:00Z\"");
    }

    @Test
    void theDefaultTopicIsLeftOutAndAKafkaConfigIsKept() {
        PlacerSettings.Operator placer = (PlacerSettings.Operator) Live.recordCommand(new PlacerSettings.Operator(),
                "10.0.0.5:9093", "hotline.events", Path.of("examples/channels.yaml"), Path.of("operator.properties"),
                "hotline-monitor-detector");
        assertThat(placer.recordCommand()).containsExactly("java", "-jar", "monitor-app/target/monitor-app.jar", "record",
                "--bootstrap-servers", "10.0.0.5:9093", "--channels", "examples/channels.yaml",
                "--kafka-config", "operator.properties");
    }

    @Test
    void anotherDetectorApplicationIdIsNamedSoThatRecordChecksLatenessAgainstIt() {
        PlacerSettings.Operator placer = (PlacerSettings.Operator) Live.recordCommand(new PlacerSettings.Operator(),
                "10.0.0.5:9093", "hotline.events", Path.of("examples/channels.yaml"), null, "site-b-detector");
        assertThat(placer.recordCommand()).containsExactly("java", "-jar", "monitor-app/target/monitor-app.jar", "record",
                "--bootstrap-servers", "10.0.0.5:9093", "--channels", "examples/channels.yaml",
                "--application-id", "site-b-detector");
    }

    /** {@code line} split as a POSIX shell splits it: words apart at blanks, single quotes and backslashes honoured. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                assertThat(end).as("closing quote in %s", line).isPositive();
                word = (word == null ? new StringBuilder() : word).append(line, i + 1, end);
                i = end;
            } else if (c == '\\') {
                word = (word == null ? new StringBuilder() : word).append(line.charAt(++i));
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
