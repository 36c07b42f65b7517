package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.cli.CliTest.CHANNELS;
import static org.hotlinemonitor.app.cli.CliTest.LOG;
import static org.hotlinemonitor.app.cli.CliTest.run;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or wrong input ends a command cleanly: one line that says what and where, and nothing read is lost. */
class BadInputEndsCleanlyTest {

    @TempDir
    Path tmp;

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static List<String> errorLines(Result r) {
        return r.err().lines().filter(l -> l.startsWith("error:") || l.startsWith("\tat ") || l.contains("Exception")).toList();
    }

    @Test
    void aTruncatedGzipIsReplayedUpToTheDamageWithTheReportWrittenAndExitCode5() throws Exception {
        byte[] whole = gzip(Files.readAllBytes(LOG));
        Path cut = tmp.resolve("april.jsonl.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        Path report = tmp.resolve("report.md");
        Path alerts = tmp.resolve("alerts.jsonl");
        Path rejects = tmp.resolve("rejects.jsonl");

        Result r = run("replay", "--channels", CHANNELS.toString(), "--report-out", report.toString(),
                "--alerts-out", alerts.toString(), "--rejects-out", rejects.toString(), cut.toString());

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.DAMAGED);
        List<String> errors = errorLines(r);
        assertThat(errors).as(r.err()).hasSize(1);
        assertThat(errors.get(0)).startsWith("error: " + cut + ": damaged at byte " + whole.length * 2 / 3
                + " of the compressed file (it ends in the middle of its compressed data: truncated): only the ");
        long before = Long.parseLong(errors.get(0).replaceAll(".*only the (\\d+) line\\(s\\).*", "$1"));

        // The same lines from a sound file give the same alerts.
        Path prefix = tmp.resolve("prefix.jsonl");
        Files.write(prefix, Files.readAllLines(LOG).subList(0, (int) before));
        Result sound = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", tmp.resolve("r2.jsonl").toString(),
                prefix.toString());
        assertThat(sound.code()).as(sound.err()).isZero();
        assertThat(Files.readAllLines(alerts)).isNotEmpty().isEqualTo(sound.out().lines().toList());
        assertThat(Files.readString(report)).startsWith("# Replay report\n\n**Input damaged**: " + cut);
        assertThat(Files.readAllLines(rejects)).singleElement().asString()
                .contains("\"line\":" + (before + 1), "\"reason\":\"malformed\"", "cut short");
    }

    @Test
    void aDirectoryGivenAsALogIsOneLineAndExitCode3BeforeAnythingStarts() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("logs"));
        Path alerts = tmp.resolve("alerts.jsonl");
        Result r = run("replay", "--channels", CHANNELS.toString(), "--alerts-out", alerts.toString(), dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines().toList()).containsExactly("error: cannot read " + dir + ": is a directory (give the log files in it)");
        assertThat(alerts).doesNotExist();
    }

    @Test
    void aStaleRejectsFileIsRemovedByACleanRunAndReplacedByARunWithRejects() throws Exception {
        Path rejects = tmp.resolve("rejects.jsonl");
        Files.writeString(rejects, "{\"file\":\"old.jsonl\",\"line\":1,\"reason\":\"late\",\"message\":\"from an earlier run\",\"raw\":\"\"}\n");
        Result clean = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", rejects.toString(), LOG.toString());
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(rejects).as("a clean run leaves no rejects file, not an earlier run's").doesNotExist();

        Files.writeString(rejects, "stale\nstale\nstale\nstale\nstale\n");
        Path log = tmp.resolve("one-bad.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(LOG));
        lines.add(3, "not json");
        Files.write(log, lines);
        Result dirty = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", rejects.toString(), log.toString());
        assertThat(dirty.code()).as(dirty.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Files.readAllLines(rejects)).singleElement().asString().contains("\"line\":4", "not json");
    }

    @Test
    void aRejectsFileThatIsNotARegularFileIsLeftAlone() throws Exception {
        Path devNull = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devNull));
        Result r = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", devNull.toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(devNull).exists();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            too many channels   | --channels 1000001 --days 1   | --channels must be from 1 to 1000000, was 1000001
            no channels         | --channels 0 --days 1         | --channels must be from 1 to 1000000, was 0
            too many days       | --channels 1 --days 3661      | --days must be from 1 to 3660 (ten years), was 3661
            too large a product | --channels 100000 --days 51   | --channels times days must be at most 5000000 (about 2 GB of log), was 100000 x 51 = 5100000
            start too late      | --channels 1 --days 1 --start +999999999-01-01 | --start must be from 1970-01-01 to 9000-01-01, was +999999999-01-01
            """)
    void generateRefusesSizesOutOfBoundsWithTheAllowedRangeBeforeWritingAnything(String name, String options, String message) {
        Path out = tmp.resolve("log.jsonl");
        Path config = tmp.resolve("channels.yaml");
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--out", out.toString(), "--config-out", config.toString()));
        args.addAll(List.of(options.split(" ")));
        Result r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("error: " + message + " (hotline-monitor generate --help for the options)").hasLineCount(1);
        assertThat(out).doesNotExist();
        assertThat(config).doesNotExist();
    }

    @Test
    void generateAtTheBoundsWorks() {
        Path out = tmp.resolve("log.jsonl.gz");
        Result r = run("generate", "--channels", "1", "--days", "1", "--start", "9000-01-01", "--out", out.toString(),
                "--config-out", tmp.resolve("c.yaml").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out).isNotEmptyFile();
    }

    @Test
    void anAnswerWindowOverADayIsRefusedNamingFileLineColumnAndTheRange() throws Exception {
        Path channels = tmp.resolve("channels.yaml");
        Files.writeString(channels, "channels:\n  - id: a\n    zone: UTC\n    checks: ['09:00']\n    answerWithin: PT100000000000H\n");
        Result r = run("replay", "--channels", channels.toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains(channels + ":5:19: channels[0].answerWithin: answerWithin must be more than zero and at most P1D",
                "was PT100000000000H");
        assertThat(r.out()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--rejects-out", "--alerts-out", "--report-out"})
    void anOutputThatIsAlsoAnInputIsRefusedAndTheInputKept(String option) throws Exception {
        Path log = tmp.resolve("calls.jsonl");
        Files.copy(LOG, log);
        Result r = run("replay", "--channels", CHANNELS.toString(), option, log.toString(), log.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines().findFirst()).hasValueSatisfying(first -> assertThat(first).contains(
                option + " " + log + " is also an input (" + log + "): it would be overwritten before it is read"));
        assertThat(Files.readAllLines(log)).isEqualTo(Files.readAllLines(LOG));
    }
}
