package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged input (a truncated or corrupt gzip file) is replayed up to the damage: the lines before it give the
 * alerts they give on their own, a line the damage cut short is refused, and the report names file and offset.
 */
class DamagedInputTest {

    static final Path CHANNELS = Path.of("../examples/channels.yaml");
    static final Path LOG = Path.of("../examples/april-2023.jsonl");

    @TempDir
    Path tmp;

    record Run(List<String> alerts, List<RejectRecord> rejects, ReplayReport report) {
    }

    static Run replay(Path input) throws Exception {
        MonitorConfig config = ConfigLoader.load(CHANNELS);
        List<String> alerts = new ArrayList<>();
        List<RejectRecord> rejects = new ArrayList<>();
        ReplayReport report = new Replay(new Replay.Options(config, Duration.ofMinutes(5), null, false),
                a -> alerts.add(AlertCodec.toJson(a)), rejects::add, Replay.Progress.NONE)
                .run(List.of(LogInput.of(input.toString(), null)), InputStream.nullInputStream());
        return new Run(alerts, rejects, report);
    }

    static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** The alerts of the log's first {@code n} lines replayed from a sound file. */
    Run prefix(long n) throws Exception {
        Path file = tmp.resolve("prefix-" + n + ".jsonl");
        Files.write(file, Files.readAllLines(LOG).subList(0, (int) n));
        return replay(file);
    }

    @Test
    void aTruncatedGzipIsReplayedUpToWhereItEndsAndTheCutLineIsRefused() throws Exception {
        byte[] whole = gzip(Files.readAllBytes(LOG));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        Path file = tmp.resolve("cut.jsonl.gz");
        Files.write(file, cut);

        Run run = replay(file);

        assertThat(run.report().damage()).hasSize(1);
        InputDamage d = run.report().damage().get(0);
        assertThat(d.input()).isEqualTo(file.toString());
        assertThat(d.compressed()).isTrue();
        assertThat(d.offset()).isEqualTo(cut.length);
        assertThat(d.problem()).contains("truncated");
        long total = Files.readAllLines(LOG).size();
        assertThat(d.lines()).isBetween(total / 10, total - 1);
        assertThat(d.describe()).startsWith(file + ": damaged at byte " + cut.length + " of the compressed file")
                .contains("the " + d.lines() + " line(s) before it");

        Run sound = prefix(d.lines());
        assertThat(run.alerts()).isNotEmpty().isEqualTo(sound.alerts());
        assertThat(run.rejects()).hasSize(1);
        RejectRecord cutLine = run.rejects().get(0);
        assertThat(cutLine.line()).isEqualTo(d.lines() + 1);
        assertThat(cutLine.reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(cutLine.message()).contains("cut short");
        assertThat(Files.readAllLines(LOG).get((int) d.lines())).startsWith(cutLine.raw());
        assertThat(run.report().toMarkdown()).contains("**Input damaged**: " + d.describe());
        assertThat(run.report().toJson()).contains("\"damaged\" : [ {", "\"offset\" : " + cut.length);
    }

    @Test
    void corruptGzipDataIsNamedByWhereTheDecoderStopped() throws Exception {
        byte[] bytes = gzip(Files.readAllBytes(LOG));
        int at = bytes.length / 2;
        Arrays.fill(bytes, at, at + 64, (byte) 0xff);
        Path file = tmp.resolve("corrupt.jsonl.gz");
        Files.write(file, bytes);

        Run run = replay(file);

        assertThat(run.report().damage()).hasSize(1);
        InputDamage d = run.report().damage().get(0);
        assertThat(d.problem()).startsWith("corrupt compressed data");
        assertThat(d.offset()).isBetween((long) at, (long) at + 64);
        assertThat(d.lines()).isPositive();
        assertThat(run.alerts()).isNotEmpty();
    }

    @Test
    void aGzipCutInsideItsHeaderIsDamageAtTheStart() throws Exception {
        Path file = tmp.resolve("header.jsonl.gz");
        Files.write(file, Arrays.copyOf(gzip(Files.readAllBytes(LOG)), 5));
        Run run = replay(file);
        assertThat(run.report().damage()).singleElement().satisfies(d -> {
            assertThat(d.lines()).isZero();
            assertThat(d.compressed()).isTrue();
            assertThat(d.offset()).isEqualTo(5);
            assertThat(d.problem()).contains("truncated");
        });
        assertThat(run.alerts()).isEmpty();
        assertThat(run.rejects()).isEmpty();
    }

    @Test
    void aSoundFileHasNoDamage() throws Exception {
        Path file = tmp.resolve("whole.jsonl.gz");
        Files.write(file, gzip(Files.readAllBytes(LOG)));
        Run run = replay(file);
        assertThat(run.report().damage()).isEmpty();
        assertThat(run.rejects()).isEmpty();
        assertThat(run.report().toJson()).contains("\"damaged\" : [ ]");
    }

    @Test
    void inputsAfterADamagedOneAreStillRead() throws Exception {
        List<String> lines = Files.readAllLines(LOG);
        Path first = tmp.resolve("first.jsonl.gz");
        byte[] whole = gzip(String.join("\n", lines.subList(0, 400)).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(first, Arrays.copyOf(whole, whole.length - 20));
        Path second = tmp.resolve("second.jsonl");
        Files.write(second, lines.subList(400, lines.size()));
        MonitorConfig config = ConfigLoader.load(CHANNELS);
        List<String> alerts = new ArrayList<>();
        ReplayReport report = new Replay(new Replay.Options(config, Duration.ofMinutes(5), null, false),
                a -> alerts.add(AlertCodec.toJson(a)), r -> { }, Replay.Progress.NONE)
                .run(List.of(LogInput.of(first.toString(), null), LogInput.of(second.toString(), null)),
                        InputStream.nullInputStream());
        assertThat(report.damage()).extracting(InputDamage::input).containsExactly(first.toString());
        long beforeDamage = report.damage().get(0).lines();
        assertThat(beforeDamage).isBetween(300L, 399L);
        // Every line of the second file is read: the whole lines before the damage, the cut one, then the second file.
        assertThat(report.toTree().get("input").toString())
                .contains("lines=" + (beforeDamage + 1 + lines.size() - 400) + ",");
    }
}
