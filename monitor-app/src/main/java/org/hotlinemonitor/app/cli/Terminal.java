package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.hotlinemonitor.core.replay.Replay;

/** What we know of the terminal, and a progress bar for long replays. */
final class Terminal {
    private Terminal() {
    }

    /** True when standard error is a terminal (where a progress bar is welcome). */
    static boolean stderrIsTerminal() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            String t = target.toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * A one-line progress bar redrawn in place on standard error, at most every 200 ms: the input, how far through it
     * (when its size is known), lines read, lines per second and, once a second of reading gives a rate to go by, the
     * time left (ETA) at that rate.
     */
    static final class ProgressBar implements Replay.Progress {
        private final PrintStream err;
        private final java.util.function.LongSupplier nanoTime;
        private final long startNanos;
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintStream err) {
            this(err, System::nanoTime);
        }

        /** With the clock to measure the rate by (a test's). */
        ProgressBar(PrintStream err, java.util.function.LongSupplier nanoTime) {
            this.err = err;
            this.nanoTime = nanoTime;
            this.startNanos = nanoTime.getAsLong();
        }

        @Override
        public void update(String input, long bytesRead, long bytesTotal, long lines) {
            long now = nanoTime.getAsLong();
            if (drawn && now - lastDraw < 200_000_000L && bytesRead < bytesTotal) {
                return;
            }
            lastDraw = now;
            double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
            String rate = String.format(Locale.ROOT, "%,.0f lines/s", lines / seconds);
            String line;
            if (bytesTotal > 0) {
                double f = Math.min(1.0, (double) bytesRead / bytesTotal);
                int width = 30;
                int full = (int) Math.round(f * width);
                String eta = seconds >= 1 && f > 0 && f < 1 ? ", ETA " + duration(seconds * (1 - f) / f) : "";
                line = String.format(Locale.ROOT, "\r%s [%s%s] %5.1f%% %,d lines, %s%s ", input,
                        "#".repeat(full), ".".repeat(width - full), f * 100, lines, rate, eta);
            } else {
                line = String.format(Locale.ROOT, "\r%s %,d lines, %s ", input, lines, rate);
            }
            err.print(line);
            err.flush();
            drawn = true;
        }

        /** {@code 42 s}, {@code 3 min 05 s}, {@code 2 h 07 min}. */
        static String duration(double seconds) {
            long s = Math.round(seconds);
            if (s < 60) {
                return s + " s";
            }
            if (s < 3600) {
                return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
            }
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        }

        /** Ends the bar's line, if one was drawn. */
        void finish() {
            if (drawn) {
                err.println();
            }
        }
    }
}
