package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.detect.ChannelTopic;
import org.hotlinemonitor.core.config.ChannelRecords;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code channels publish|remove|list} against a real broker. */
@org.junit.jupiter.api.Tag("integration")
class ChannelsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void publishListChangePruneRemoveAndRefusals() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(tmp.resolve("data"), 0, 0))) {
            String bs = broker.bootstrapServers();
            Path examples = CliTest.ROOT.resolve("examples/channels.yaml");
            List<Channel> configured = ConfigLoader.load(examples).channels();
            int n = configured.size();

            CliTest.Result first = CliTest.run("channels", "publish", "--bootstrap-servers", bs, "--channels", examples.toString());
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("hotline.channels: " + n + " added, 0 changed, 0 unchanged, 0 removed");
            CliTest.Result again = CliTest.run("channels", "publish", "--bootstrap-servers", bs, "--channels", examples.toString());
            assertThat(again.out()).contains("0 added, 0 changed, " + n + " unchanged, 0 removed");

            CliTest.Result json = CliTest.run("channels", "list", "--bootstrap-servers", bs, "--json");
            assertThat(json.code()).as(json.err()).isZero();
            List<String> lines = json.out().lines().toList();
            assertThat(lines).hasSize(n);
            for (String line : lines) {
                Channel back = ChannelRecords.read("list", line.substring(7, line.indexOf('"', 7)),
                        line.getBytes(StandardCharsets.UTF_8));
                assertThat(configured).contains(back);
            }
            assertThat(CliTest.run("channels", "list", "--bootstrap-servers", bs).out().lines())
                    .hasSize(n).allSatisfy(l -> assertThat(l).contains("answerWithin", "downAfter"));

            // One file of two channels, one of them changed, with --prune: the others leave.
            Channel kept = configured.get(0);
            Path two = tmp.resolve("two.yaml");
            Files.writeString(two, """
                    channels:
                      - {id: %s, zone: UTC, checks: ['06:00']}
                      - {id: brand-new, zone: Asia/Seoul, cron: "0 9 * * MON-FRI"}
                    """.formatted(kept.id()));
            CliTest.Result pruned = CliTest.run("channels", "publish", "--bootstrap-servers", bs, "--channels", two.toString(),
                    "--prune");
            assertThat(pruned.code()).as(pruned.err()).isZero();
            assertThat(pruned.out()).contains("1 added, 1 changed, 0 unchanged, " + (n - 1) + " removed");
            assertThat(CliTest.run("channels", "list", "--bootstrap-servers", bs).out().lines())
                    .extracting(l -> l.substring(0, l.indexOf(' '))).containsExactly("brand-new", kept.id());

            CliTest.Result remove = CliTest.run("channels", "remove", "--bootstrap-servers", bs, "brand-new", "no-such-line");
            assertThat(remove.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(remove.out()).contains("1 removed");
            assertThat(remove.err()).contains("not in hotline.channels, nothing written: no-such-line");

            // A bad record written by hand: listed with where it is and why; the channel stays as it was.
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs), new StringSerializer(),
                    new StringSerializer())) {
                p.send(new ProducerRecord<>(ChannelTopic.DEFAULT_TOPIC, kept.id(),
                        "{\"id\":\"" + kept.id() + "\",\"zone\":\"UTC\",\"checks\":[\"6am\"]}")).get();
            }
            CliTest.Result list = CliTest.run("channels", "list", "--bootstrap-servers", bs);
            assertThat(list.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(list.out().lines()).singleElement().satisfies(l -> assertThat(l).startsWith(kept.id() + "  checks 06:00"));
            assertThat(list.err()).contains("refused: hotline.channels partition 0 offset").contains("channel.checks[0]")
                    .contains("6am").contains("1 channel(s), 1 record(s) refused");
            // Publishing the good one again replaces the refused record.
            CliTest.Result fix = CliTest.run("channels", "publish", "--bootstrap-servers", bs, "--channels", two.toString());
            assertThat(fix.out()).contains("1 added, 1 changed, 0 unchanged, 0 removed");
        }
    }

    @Test
    void badInputIsNamedAndNothingIsWritten() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "channels:\n  - {id: a, zone: Mars/Base, checks: ['09:00']}\n");
        CliTest.Result r = CliTest.run("channels", "publish", "--bootstrap-servers", "localhost:1", "--channels", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("bad.yaml:2").contains("zone");
        CliTest.Result noCluster = CliTest.run("channels", "list");
        assertThat(noCluster.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCluster.err()).contains("--bootstrap-servers");
        assertThat(CliTest.run("channels").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliTest.run("detect", "--help").out()).contains("--channels-topic");
    }
}
