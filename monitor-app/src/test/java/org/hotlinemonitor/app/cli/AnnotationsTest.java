package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.app.metrics.GrafanaAnnotations;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts as Grafana annotations: {@code replay --annotations-out} and the {@code annotations} command (file or standard
 * input) write the same lines for the same alerts; each is a body for {@code POST /api/annotations} with only
 * {@code time}, {@code timeEnd}, {@code tags} and {@code text}; an outage is one region from its CHANNEL_DOWN to its
 * CHANNEL_RESTORED, every other alert a point at its own time.
 */
class AnnotationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theReplaysAlertsAsAnnotationsFromReplayAndFromTheAnnotationsCommand() throws Exception {
        Path alertsFile = tmp.resolve("alerts.jsonl");
        Path fromReplay = tmp.resolve("annotations.jsonl");
        CliTest.Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", alertsFile.toString(),
                "--report-out", tmp.resolve("report.md").toString(), "--annotations-out", fromReplay.toString(),
                CliTest.LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<Alert> alerts = Files.readAllLines(alertsFile).stream().map(AlertCodec::fromJson).toList();
        String replayed = Files.readString(fromReplay);

        Path fromCommand = tmp.resolve("annotations-2.jsonl");
        CliTest.Result c = CliTest.run("annotations", "--out", fromCommand.toString(), alertsFile.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(Files.readString(fromCommand)).isEqualTo(replayed);
        CliTest.Result piped = CliTest.runWithStdin(new ByteArrayInputStream(Files.readAllBytes(alertsFile)), "annotations");
        assertThat(piped.code()).as(piped.err()).isZero();
        assertThat(piped.out()).isEqualTo(replayed);

        List<JsonNode> annotations = new ArrayList<>();
        for (String line : replayed.lines().toList()) {
            annotations.add(JSON.readTree(line));
        }
        checkAgainst(alerts, annotations);
        // The example: ship-to-ship is down and restored (one region); three lines are still down at the end.
        assertThat(annotations).filteredOn(a -> a.has("timeEnd")).hasSize(1);
        assertThat(annotations).filteredOn(a -> tags(a).contains("ongoing")).hasSize(3);
    }

    @Test
    void silencesOfOurSideAreRegionsAndAResolutionWithoutItsBeginningStartsAtItsSince() throws Exception {
        Instant t0 = Instant.parse("2023-04-03T00:00:00Z");
        List<Alert> alerts = List.of(
                Alert.channelRestored("liaison-office", t0.minusSeconds(7200), t0.plusSeconds(60), 2), // began before the input
                Alert.slotMissed("liaison-office", t0.plusSeconds(3600), t0.plusSeconds(7200), MissCause.LINE_FAULT),
                Alert.ourSideSilent(t0.plusSeconds(7000), t0.plusSeconds(9700)),
                Alert.callNotPlaced("ship-to-ship", t0.plusSeconds(9000), t0.plusSeconds(12600)),
                Alert.ourSideResumed(t0.plusSeconds(7000), t0.plusSeconds(14000)));
        List<String> lines = new ArrayList<>();
        GrafanaAnnotations g = new GrafanaAnnotations(lines::add);
        alerts.forEach(g::accept);
        g.finish();
        List<JsonNode> annotations = new ArrayList<>();
        for (String line : lines) {
            annotations.add(JSON.readTree(line));
        }
        checkAgainst(alerts, annotations);
        JsonNode outage = annotations.get(0);
        assertThat(outage.get("time").asLong()).isEqualTo(t0.minusSeconds(7200).toEpochMilli());
        assertThat(outage.get("timeEnd").asLong()).isEqualTo(t0.plusSeconds(60).toEpochMilli());
        JsonNode silence = annotations.stream().filter(a -> tags(a).contains("OUR_SIDE_SILENT")).findFirst().orElseThrow();
        assertThat(silence.get("time").asLong()).isEqualTo(t0.plusSeconds(9700).toEpochMilli());
        assertThat(silence.get("timeEnd").asLong()).isEqualTo(t0.plusSeconds(14000).toEpochMilli());
        assertThat(tags(silence)).containsExactly("hotline", "OUR_SIDE_SILENT", "our-side", "error");
        assertThat(silence.get("text").asText()).contains("our side is SILENT", "heard again");
    }

    @Test
    void aLineThatIsNotAnAlertStopsWithItsFileLineAndField() throws Exception {
        Path alerts = Files.writeString(tmp.resolve("bad.jsonl"), AlertCodec.toJson(Alert.callNotPlaced("ship-to-ship",
                Instant.parse("2023-04-03T00:00:00Z"), Instant.parse("2023-04-03T01:00:00Z"))) + "\n\n{\"id\":\"x\"}\n");
        CliTest.Result r = CliTest.run("annotations", alerts.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains(alerts + ":3: not an alert: ", "type");
        CliTest.Result missing = CliTest.run("annotations", tmp.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("nope.jsonl: no such file");
    }

    /**
     * Each annotation has only the API's fields; the regions are exactly the alerts' episodes (beginning to resolution,
     * or a resolution's since when its beginning was not seen), and every other alert is a point at its time with the
     * tags hotline, type, channel, severity; an episode never resolved is a point tagged ongoing.
     */
    private static void checkAgainst(List<Alert> alerts, List<JsonNode> annotations) {
        List<String> expected = new ArrayList<>();
        Map<String, Alert> open = new java.util.LinkedHashMap<>();
        for (Alert a : alerts) {
            String key = a.channel() + "/" + a.since();
            if (a.type() == AlertType.CHANNEL_DOWN || a.type() == AlertType.OUR_SIDE_SILENT) {
                open.put(key, a);
            } else if (a.type().resolves() != null) {
                Alert begin = open.remove(key);
                long from = begin != null ? begin.at().toEpochMilli() : a.since().toEpochMilli();
                expected.add(from + ".." + a.at().toEpochMilli() + " " + List.of("hotline", a.type().resolves().name(),
                        a.channel(), a.type().resolves().severity().wireName()));
            } else {
                expected.add(a.at().toEpochMilli() + " " + List.of("hotline", a.type().name(), a.channel(),
                        a.severity().wireName()));
            }
        }
        open.values().forEach(a -> expected.add(a.at().toEpochMilli() + " " + List.of("hotline", a.type().name(), a.channel(),
                a.severity().wireName(), "ongoing")));
        List<String> actual = new ArrayList<>();
        for (JsonNode a : annotations) {
            List<String> fields = new ArrayList<>();
            a.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isSubsetOf("time", "timeEnd", "tags", "text").contains("time", "tags", "text");
            assertThat(a.get("text").asText()).isNotBlank();
            actual.add(a.get("time").asLong() + (a.has("timeEnd") ? ".." + a.get("timeEnd").asLong() : "") + " " + tags(a));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private static List<String> tags(JsonNode a) {
        List<String> tags = new ArrayList<>();
        a.get("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }
}
