package org.hotlinemonitor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar the build ships ({@code target/monitor-app.jar}, after the package phase: run by failsafe in
 * {@code verify}), not the test class path: under 60 MB, without RocksDB's native libraries, and the README's
 * quick start on it works (the embedded broker, the scheduler and the detector start, the status page and the
 * metrics answer, SIGTERM ends it with exit 0).
 */
class ShippedJarIT {

    static final Path JAR = Path.of("target", "monitor-app.jar");
    static final long LIMIT = 60L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void theShippedJarIsLeanAndItsQuickStartRuns() throws Exception {
        assertThat(JAR).exists();
        long size = Files.size(JAR);
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            long natives = zip.stream().filter(e -> e.getName().startsWith("librocksdbjni")).count();
            System.out.printf("shipped jar: %.1f MB, %d entries, %d RocksDB native libraries%n", size / 1e6, zip.size(), natives);
            assertThat(natives).as("RocksDB natives in the jar").isZero();
        }
        assertThat(size).as("jar size").isLessThan(LIMIT);

        int http = freePort();
        Path channels = Path.of("..", "examples", "channels.yaml").toAbsolutePath().normalize();
        Path log = tmp.resolve("run.log");
        Process run = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "run", "--channels", channels.toString(), "--placer", "simulated",
                "--data-dir", tmp.resolve("data").toString(), "--broker-port", "0", "--controller-port", "0",
                "--http-port", Integer.toString(http)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.readString(log).contains("open the status page") && System.nanoTime() < deadline) {
                assertThat(run.isAlive()).as(() -> "run ended early:\n" + read(log)).isTrue();
                Thread.sleep(200);
            }
            assertThat(read(log)).contains("ready in", "open the status page: http://localhost:" + http + "/");
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/readyz", "/", "/api/v1/status", "/metrics")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
        assertThat(run.exitValue()).as(() -> read(log)).isZero();
        assertThat(read(log)).doesNotContain("WARN", "ERROR", "UnsatisfiedLinkError", "rocksdb");
    }

    /**
     * The package step writes a class-data archive beside the jar (with this JDK, which can), and bin/hotline runs the
     * jar with it: the replay's alerts are those of the jar run plainly, and stdout holds nothing else.
     */
    @Test
    void theLauncherUsesTheClassDataArchiveAndChangesNoOutput() throws Exception {
        Path jsa = Path.of("target", "monitor-app.jsa");
        assertThat(jsa).as("written by the package step").exists();
        assertThat(Files.size(jsa)).isGreaterThan(1_000_000);
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> replay = List.of("replay", "--channels", root.resolve("examples/channels.yaml").toString(),
                "--report-out", tmp.resolve("report.md").toString(), "--no-progress",
                root.resolve("examples/april-2023.jsonl").toString());
        java.util.ArrayList<String> launcher = new java.util.ArrayList<>(List.of(root.resolve("bin/hotline").toString()));
        launcher.addAll(replay);
        java.util.ArrayList<String> plain = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off", "-jar",
                JAR.toAbsolutePath().toString()));
        plain.addAll(replay);
        String withCds = output(launcher, Map.of());
        String without = output(plain, Map.of());
        assertThat(withCds).isNotEmpty().isEqualTo(without);
        // The JVM says where classes came from: with the launcher, the monitor's own and picocli's (compiled for Java 5,
        // which only a static archive keeps) from the shared archive.
        String sources = output(List.of(root.resolve("bin/hotline").toString(), "--version"),
                Map.of("JAVA_OPTS", "-Xlog:class+load=info:stdout"));
        assertThat(sources).contains("org.hotlinemonitor.app.cli.Main source: shared objects file",
                "picocli.CommandLine source: shared objects file");
    }

    /**
     * bin/hotline runs a replay of less than 1 GiB of log with the JVM's quick compiler only and the serial collector,
     * anything else with the JVM's defaults (four tiers, G1), and JAVA_OPTS has the last word. The JVM prints its flags
     * first on stdout.
     */
    @Test
    void theLauncherPicksTheQuickCompilerForASmallReplayOnly() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String launcher = root.resolve("bin/hotline").toString();
        Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");
        String channels = root.resolve("examples/channels.yaml").toString();
        String small = root.resolve("examples/april-2023.jsonl").toString();
        Path big = tmp.resolve("big.jsonl");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 30); // sparse: 1 GiB on paper, nothing on disk; only its size is read (replay --help)
        }
        String report = tmp.resolve("report.md").toString();
        String tier = "TieredStopAtLevel\\s+=\\s+";
        String quick = output(List.of(launcher, "replay", "--channels", channels, "--report-out", report, "--no-progress", small),
                flags);
        assertThat(quick).containsPattern(tier + "1\\b").containsPattern("UseSerialGC\\s+=\\s+true");
        // An output file is not read: a big one changes nothing. A channel file is read, and weighs 32 times its size.
        assertThat(output(List.of(launcher, "replay", "--channels", channels, "--report-out", big.toString(), "--help", small),
                flags)).containsPattern(tier + "1\\b");
        Path channelFile = tmp.resolve("many-channels.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(channelFile.toFile(), "rw")) {
            f.setLength(40L << 20); // 40 MiB, weighed as 1.25 GiB
        }
        assertThat(output(List.of(launcher, "replay", "--channels", channelFile.toString(), "--help", small), flags))
                .containsPattern(tier + "4\\b");
        assertThat(output(List.of(launcher, "replay", "--help", small, big.toString()), flags)).containsPattern(tier + "4\\b");
        assertThat(output(List.of(launcher, "--version"), flags)).containsPattern(tier + "4\\b")
                .containsPattern("UseSerialGC\\s+=\\s+false");
        assertThat(output(List.of(launcher, "replay", "--channels", channels, "--report-out", report, "--no-progress", small),
                Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal"))).containsPattern(tier + "4\\b");
        // A collector named in JAVA_OPTS replaces the serial one (the JVM would refuse to start with both).
        assertThat(output(List.of(launcher, "replay", "--channels", channels, "--report-out", report, "--no-progress", small),
                Map.of("JAVA_OPTS", "-XX:+UseParallelGC -XX:+PrintFlagsFinal"))).containsPattern(tier + "1\\b")
                .containsPattern("UseParallelGC\\s+=\\s+true").containsPattern("UseSerialGC\\s+=\\s+false");
    }

    private static String output(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ")";
        }
    }
}
