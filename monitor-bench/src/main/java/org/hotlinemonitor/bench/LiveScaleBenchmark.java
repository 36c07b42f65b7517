package org.hotlinemonitor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;

/**
 * The live monitor at scale, from the outside: {@code run} (the shipped jar, its embedded broker, scheduler with the
 * simulated placer, detector, metrics) as a child process with {@code CHANNELS} channels whose two daily checks are
 * spread evenly over the day (channel {@code i} at minute {@code i * 1440 / CHANNELS} after a base, and twelve hours
 * later), every call unanswered, so that each slot that comes due is a {@code SLOT_MISSED} alert: the alerts on
 * {@code run}'s stdout say exactly which slots were judged.
 *
 * <p>Measures the time to the ready line, then for {@code MINUTES} minutes the child's CPU and resident memory, the
 * slots judged against the schedule (every slot whose time is at least a minute after ready and whose deadline has
 * passed by 30 s at the end), the alert latency (the line's arrival on stdout less the alert's {@code at}), the heap
 * after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}), and the lines of the log that would mean trouble
 * (fenced producers, rebalances, warnings). Run by {@code bench/live-scale.sh}; see docs/benchmarks.md.
 *
 * <p>Usage: {@code LiveScaleBenchmark JAR CHANNELS MINUTES [JAVA_OPTS...]}
 */
public final class LiveScaleBenchmark {

    private static final Pattern READY = Pattern.compile("ready in ([0-9.]+) s");
    private static final Duration ANSWER_WITHIN = Duration.ofMinutes(2);

    private LiveScaleBenchmark() {
    }

    /** An alert as it arrived on stdout. */
    record Received(long receivedAt, Alert alert) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int channels = Integer.parseInt(args[1]);
        int minutes = Integer.parseInt(args[2]);
        List<String> javaOpts = Arrays.asList(args).subList(3, args.length);
        Path dir = Files.createTempDirectory("live-scale");
        long base = Instant.now().getEpochSecond() / 60 + 2; // minutes since the epoch: the first slots come 2 min on
        int baseMinuteOfDay = (int) (base % 1440);
        Path channelFile = dir.resolve("channels.yaml");
        writeChannels(channelFile, channels, baseMinuteOfDay);
        Path simulation = dir.resolve("simulation.yaml");
        Files.writeString(simulation, """
                seed: 1
                answerDelay: {min: PT5S, max: PT30S}
                noAnswerRate: 1.0
                ringFor: PT20S
                faultAfter: PT5S
                """);
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(javaOpts);
        command.addAll(List.of("-jar", jar.toString(), "run", "--channels", channelFile.toString(), "--placer", "simulated",
                "--simulation", simulation.toString(), "--broker-port", "0", "--controller-port", "0",
                "--http-port", Integer.toString(httpPort), "--data-dir", dir.resolve("data").toString()));
        System.out.printf(Locale.ROOT, "%,d channels, two checks a day each spread over the day (about %.0f slots a minute), "
                        + "every call unanswered; %d measured minutes; %s; java options %s%n",
                channels, channels * 2 / 1440.0, minutes, BenchKafka.load(), javaOpts);
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<Received> received = new ArrayList<>();
        Thread reader = new Thread(() -> readAlerts(p, received), "alerts");
        reader.start();
        long launched = System.currentTimeMillis();
        try {
            double readyIn = awaitReady(stderr, p);
            long readyAt = System.currentTimeMillis();
            System.out.printf(Locale.ROOT, "ready in %.1f s (its own line), %.1f s from launch; %s%n", readyIn,
                    (readyAt - launched) / 1000.0, BenchKafka.load());
            long endAt = readyAt + minutes * 60_000L;
            long[] cpu0 = {cpuTicks(p.pid())};
            long t0 = System.currentTimeMillis();
            List<Long> rss = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            while (System.currentTimeMillis() < endAt) {
                Thread.sleep(Math.min(30_000, Math.max(1, endAt - System.currentTimeMillis())));
                if (!p.isAlive()) {
                    throw new IllegalStateException("run stopped; see " + stderr);
                }
                long ticks = cpuTicks(p.pid());
                long t = System.currentTimeMillis();
                double share = (ticks - cpu0[0]) * 10.0 / (t - t0); // ticks are 10 ms: share of one core
                cpu.add(share);
                cpu0[0] = ticks;
                t0 = t;
                long r = rssKb(p.pid());
                rss.add(r);
                System.out.printf(Locale.ROOT, "  +%3d s: CPU %.0f%% of one core, RSS %,d MB, alerts so far %,d%n",
                        (t - readyAt) / 1000, share * 100, r / 1024, size(received));
            }
            String metrics = get("http://localhost:" + httpPort + "/metrics");
            System.out.printf(Locale.ROOT, "/metrics: %,d bytes, %,d lines; hotline_slots_total: %s%n",
                    metrics.length(), metrics.lines().count(), slots(metrics));
            String heap = heapAfterGc(p.pid());
            System.out.println("heap after a full GC: " + heap);
            if (Boolean.getBoolean("bench.histogram")) { // the heap's biggest classes, to see where it goes
                run("jcmd", Long.toString(p.pid()), "GC.class_histogram").lines().limit(23).forEach(System.out::println);
            }
            judged(received, channels, baseMinuteOfDay, base, readyAt + 60_000, System.currentTimeMillis() - 30_000);
            long stopAt = System.currentTimeMillis();
            p.destroy();
            boolean stopped = p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "stopped by SIGTERM in %.1f s (exit %s); median CPU %.0f%% of one core; RSS max %,d MB%n",
                    (System.currentTimeMillis() - stopAt) / 1000.0, stopped ? p.exitValue() : "none, killed",
                    median(cpu) * 100, rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024);
            trouble(stderr);
        } finally {
            p.destroyForcibly();
            reader.join(10_000);
        }
        System.out.println("work directory (kept): " + dir);
    }

    /** Channel {@code i}: checks at minute {@code (base + i * 1440 / n) mod 1440} of the UTC day and 12 h later. */
    static void writeChannels(Path file, int n, int baseMinuteOfDay) throws IOException {
        StringBuilder b = new StringBuilder("# live-scale benchmark: ").append(n).append(" channels\n");
        b.append("defaults:\n  zone: UTC\n  answerWithin: ").append(ANSWER_WITHIN).append("\n  downAfter: 2\nchannels:\n");
        for (int i = 0; i < n; i++) {
            int m = minuteOf(i, n, baseMinuteOfDay);
            int m2 = (m + 720) % 1440;
            b.append(String.format(Locale.ROOT, "  - id: line-%07d%n    checks: ['%02d:%02d', '%02d:%02d']%n",
                    i, m / 60, m % 60, m2 / 60, m2 % 60));
        }
        Files.writeString(file, b);
    }

    static int minuteOf(int i, int n, int baseMinuteOfDay) {
        return (int) ((baseMinuteOfDay + (long) i * 1440 / n) % 1440);
    }

    /** Compares the SLOT_MISSED alerts with every slot of the schedule in {@code [from, to]} (slot time to deadline). */
    static void judged(List<Received> received, int n, int baseMinuteOfDay, long baseMinute, long from, long to) {
        Set<String> expected = new HashSet<>();
        long dayStart = (baseMinute - baseMinuteOfDay) * 60_000L;
        for (int i = 0; i < n; i++) {
            int m = minuteOf(i, n, baseMinuteOfDay);
            for (int minute : new int[] {m, (m + 720) % 1440}) {
                for (long day = dayStart - 86_400_000L; day <= dayStart + 86_400_000L; day += 86_400_000L) {
                    long slot = day + minute * 60_000L;
                    if (slot >= from && slot + ANSWER_WITHIN.toMillis() <= to) {
                        expected.add(String.format(Locale.ROOT, "line-%07d", i) + "@" + slot);
                    }
                }
            }
        }
        Set<String> got = new HashSet<>();
        List<Long> latency = new ArrayList<>();
        int other = 0;
        synchronized (received) {
            for (Received r : received) {
                Alert a = r.alert();
                if (a.type() != AlertType.SLOT_MISSED) {
                    other++;
                    continue;
                }
                String key = a.channel() + "@" + a.slot().toEpochMilli();
                if (expected.contains(key)) {
                    got.add(key);
                    latency.add(r.receivedAt() - a.at().toEpochMilli());
                }
            }
        }
        long[] ms = latency.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "slots due in the window (%s to %s): %,d; judged (SLOT_MISSED on stdout): %,d; "
                        + "not judged: %,d; other alerts: %d%n", Instant.ofEpochMilli(from).atOffset(ZoneOffset.UTC).toLocalTime(),
                Instant.ofEpochMilli(to).atOffset(ZoneOffset.UTC).toLocalTime(), expected.size(), got.size(),
                expected.size() - got.size(), other);
        if (ms.length > 0) {
            System.out.printf(Locale.ROOT, "alert latency (stdout arrival - at), ms: p50 %d, p90 %d, p99 %d, max %d%n",
                    ms[ms.length / 2], ms[(int) (ms.length * 0.9)], ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))],
                    ms[ms.length - 1]);
        }
    }

    private static void readAlerts(Process p, List<Received> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                long now = System.currentTimeMillis();
                if (line.startsWith("{")) {
                    Alert a = AlertCodec.fromJson(line);
                    synchronized (out) {
                        out.add(new Received(now, a));
                    }
                }
            }
        } catch (IOException e) {
            // the child stopped
        }
    }

    private static int size(List<Received> received) {
        synchronized (received) {
            return received.size();
        }
    }

    private static double awaitReady(Path stderr, Process p) throws IOException, InterruptedException {
        for (int i = 0; i < 6000; i++) {
            if (Files.exists(stderr)) {
                Matcher m = READY.matcher(Files.readString(stderr));
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("run stopped before ready; see " + stderr);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not ready in 10 minutes; see " + stderr);
    }

    private static void trouble(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr);
        long fenced = lines.stream().filter(l -> l.contains("Fenced") || l.contains("InvalidProducerEpoch")).count();
        long rebalance = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("rebalanc")).count();
        long warn = lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
        System.out.printf(Locale.ROOT, "log: %,d lines; fenced/epoch lines %d; rebalance lines %d; WARN/ERROR lines %d%n",
                lines.size(), fenced, rebalance, warn);
        lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(5).forEach(l -> System.out.println("  " + l));
    }

    private static String slots(String metrics) {
        StringBuilder b = new StringBuilder();
        metrics.lines().filter(l -> l.startsWith("hotline_slots_total{")).forEach(l -> b.append(l.replace("hotline_slots_total", "")).append(' '));
        return b.toString().trim();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String heapAfterGc(long pid) throws IOException, InterruptedException {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? String.format(Locale.ROOT, "%,d MB", Long.parseLong(m.group(1)) / 1024) : info.strip();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** utime + stime of the process, in clock ticks (10 ms). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return 0;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
