package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's progress bar: on a terminal, one line redrawn in place with how far, lines, lines per second and the
 * time left; nothing at all when standard error is not a terminal (a pipe, a file, CI's log), unless asked for.
 */
class ProgressBarTest {

    @TempDir
    Path tmp;

    @Test
    void oneLineRedrawnWithRateAndTimeLeft() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Terminal.ProgressBar bar = new Terminal.ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

        now.addAndGet(2_000_000_000L);
        bar.update("log.jsonl", 25, 100, 1000);
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertThat(first).startsWith("\rlog.jsonl [").contains(" 25.0% 1,000 lines, 500 lines/s, ETA 6 s ")
                .doesNotContain("\n");

        now.addAndGet(100_000_000L); // within 200 ms of the last drawing: not drawn again
        bar.update("log.jsonl", 30, 100, 1200);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(first);

        now.addAndGet(3_000_000_000L);
        bar.update("log.jsonl", 60, 100, 3000);
        assertThat(bytes.toString(StandardCharsets.UTF_8).substring(first.length()))
                .contains(" 60.0% 3,000 lines, 588 lines/s, ETA 3 s ");

        now.addAndGet(50_000_000L); // the end is always drawn, without a time left
        bar.update("log.jsonl", 100, 100, 5000);
        bar.finish();
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertThat(all.substring(all.lastIndexOf('\r'))).contains("100.0% 5,000 lines").doesNotContain("ETA").endsWith("\n");
    }

    @Test
    void timesLeftAreReadable() {
        assertThat(Terminal.ProgressBar.duration(42.4)).isEqualTo("42 s");
        assertThat(Terminal.ProgressBar.duration(185)).isEqualTo("3 min 05 s");
        assertThat(Terminal.ProgressBar.duration(7620)).isEqualTo("2 h 07 min");
    }

    @Test
    void silentWhenStandardErrorIsNotATerminalUnlessAskedFor() throws Exception {
        Result quiet = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", tmp.resolve("a.jsonl").toString(),
                "--report-out", tmp.resolve("r.md").toString(), CliTest.LOG.toString());
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.err()).as("a pipe, not a terminal: no bar").doesNotContain("\r").doesNotContain("lines/s");

        Result asked = CliTest.run("replay", "--progress", "--channels", CliTest.CHANNELS.toString(), "--alerts-out",
                tmp.resolve("b.jsonl").toString(), "--report-out", tmp.resolve("s.md").toString(), CliTest.LOG.toString());
        assertThat(asked.code()).as(asked.err()).isZero();
        assertThat(asked.err()).as("--progress: the bar, ended by a new line").contains("\r", "100.0%", "lines/s");
    }
}
