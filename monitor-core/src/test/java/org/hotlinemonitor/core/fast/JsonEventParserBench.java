package org.hotlinemonitor.core.fast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/**
 * A rough throughput check for {@link JsonEventParser}, not a unit test: parses 5 million generated event
 * lines, split out of one buffer as a log reader would, and prints lines per second.
 *
 * <p>Run after {@code ./mvnw -q -pl monitor-core test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}:
 * <pre>java -cp monitor-core/target/classes:monitor-core/target/test-classes:$(cat monitor-core/target/cp.txt) \
 *     org.hotlinemonitor.core.codec.JsonEventParserBench [lines [distinct-lines]]</pre>
 *
 * <p>It prints two rates: parsing alone, over lines whose ends were found beforehand, and finding each
 * line end byte by byte as a simple reader would, then parsing.
 */
public final class JsonEventParserBench {

    private static int DISTINCT_LINES = 200_000;

    private JsonEventParserBench() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        DISTINCT_LINES = args.length > 1 ? Integer.parseInt(args[1]) : DISTINCT_LINES;
        byte[] log = generate(DISTINCT_LINES, new Random(42));
        System.out.printf("%d distinct lines, %d bytes, %.1f bytes per line%n", DISTINCT_LINES, log.length,
                (double) log.length / DISTINCT_LINES);

        JsonEventParser parser = new JsonEventParser();
        run(parser, log, 2_000_000, "warm-up");
        run(parser, log, total, "measured");
    }

    private static void run(JsonEventParser parser, byte[] log, long lines, String label) throws EventFormatException {
        int[] starts = new int[DISTINCT_LINES + 1];
        int n = 0;
        for (int i = 0; i < log.length; i++) {
            if (log[i] == '\n') {
                starts[++n] = i + 1;
            }
        }
        // Parsing alone, the lines found beforehand.
        long checksum = 0;
        long parsed = 0;
        long start = System.nanoTime();
        while (parsed < lines) {
            for (int i = 0; i < n && parsed < lines; i++, parsed++) {
                CallEvent e = parser.decode(log, starts[i], starts[i + 1] - 1 - starts[i]);
                checksum += e.ts().toEpochMilli() + e.channel().length() + e.kind().ordinal();
            }
        }
        report(label + ", parse only", parsed, System.nanoTime() - start, checksum);

        // Finding each line end as a reader would, then parsing it.
        checksum = 0;
        parsed = 0;
        start = System.nanoTime();
        while (parsed < lines) {
            int from = 0;
            for (int i = 0; i < log.length && parsed < lines; i++) {
                if (log[i] == '\n') {
                    CallEvent e = parser.decode(log, from, i - from);
                    checksum += e.ts().toEpochMilli() + e.channel().length() + e.kind().ordinal();
                    parsed++;
                    from = i + 1;
                }
            }
        }
        report(label + ", split and parse", parsed, System.nanoTime() - start, checksum);
    }

    private static void report(String label, long lines, long nanos, long checksum) {
        System.out.printf("%-27s %,d lines in %.2f s: %,.0f lines/s, %.0f ns/line (checksum %d)%n", label, lines,
                nanos / 1e9, lines * 1e9 / nanos, (double) nanos / lines, checksum);
    }

    /** Canonical lines for 200 channels, with an id on some and a note on a few, as a scheduler writes them. */
    private static byte[] generate(int lines, Random random) {
        String[] channels = new String[200];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = "liaison-office-" + i;
        }
        EventKind[] kinds = {EventKind.CALL_PLACED, EventKind.ANSWERED, EventKind.ANSWERED, EventKind.NO_ANSWER,
                EventKind.LINE_FAULT};
        long slot = Instant.parse("2023-04-06T08:00:00Z").toEpochMilli();
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines * 140);
        StringBuilder sb = new StringBuilder(200);
        for (int i = 0; i < lines; i++) {
            if (i % channels.length == 0) {
                slot += 3_600_000;
            }
            long ts = slot + random.nextInt(600_000);
            String id = random.nextInt(4) == 0 ? "evt-" + i : null;
            String note = random.nextInt(50) == 0 ? "operator: line \"noisy\"" : null;
            CallEvent e = new CallEvent(channels[random.nextInt(channels.length)], kinds[random.nextInt(kinds.length)],
                    Instant.ofEpochMilli(ts), Instant.ofEpochMilli(slot), id, "scheduler-1", note);
            sb.setLength(0);
            EventWriter.appendJson(sb, e);
            sb.append('\n');
            out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
