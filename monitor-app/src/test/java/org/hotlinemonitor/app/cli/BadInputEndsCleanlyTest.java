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
}
