package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on the embedded broker when the disk of its data directory fills up, for real: the data directory is on
 * a small tmpfs of its own (mounted in a private mount namespace with {@code unshare}, so nothing outside the test
 * sees it), the monitor runs as an operator starts it (its own JVM, the shipped logging configuration), and once it
 * is ready the rest of that tmpfs is filled with {@code dd} until the disk says it is full. The broker's next write
 * (a heartbeat, the detector's commit) fails, and Kafka asks to halt the process.
 *
 * <p>What the operator must see: one {@code error:} line naming the data directory, that its disk is full and what
 * to do; the other parts stopped in order (each logs its stop), no flood of Kafka's retry warnings; exit code 1, not
 * Kafka's halt. Then doing what the line says (the filler removed) and starting again on the same data works.
 *
 * <p>Needs {@code unshare} and {@code mount} with the right to mount (root, as in CI): skipped with a message
 * otherwise, and a failure under {@code CI=true}.
 */
@org.junit.jupiter.api.Tag("integration")
class DiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskIsOneClearLineAndAnOrderlyStop() throws Exception {
        requireMountNamespaces();
        Path mount = Files.createDirectory(tmp.resolve("disk"));
        Path fill = tmp.resolve("fill-now");
        Path filled = tmp.resolve("filled");
        Path out = tmp.resolve("run.out");
        Path err = tmp.resolve("run.err");
        Path firstExit = tmp.resolve("first.exit");
        Path again = tmp.resolve("again.err");
        Path againExit = tmp.resolve("again.exit");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // In the namespace: mount a 256 MiB tmpfs, start run with its data there, wait for the test's word, fill the disk.
        String script = String.join("\n",
                "set -u",
                "mount -t tmpfs -o size=256m tmpfs \"$DISK\" || exit 97",
                "\"$JAVA\" -D" + org.hotlinemonitor.app.logging.LogSetup.SHIPPED + "=true -cp \"$CP\" " + Main.class.getName()
                        + " run --channels \"$CHANNELS\" --data-dir \"$DISK/data\" --http-port 0 --placer simulated"
                        + " --broker-port $BROKER_PORT --controller-port $CONTROLLER_PORT &",
                "pid=$!",
                "while [ ! -e \"$FILL\" ]; do kill -0 $pid 2>/dev/null || break; sleep 0.2; done",
                "dd if=/dev/zero of=\"$DISK/filler\" bs=1M 2>/dev/null",
                "df -k \"$DISK\" | tail -1 > \"$FILLED\"",
                "wait $pid",
                "code=$?",
                "echo $code > \"$FIRST_EXIT\"",
                // What the error line says to do: free space, and start again on the same data.
                "rm -f \"$DISK/filler\"",
                "\"$JAVA\" -D" + org.hotlinemonitor.app.logging.LogSetup.SHIPPED + "=true -cp \"$CP\" " + Main.class.getName()
                        + " run --channels \"$CHANNELS\" --data-dir \"$DISK/data\" --http-port 0 --placer simulated"
                        + " --broker-port $BROKER_PORT --controller-port $CONTROLLER_PORT 2> \"$AGAIN\" &",
                "pid=$!",
                "for i in $(seq 1 600); do grep -q 'ready in' \"$AGAIN\" && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done",
                "kill -TERM $pid; wait $pid; echo $? > \"$AGAIN_EXIT\"",
                "exit $code");
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(java.util.Map.of("DISK", mount.toString(), "JAVA", javaBin,
                "CP", System.getProperty("java.class.path"), "CHANNELS", CliTest.CHANNELS.toString(),
                "FILL", fill.toString(), "FILLED", filled.toString(), "FIRST_EXIT", firstExit.toString(), "AGAIN", again.toString(),
                "AGAIN_EXIT", againExit.toString()));
        // The same ports for both runs, as a restart on the default ports has.
        try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(0)) {
            pb.environment().put("BROKER_PORT", String.valueOf(a.getLocalPort()));
            pb.environment().put("CONTROLLER_PORT", String.valueOf(b.getLocalPort()));
        }
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(err).contains("ready in")) {
                assertThat(p.isAlive()).as("run started: %s", Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("run ready within 120 s: %s", Files.readString(err)).isLessThan(deadline);
                Thread.sleep(200);
            }
            Files.writeString(fill, "now");
            long filling = System.nanoTime();
            while (!Files.exists(firstExit) || Files.readString(firstExit).isBlank()) {
                assertThat(p.isAlive()).as("the script runs: %s", Files.readString(err)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - filling)).as("run ended after the disk filled: %s",
                        Files.readString(err)).isLessThan(Duration.ofSeconds(180));
                Thread.sleep(100);
            }
            Duration stopped = Duration.ofNanos(System.nanoTime() - filling);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the second run, once space was freed, ended: %s",
                    Files.exists(again) ? Files.readString(again) : "").isTrue();
            List<String> lines = Files.readString(err).lines().toList();
            List<String> errors = lines.stream().filter(l -> l.startsWith("error:")).toList();
            System.out.println("disk full under run: exit code " + p.exitValue() + " " + stopped.toMillis() + " ms after the fill ("
                    + Files.readString(filled).strip() + "); error lines: " + errors + "; the last log lines:\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size())));

            assertThat(p.exitValue()).as("exit code: the command's own, not Kafka's halt").isEqualTo(ExitCodes.FAILURE);
            assertThat(errors).as("one error line").hasSize(1);
            assertThat(errors.get(0)).as("it names the data directory, the cause and what to do")
                    .startsWith("error: the embedded Kafka broker stopped working: its data directory "
                            + mount.resolve("data").resolve("kafka") + " failed; its disk is full (")
                    .contains("free space there, or move the data directory to a larger disk (--data-dir), then start again");
            assertThat(lines).as("the other parts stopped in order, each saying so")
                    .anySatisfy(l -> assertThat(l).contains("scheduler: stopped"))
                    .anySatisfy(l -> assertThat(l).contains("detector hotline-monitor-detector: stopped"));
            List<String> after = lines.subList(lines.indexOf(lines.stream().filter(l -> l.contains("its data directory")).findFirst()
                    .orElseThrow()), lines.size());
            assertThat(after).as("after the failure: no retry warnings of Kafka's clients").noneMatch(l -> l.contains(" WARN "));
            assertThat(String.join("\n", after)).as("in order: the scheduler, the detector, the broker, then the error line")
                    .containsSubsequence("scheduler: stopped", "detector hotline-monitor-detector: stopped", "Embedded Kafka broker",
                            "error: the embedded Kafka broker stopped working");
            assertThat(Files.readString(out)).as("no stack trace on stdout").doesNotContain("\tat ");
            String second = Files.readString(again);
            System.out.println("disk full, then space freed and run started again: " + second.lines()
                    .filter(l -> l.contains("aborted the hanging transaction")).count() + " hanging transaction(s) aborted; "
                    + second.lines().filter(l -> l.contains("ready in")).findFirst().orElse("never ready"));
            assertThat(second).as("once space is freed, run starts again on the same data (not formatted anew)")
                    .contains("Embedded Kafka broker ready", "data in " + mount.resolve("data").resolve("kafka"), "ready in")
                    .doesNotContain("formatted");
            assertThat(Files.readString(againExit).strip()).as("and stops cleanly on SIGTERM").isEqualTo("0");
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Skips (or fails under CI=true) when this machine does not let the test mount a tmpfs in a namespace of its own. */
    private void requireMountNamespaces() throws Exception {
        Path probe = Files.createDirectory(tmp.resolve("probe"));
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$0\"", probe.toString()).redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (ended && p.exitValue() == 0) {
            return;
        }
        String message = "cannot mount a tmpfs in a private mount namespace here (unshare -m: " + said
                + "); the test needs root or CAP_SYS_ADMIN";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so this test must run");
        }
        Assumptions.assumeTrue(false, "skipped: " + message + "; set CI=true to make this a failure");
    }
}
