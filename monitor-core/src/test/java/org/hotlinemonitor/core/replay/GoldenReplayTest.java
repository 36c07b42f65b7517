package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden replays: each directory under {@code src/test/resources/golden} holds an input log, its channel
 * configuration and the alerts (byte for byte) and rejects (line, reason, field) it must produce. The
 * expectations were derived by hand from each case's README, not by running this code.
 */
class GoldenReplayTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replayGivesTheExpectedAlertsAndRejects(Path dir) throws Exception {
        Map<String, String> args = args(dir);
        Path channels = dir.resolve(args.getOrDefault("channels", "channels.yaml")).normalize();
        Path input = dir.resolve(args.getOrDefault("input", Files.exists(dir.resolve("input.csv")) ? "input.csv" : "input.jsonl")).normalize();
        MonitorConfig config = ConfigLoader.load(channels);
        Duration lateness = config.allowedLateness() != null ? config.allowedLateness() : Duration.ofMinutes(5);

        List<String> alerts = new ArrayList<>();
        List<String> rejects = new ArrayList<>();
        Replay replay = new Replay(new Replay.Options(config, lateness, null, false),
                a -> alerts.add(AlertCodec.toJson(a)),
                r -> rejects.add(r.line() + " " + r.reason() + " " + (r.field() == null ? "-" : r.field())),
                Replay.Progress.NONE);
        ReplayReport report = replay.run(List.of(LogInput.of(input.toString(), null)), InputStream.nullInputStream());

        assertThat(alerts).as("alerts").containsExactlyElementsOf(lines(dir.resolve("expected-alerts.jsonl")));
        Path expectedRejects = dir.resolve("expected-rejects.txt");
        List<String> expected = Files.exists(expectedRejects) ? lines(expectedRejects) : List.of();
        assertThat(rejects).as("rejects").containsExactlyElementsOf(expected);
        assertThat(report.rejects()).isEqualTo(expected.size());
    }

    private static Map<String, String> args(Path dir) throws IOException {
        Map<String, String> args = new HashMap<>();
        Path file = dir.resolve("args");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    args.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        }
        return args;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
