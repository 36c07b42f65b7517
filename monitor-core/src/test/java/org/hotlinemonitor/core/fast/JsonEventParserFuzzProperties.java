package org.hotlinemonitor.core.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hotlinemonitor.core.codec.CsvEventParser;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Any bytes given to the event parsers end in an event or an {@link EventFormatException} with a message, never in
 * another exception: random bytes, and valid lines with bytes flipped, cut, doubled or inserted.
 */
class JsonEventParserFuzzProperties {

    static final List<String> VALID = List.of(
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T00:00:41Z\",\"slot\":\"2023-04-06T00:00:00Z\",\"id\":\"a/1\",\"source\":\"op\",\"note\":\"ok \\u00e9\"}",
            "{\"kind\":\"HEARTBEAT\",\"ts\":1680739200000,\"source\":\"scheduler\"}",
            "{\"channel\":\"x\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-06T09:00:41+09:00\",\"sig\":\"abc\"}");

    @Property(tries = 3000)
    void anyBytesGiveAnEventOrAFormatError(@ForAll("lines") byte[] line) {
        Map<String, Integer> tags = Map.of("liaison-office", 0, "x", 1);
        parseEveryWay(line, new JsonEventParser(id -> tags.getOrDefault(id, -1), 0),
                JsonEventParser.deferringChannels(id -> tags.getOrDefault(id, -1), 0));
        parseEveryWay(line, new JsonEventParser(), JsonEventParser.deferringChannels(null, 0));
    }

    @Property(tries = 1000)
    void anyTextGivesACsvEventOrAFormatError(@ForAll("lines") byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        try {
            CsvEventParser csv = CsvEventParser.fromHeader("channel,kind,ts,slot,id,source,note");
            CallEvent event = csv.parse(text);
            assertThat(event).isNotNull();
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            CsvEventParser.fromHeader(text);
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void parseEveryWay(byte[] line, JsonEventParser parser, JsonEventParser deferring) {
        // Inside a larger buffer, as the line reader hands lines over.
        byte[] buffer = new byte[line.length + 7];
        Arrays.fill(buffer, (byte) '{');
        System.arraycopy(line, 0, buffer, 3, line.length);
        try {
            CallEvent event = parser.decode(buffer, 3, line.length);
            assertThat(event).isNotNull();
            net.jqwik.api.statistics.Statistics.label("outcome").collect("event");
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            net.jqwik.api.statistics.Statistics.label("outcome").collect(e.field() == null ? "malformed" : "invalid field");
        }
        try {
            parser.decodeParts(buffer, 3, line.length);
            parser.kind();
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            deferring.decodeParts(buffer, 3, line.length);
            if (deferring.channelOffset() >= 0) {
                deferring.resolveChannel(buffer, 3 + deferring.channelOffset(), deferring.channelLength());
                deferring.channelTag();
            }
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            parser.parse(new String(line, StandardCharsets.UTF_8));
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> lines() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(VALID), Arbitraries.longs())
                .as((valid, seed) -> mutate(valid.getBytes(StandardCharsets.UTF_8), new java.util.Random(seed)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(3, mutated));
    }

    private static final byte[] SPECIAL = "\"\\{}[]:,0-9eE+.TZ\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    /** A valid line with a few bytes flipped, replaced, removed, doubled or inserted, or cut short. */
    static byte[] mutate(byte[] line, java.util.Random random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(line);
        byte[] b = out.toByteArray();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> b = concat(Arrays.copyOfRange(b, 0, at + 1), Arrays.copyOfRange(b, at, b.length));
                case 4 -> b = concat(concat(Arrays.copyOfRange(b, 0, at),
                        new byte[] {SPECIAL[random.nextInt(SPECIAL.length)]}), Arrays.copyOfRange(b, at, b.length));
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
