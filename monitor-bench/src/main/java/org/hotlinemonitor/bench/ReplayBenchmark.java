package org.hotlinemonitor.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.EventReader;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayReport;

/**
 * Replay throughput, measured in one JVM: merely reading and parsing a log (the baseline) against a
 * full replay of it (file to alerts file and report file), alternating, several runs each; then the
 * detector state's size per channel. Run by {@code bench/replay.sh}; see docs/benchmarks.md.
 *
 * <p>Usage: {@code ReplayBenchmark CHANNELS.yaml LOG [RUNS] [ALLOWED_LATENESS]} (default lateness PT5M, as replay's)
 */
public final class ReplayBenchmark {

    /**
     * Unmeasured rounds first: with one, the first measured round still ran while the JIT compiled
     * (about 20% slower); the whole command's time, JIT included, is measured separately (docs/benchmarks.md).
     */
    private static final int WARMUPS = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static Duration lateness = Duration.ofMinutes(5);

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReplayBenchmark CHANNELS.yaml LOG [RUNS]");
            System.exit(2);
        }
        Path channels = Path.of(args[0]);
        String log = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        lateness = args.length > 3 ? Duration.parse(args[3]) : Duration.ofMinutes(5);
        MonitorConfig config = ConfigLoader.load(channels);
        Path out = Files.createTempDirectory("replay-bench");

        System.out.printf(Locale.ROOT, "log %s (%,d bytes), %d channels, allowed lateness %s, %d runs after %d warm-ups of each%n",
                log, Files.size(Path.of(log)), config.channels().size(), lateness, runs, WARMUPS);
        double[] parse = new double[runs];
        double[] full = new double[runs];
        long events = 0;
        Replay last = null;
        for (int i = -WARMUPS; i < runs; i++) {
            long p0 = processCpu();
            long t0 = System.nanoTime();
            events = parseOnly(log);
            long t1 = System.nanoTime();
            long p1 = processCpu();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            last = replay(config, log, out);
            long cpu1 = THREADS.getCurrentThreadCpuTime();
            long t2 = System.nanoTime();
            long p2 = processCpu();
            if (i >= 0) {
                parse[i] = events / ((t1 - t0) / 1e9);
                full[i] = events / ((t2 - t1) / 1e9);
                System.out.printf(Locale.ROOT, "run %d: read+parse %,.0f events/s (%.2f s), full replay %,.0f events/s (%.2f s), ratio %.2f;"
                                + " CPU per event: read+parse %.0f ns, full replay %.0f ns (of which the replay thread %.0f ns)%n",
                        i + 1, parse[i], (t1 - t0) / 1e9, full[i], (t2 - t1) / 1e9, full[i] / parse[i],
                        (double) (p1 - p0) / events, (double) (p2 - p1) / events, (double) (cpu1 - cpu0) / events);
            }
        }
        double[] ratios = new double[runs];
        for (int i = 0; i < runs; i++) {
            ratios[i] = full[i] / parse[i];
        }
        System.out.printf(Locale.ROOT, "events: %,d; alerts: %,d; rejects: %d%n", events,
                Files.lines(out.resolve("alerts.jsonl")).count(), last.report().rejects());
        System.out.printf(Locale.ROOT, "median read+parse: %,.0f events/s%n", median(parse));
        System.out.printf(Locale.ROOT, "median full replay: %,.0f events/s%n", median(full));
        System.out.printf(Locale.ROOT, "median ratio full/parse: %.2f%n", median(ratios));
        List<ChannelState> states = new ArrayList<>(last.states().values());
        last = null; // the replay's lanes hold the same states: let them go before measuring
        stateSize(states);
        monitorSize(config);
    }

    /**
     * The heap of a started {@link Monitor} over the configuration: each channel's mutable state (its
     * lane) with everything the monitor keeps per channel around it (detector, deadline calendar entry,
     * channel index and validation arrays), the configuration itself not counted.
     */
    static void monitorSize(MonitorConfig config) throws InterruptedException {
        long without = usedAfterGc();
        Monitor monitor = new Monitor(config, alert -> { });
        monitor.start(java.time.Instant.parse("2023-04-01T00:00:00Z"));
        long with = usedAfterGc();
        int n = monitor.states().size();
        System.out.printf(Locale.ROOT, "monitor: %,d channels, %,d bytes of heap, %.0f bytes per channel (state, detector, calendar, index)%n",
                n, with - without, (double) (with - without) / n);
        if (!monitor.started()) {
            System.out.println(); // keeps the monitor reachable until measured
        }
    }

    /**
     * Reads and parses every line as replay does (the same reader, the same allocation-free parse into
     * parts), and does nothing else.
     */
    static long parseOnly(String log) throws IOException {
        long events = 0;
        long checksum = 0;
        try (EventReader reader = new EventReader(LogInput.of(log, null), InputStream.nullInputStream())) {
            while (reader.next()) {
                if (reader.hasEvent()) {
                    events++;
                    checksum += reader.tsMillis() + reader.kind().ordinal();
                }
            }
        }
        if (checksum == 42) {
            System.out.println(); // keeps the parse from being optimised away
        }
        return events;
    }

    static Replay replay(MonitorConfig config, String log, Path out) throws Exception {
        try (Writer alerts = Files.newBufferedWriter(out.resolve("alerts.jsonl"), StandardCharsets.UTF_8);
             BufferedWriter rejects = Files.newBufferedWriter(out.resolve("rejects.jsonl"), StandardCharsets.UTF_8)) {
            Replay replay = new Replay(new Replay.Options(config, lateness, null, false),
                    a -> write(alerts, AlertCodec.toJson(a)), r -> write(rejects, r.describe()), Replay.Progress.NONE);
            ReplayReport report = replay.run(List.of(LogInput.of(log, null)), InputStream.nullInputStream());
            Files.writeString(out.resolve("report.md"), report.toMarkdown());
            return replay;
        }
    }

    private static void write(Writer w, String s) {
        try {
            w.write(s);
            w.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The heap held by the detector's per-channel states at the end of a replay: the difference in live
     * heap with and without a list holding them (after full GCs). The caller must hold nothing else of
     * the replay.
     */
    static void stateSize(List<ChannelState> held) throws InterruptedException {
        long with = usedAfterGc();
        int n = held.size();
        long open = held.stream().filter(s -> !s.open().isEmpty()).count();
        held.clear();
        long without = usedAfterGc();
        System.out.printf(Locale.ROOT, "detector state: %,d channels, %,d bytes of heap, %.0f bytes per channel (%d with a slot in its window)%n",
                n, with - without, (double) (with - without) / n, open);
    }

    /** CPU time of the whole process (all threads, GC and compiler included), in nanoseconds. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
