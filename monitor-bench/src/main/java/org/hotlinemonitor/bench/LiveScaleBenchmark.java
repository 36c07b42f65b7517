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
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>With {@code split}, the same with the split commands as three processes: {@code broker}, {@code produce} (the
 * scheduler) and {@code detect}; the alerts are read from {@code hotline.alerts} by a {@code read_committed} consumer
 * (the latency is its receive time less the alert's {@code at}), and CPU and memory are summed over the three.
 *
 * <p>With {@code split:K}, K {@code detect} processes of one application id share the partitions (the heap of each
 * is printed): how the detector spreads.
 *
 * <p>Usage: {@code LiveScaleBenchmark JAR CHANNELS MINUTES [run|split|split:K] [JAVA_OPTS...]}
 */
public final class LiveScaleBenchmark {

    private static final Pattern READY = Pattern.compile("ready in ([0-9.]+) s");
    private static final Duration ANSWER_WITHIN = Duration.ofMinutes(2);
    /** The detector's {@code --channel-metrics}: {@code -Dbench.channelMetrics=none}, say. Default: all. */
    private static final String CHANNEL_METRICS = System.getProperty("bench.channelMetrics", "all");

    private LiveScaleBenchmark() {
    }

    /** An alert as it arrived on stdout. */
    record Received(long receivedAt, Alert alert) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int channels = Integer.parseInt(args[1]);
        int minutes = Integer.parseInt(args[2]);
        boolean split = args.length > 3 && args[3].startsWith("split");
        int detectors = split && args[3].startsWith("split:") ? Integer.parseInt(args[3].substring(6)) : 1;
        List<String> javaOpts = Arrays.asList(args).subList(args.length > 3 && args[3].matches("run|split(:\\d+)?") ? 4 : 3,
                args.length);
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
        int httpPort = freePort();
        System.out.printf(Locale.ROOT, "%,d channels, two checks a day each spread over the day (about %.0f slots a minute), "
                        + "every call unanswered; %s, --channel-metrics %s; %d measured minutes; %s; java options %s%n",
                channels, channels * 2 / 1440.0, split ? "split commands (broker, produce, " + detectors + " detect)" : "run", CHANNEL_METRICS, minutes,
                BenchKafka.load(), javaOpts);
        List<Child> children = new ArrayList<>();
        List<Received> received = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader;
        String data = dir.resolve("data").toString();
        long launched = System.currentTimeMillis();
        if (!split) {
            Child run = Child.start(dir, "run", javaOpts, jar, "run", "--channels", channelFile.toString(), "--placer",
                    "simulated", "--simulation", simulation.toString(), "--broker-port", "0", "--controller-port", "0",
                    "--http-port", Integer.toString(httpPort), "--data-dir", data, "--channel-metrics", CHANNEL_METRICS);
            children.add(run);
            reader = new Thread(() -> readAlerts(run.process, received), "alerts");
        } else {
            int brokerPort = freePort();
            String bootstrap = "127.0.0.1:" + brokerPort;
            Child broker = Child.start(dir, "broker", javaOpts, jar, "broker", "--broker-port", Integer.toString(brokerPort),
                    "--controller-port", Integer.toString(freePort()), "--data-dir", data);
            children.add(broker);
            broker.await("Broker running at");
            for (int k = 0; k < detectors; k++) {
                children.add(Child.start(dir, detectors == 1 ? "detect" : "detect-" + (k + 1), javaOpts, jar, "detect",
                        "--bootstrap-servers", bootstrap, "--channels", channelFile.toString(),
                        "--http-port", Integer.toString(k == 0 ? httpPort : freePort()),
                        "--state-dir", dir.resolve("streams-" + k).toString(), "--channel-metrics", CHANNEL_METRICS));
            }
            children.add(Child.start(dir, "produce", javaOpts, jar, "produce", "--bootstrap-servers", bootstrap, "--channels",
                    channelFile.toString(), "--placer", "simulated", "--simulation", simulation.toString()));
            reader = new Thread(() -> readTopic(bootstrap, received, stop), "alerts");
        }
        reader.start();
        try {
            String readyIn = "";
            for (Child c : children) {
                readyIn += c.name + " " + c.await(c.name.equals("broker") ? "Broker running at" : "ready") + " ";
            }
            long readyAt = System.currentTimeMillis();
            System.out.printf(Locale.ROOT, "ready %.1f s from launch (%s); %s%n", (readyAt - launched) / 1000.0,
                    readyIn.trim(), BenchKafka.load());
            long endAt = readyAt + minutes * 60_000L;
            long ticks0 = cpuTicks(children);
            long t0 = System.currentTimeMillis();
            List<Long> rss = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            while (System.currentTimeMillis() < endAt) {
                Thread.sleep(Math.min(30_000, Math.max(1, endAt - System.currentTimeMillis())));
                for (Child c : children) {
                    if (!c.process.isAlive()) {
                        throw new IllegalStateException(c.name + " stopped; see " + c.stderr);
                    }
                }
                long ticks = cpuTicks(children);
                long t = System.currentTimeMillis();
                double share = (ticks - ticks0) * 10.0 / (t - t0); // ticks are 10 ms: share of one core
                cpu.add(share);
                ticks0 = ticks;
                t0 = t;
                long r = 0;
                for (Child c : children) {
                    r += rssKb(c.process.pid());
                }
                rss.add(r);
                System.out.printf(Locale.ROOT, "  +%3d s: CPU %.0f%% of one core, RSS %,d MB, alerts so far %,d%n",
                        (t - readyAt) / 1000, share * 100, r / 1024, size(received));
            }
            String metrics = get("http://localhost:" + httpPort + "/metrics");
            System.out.printf(Locale.ROOT, "/metrics: %,d bytes, %,d lines; hotline_slots_total: %s%n",
                    metrics.length(), metrics.lines().count(), slots(metrics));
            for (Child c : children) {
                System.out.printf(Locale.ROOT, "%s: heap after a full GC %s, RSS %,d MB%n", c.name,
                        heapAfterGc(c.process.pid()), rssKb(c.process.pid()) / 1024);
                if (Boolean.getBoolean("bench.histogram")) { // the heap's biggest classes, to see where it goes
                    run("jcmd", Long.toString(c.process.pid()), "GC.class_histogram").lines().limit(23).forEach(System.out::println);
                }
            }
            judged(received, channels, baseMinuteOfDay, base, readyAt + 60_000, System.currentTimeMillis() - 30_000);
            stop.set(true); // the alert reader first: it would complain of the broker's going
            reader.join(10_000);
            long stopAt = System.currentTimeMillis();
            for (int i = children.size() - 1; i >= 0; i--) { // the broker last
                Child c = children.get(i);
                c.process.destroy();
                boolean stopped = c.process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "%s stopped by SIGTERM %.1f s after the first (exit %s)%n", c.name,
                        (System.currentTimeMillis() - stopAt) / 1000.0, stopped ? c.process.exitValue() : "none, killed");
            }
            System.out.printf(Locale.ROOT, "median CPU %.0f%% of one core; RSS max %,d MB%n", median(cpu) * 100,
                    rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024);
            for (Child c : children) {
                trouble(c.name, c.stderr);
            }
        } finally {
            stop.set(true);
            for (Child c : children) {
                c.process.destroyForcibly();
            }
            reader.join(10_000);
        }
        System.out.println("work directory (kept): " + dir);
    }

    /** A command of the shipped jar as a child process, its stderr in a file. */
    record Child(String name, Process process, Path stderr) {
        static Child start(Path dir, String name, List<String> javaOpts, Path jar, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(javaBin()));
            command.addAll(javaOpts);
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(List.of(args));
            Path stderr = dir.resolve(name + "-stderr.txt");
            ProcessBuilder b = new ProcessBuilder(command).redirectError(stderr.toFile());
            if (!name.equals("run")) {
                b.redirectOutput(dir.resolve(name + "-stdout.txt").toFile());
            }
            return new Child(name, b.start(), stderr);
        }

        /** Waits for a line containing {@code word} on stderr; the seconds it took (from now) as text. */
        String await(String word) throws IOException, InterruptedException {
            long t = System.currentTimeMillis();
            for (int i = 0; i < 6000; i++) {
                if (Files.exists(stderr)) {
                    String text = Files.readString(stderr);
                    if (name.equals("run")) {
                        Matcher m = READY.matcher(text);
                        if (m.find()) {
                            return "ready in " + m.group(1) + " s";
                        }
                    } else if (text.contains(word)) {
                        return String.format(Locale.ROOT, "+%.1f s", (System.currentTimeMillis() - t) / 1000.0);
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " stopped before ready; see " + stderr);
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " not ready in 10 minutes; see " + stderr);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long cpuTicks(List<Child> children) throws IOException {
        long sum = 0;
        for (Child c : children) {
            sum += cpuTicks(c.process.pid());
        }
        return sum;
    }

    /** Reads the alerts topic as a {@code read_committed} consumer, noting when each alert arrives. */
    private static void readTopic(String bootstrap, List<Received> out, AtomicBoolean stop) {
        BenchKafka.readAlerts(bootstrap, "hotline.alerts", stop, (receivedAt, timestamp, alert) -> {
            synchronized (out) {
                out.add(new Received(receivedAt, alert));
            }
        });
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

    static void trouble(String name, Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr);
        long fenced = lines.stream().filter(l -> l.contains("Fenced") || l.contains("InvalidProducerEpoch")).count();
        long rebalance = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("rebalanc")).count();
        long warn = lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
        System.out.printf(Locale.ROOT, "%s log: %,d lines; fenced/epoch lines %d; rebalance lines %d; WARN/ERROR lines %d%n",
                name, lines.size(), fenced, rebalance, warn);
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

    static String heapAfterGc(long pid) throws IOException, InterruptedException {
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
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long rssKb(long pid) throws IOException {
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
