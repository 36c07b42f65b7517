package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code record} to a cluster that is not there, as an operator runs it (its own JVM, the shipped logging
 * configuration): one line that says so, a non-zero exit, within the timeout; no Kafka warnings, no stack trace.
 */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // bounds on how long things take: run with no other test class beside it (pom.xml)
class RecordUnreachableTest {

    @Test
    void anUnreachableBrokerIsOneLineAndExitCode1WithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        // What starting and stopping a JVM with the command line costs here, to tell it from the command's own time.
        long started = System.nanoTime();
        Process version = start("--version");
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).as("--version ended").isTrue();
        Duration jvm = Duration.ofNanos(System.nanoTime() - started);

        started = System.nanoTime();
        Process record = start("record", "--bootstrap-servers", "127.0.0.1:" + port, "--channels", CliTest.CHANNELS.toString(),
                "--channel", "liaison-office", "--answered", "--at", "2023-04-07T00:01:00Z", "--timeout", "PT3S");
        assertThat(record.waitFor(60, TimeUnit.SECONDS)).as("record ended").isTrue();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String out = new String(record.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> err = new String(record.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        System.out.println("record to 127.0.0.1:" + port + " (nothing listening), --timeout PT3S: exit code "
                + record.exitValue() + " after " + elapsed.toMillis() + " ms (a JVM's start and stop alone: " + jvm.toMillis()
                + " ms); stderr: " + err);

        assertThat(record.exitValue()).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).containsExactly("error: no answer from the Kafka cluster at 127.0.0.1:" + port + " within PT3S "
                + "(is it running, is the address right?); the call was not recorded");
        assertThat(out).isEmpty();
        // The timeout (3 s), loading the Kafka client and closing the producer: within 3 + 3 s of a JVM's start and stop.
        assertThat(elapsed.minus(jvm)).isLessThan(Duration.ofSeconds(6));
    }

    private static Process start(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + org.hotlinemonitor.app.logging.LogSetup.SHIPPED + "=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        return p;
    }
}
