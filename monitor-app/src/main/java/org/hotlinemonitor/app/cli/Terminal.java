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

    /** A one-line progress bar redrawn in place on standard error, at most every 200 ms. */
    static final class ProgressBar implements Replay.Progress {
        private final PrintStream err;
        private final long startNanos = System.nanoTime();
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void update(String input, long bytesRead, long bytesTotal, long lines) {
            long now = System.nanoTime();
            if (now - lastDraw < 200_000_000L && bytesRead < bytesTotal) {
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
                line = String.format(Locale.ROOT, "\r%s [%s%s] %5.1f%% %,d lines, %s ", input,
                        "#".repeat(full), ".".repeat(width - full), f * 100, lines, rate);
            } else {
                line = String.format(Locale.ROOT, "\r%s %,d lines, %s ", input, lines, rate);
            }
            err.print(line);
            err.flush();
            drawn = true;
        }

        /** Ends the bar's line, if one was drawn. */
        void finish() {
            if (drawn) {
                err.println();
            }
        }
    }
}
