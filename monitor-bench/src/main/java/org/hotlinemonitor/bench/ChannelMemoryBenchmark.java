package org.hotlinemonitor.bench;

import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.replay.SyntheticLog;

/**
 * Heap per channel, measured as live heap after full GCs, for {@code CHANNELS} generated channels (the
 * {@code generate} command's channels and one day of their log, written to a temporary file):
 * <ul>
 *   <li>the configuration ({@code MonitorConfig}: channels, schedules, names);</li>
 *   <li>a replay at its end: what it keeps per channel besides the configuration (the monitor's state, detector,
 *       calendar and index, the report's counters and outages), with the replay still reachable.</li>
 * </ul>
 * Each figure is the difference in used heap after full GCs with and without the thing held. Run by
 * {@code bench/channel-memory.sh}; see docs/benchmarks.md.
 *
 * <p>Usage: {@code ChannelMemoryBenchmark CHANNELS [DAYS]} (days default 1)
 */
public final class ChannelMemoryBenchmark {

    private ChannelMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int channels = Integer.parseInt(args[0]);
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        SyntheticLog gen = new SyntheticLog(channels, days, 1, LocalDate.of(2023, 4, 3));
        Path log = Files.createTempFile("channel-memory", ".jsonl");
        long events;
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            events = gen.write(w);
        }
        long start = usedAfterGc();
        MonitorConfig config = gen.config();
        long withConfig = usedAfterGc();
        long t0 = System.nanoTime();
        Replay replay = new Replay(new Replay.Options(config, Duration.ofMinutes(5), null, false), a -> { }, r -> { },
                Replay.Progress.NONE);
        ReplayReport report = replay.run(List.of(LogInput.of(log.toString(), null)), InputStream.nullInputStream());
        double seconds = (System.nanoTime() - t0) / 1e9;
        long withReplay = usedAfterGc();
        Files.delete(log);
        System.out.printf(Locale.ROOT, "%,d channels, %,d events (%d day(s)) replayed in %.1f s (%,.0f events/s, in process, "
                        + "warm-up included); max heap %,d MB%n", channels, events, days, seconds, events / seconds,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "configuration: %,d bytes, %.0f bytes per channel%n", withConfig - start,
                (double) (withConfig - start) / channels);
        System.out.printf(Locale.ROOT, "replay state (monitor and report, configuration not counted): %,d bytes, %.0f bytes per channel%n",
                withReplay - withConfig, (double) (withReplay - withConfig) / channels);
        System.out.printf(Locale.ROOT, "both: %.0f bytes per channel; %,d alerts%n", (double) (withReplay - start) / channels,
                report.alertsTree().values().stream().mapToLong(v -> (Long) v).sum());
        if (replay.report() == null || config.channels().isEmpty()) {
            System.out.println(); // keeps both reachable until measured
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        return ReplayBenchmark.usedAfterGc();
    }
}
