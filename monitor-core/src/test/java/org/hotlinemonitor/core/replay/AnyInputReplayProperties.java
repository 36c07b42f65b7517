package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Whatever bytes a replay is given on standard input (a log with lines garbled, binary, gzip-compressed and cut
 * anywhere), it ends with a report: each line is an event or a reject, a damaged stream is named, and nothing
 * escapes as an exception.
 */
class AnyInputReplayProperties {

    static final MonitorConfig CONFIG;
    static final List<String> LOG;

    static {
        try {
            CONFIG = ConfigLoader.load(Path.of("../examples/channels.yaml"));
            LOG = Files.readAllLines(Path.of("../examples/april-2023.jsonl")).subList(0, 200);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Property(tries = 300)
    void anyInputEndsInAReport(@ForAll("inputs") byte[] input) throws Exception {
        List<RejectRecord> rejects = new ArrayList<>();
        ReplayReport report = new Replay(new Replay.Options(CONFIG, Duration.ofMinutes(5), null, false), a -> { },
                rejects::add, Replay.Progress.NONE)
                .run(List.of(LogInput.of("-", null)), new ByteArrayInputStream(input));
        assertThat(report.rejects()).isEqualTo(rejects.size());
        for (RejectRecord r : rejects) {
            assertThat(r.message()).isNotBlank();
            assertThat(r.rawBase64()).isEqualTo(RejectRecord.Raw.of(r.rawBytes()).base64());
        }
        Statistics.label("damaged").collect(!report.damage().isEmpty());
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.longs().map(seed -> input(new Random(seed)));
    }

    static byte[] input(Random random) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (String line : LOG.subList(0, 1 + random.nextInt(LOG.size()))) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(8) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                if (b.length > 0) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            plain.writeBytes(b);
            plain.write(random.nextInt(20) == 0 ? '\r' : '\n');
        }
        byte[] bytes = plain.toByteArray();
        if (random.nextBoolean()) {
            return bytes;
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        byte[] compressed = gz.toByteArray();
        switch (random.nextInt(3)) {
            case 0 -> compressed = Arrays.copyOf(compressed, 2 + random.nextInt(compressed.length - 1));
            case 1 -> compressed[2 + random.nextInt(compressed.length - 2)] ^= (byte) (1 << random.nextInt(8));
            default -> { }
        }
        return compressed;
    }
}
