package org.hotlinemonitor.app.metrics;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.replay.ChannelHistory;

/**
 * Writes a {@link ChannelHistory} as OpenMetrics text with a timestamp on every sample, the input of
 * {@code promtool tsdb create-blocks-from openmetrics}: {@code # TYPE} and {@code # HELP} (and {@code # UNIT} for the
 * families in seconds) before each family, each series' samples together and in increasing time, timestamps in
 * seconds (with milliseconds when not whole), and {@code # EOF} at the end ({@link #finish}).
 *
 * <p>Streams to the writer given, which the caller owns and closes; a sample line is built in a reused buffer. Not
 * thread-safe.
 */
public final class OpenMetricsWriter implements ChannelHistory.Exposition {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(128);
    /** {@code name{labels} } of the current series, ready to be followed by value and time. */
    private String prefix;
    private long samples;

    public OpenMetricsWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void family(String name, ChannelHistory.Type type, String unit, String help) throws IOException {
        out.write("# TYPE " + name + " " + type.wireName() + "\n");
        if (unit != null) {
            out.write("# UNIT " + name + " " + unit + "\n");
        }
        out.write("# HELP " + name + " " + escapeHelp(help) + "\n");
        prefix = null;
    }

    @Override
    public void series(String sampleName, List<String[]> labels) {
        StringBuilder b = new StringBuilder(sampleName);
        if (!labels.isEmpty()) {
            b.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labels.get(i)[0]).append("=\"").append(escapeLabel(labels.get(i)[1])).append('"');
            }
            b.append('}');
        }
        prefix = b.append(' ').toString();
    }

    @Override
    public void sample(long atMillis, double value) throws IOException {
        if (prefix == null) {
            throw new IllegalStateException("sample before series");
        }
        line.setLength(0);
        line.append(prefix);
        appendValue(line, value);
        line.append(' ');
        appendSeconds(line, atMillis);
        line.append('\n');
        out.append(line);
        samples++;
    }

    /** Ends the exposition with {@code # EOF} and flushes. */
    public void finish() throws IOException {
        out.write("# EOF\n");
        out.flush();
    }

    /** Samples written so far. */
    public long samples() {
        return samples;
    }

    static void appendValue(StringBuilder b, double v) {
        if (Double.isNaN(v)) {
            b.append("NaN");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            b.append((long) v);
        } else {
            b.append(v);
        }
    }

    /** Epoch milliseconds as seconds: {@code 1680825600} or {@code 1680825600.123}. */
    static void appendSeconds(StringBuilder b, long millis) {
        long s = Math.floorDiv(millis, 1000);
        int ms = (int) Math.floorMod(millis, 1000);
        b.append(s);
        if (ms != 0) {
            b.append('.');
            if (ms < 100) {
                b.append('0');
            }
            if (ms < 10) {
                b.append('0');
            }
            b.append(ms);
        }
    }

    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
