package org.hotlinemonitor.core.fast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.codec.TimestampFormatException;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/** JsonEventParser against EventWriter (round trips) and against Jackson (a second reading of every line). */
class JsonEventParserPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What a mutation inserts or puts in place of a character: mostly JSON's own punctuation. */
    private static final String MUTATION_ALPHABET =
            "{}[]\":,{}[]\":,{}[]\":,\\ \t\n0123456789-+.eEtrufalsnZTx\u0001\u00e9";

    private final JsonEventParser parser = new JsonEventParser();

    // ---- (a) EventWriter then JsonEventParser gives the event back ----------------------------------------

    @Property(tries = 2000)
    void writtenEventsParseBackEqual(@ForAll("events") CallEvent event) throws Exception {
        String json = EventWriter.toJson(event);
        assertThat(parser.parse(json)).isEqualTo(event);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.decode(bytes, 0, bytes.length)).isEqualTo(event);
    }

    @Property(tries = 500)
    void jacksonReadsWhatEventWriterWrites(@ForAll("validUnicodeEvents") CallEvent event) {
        JacksonOracle.Reading reading = JacksonOracle.read(EventWriter.toJson(event).getBytes(StandardCharsets.UTF_8));
        assertThat(reading.event()).as(reading.problem()).isEqualTo(event);
    }

    @Property(tries = 300)
    void timestampsCloseTogetherParseAsAlone(@ForAll("seeds") long seed) {
        // One parser for a run of nearby timestamps, as in a log, some of them broken: each must come
        // out as Timestamps would read it alone (which the other properties hold to java.time).
        Random random = new Random(seed);
        long millis = random.nextLong() % 7_258_118_400_000L;
        for (int i = 0; i < 50; i++) {
            millis += random.nextInt(4) == 0 ? random.nextInt(7_200_000) - 3_600_000 : random.nextInt(60_000);
            StringBuilder text = new StringBuilder(Timestamps.format(millis));
            if (random.nextInt(5) == 0) {
                text.setCharAt(13 + random.nextInt(text.length() - 13),
                        "0123456789:.Z6a".charAt(random.nextInt(15)));
            }
            String line = "{\"kind\":\"HEARTBEAT\",\"ts\":\"" + text + "\"}";
            Long alone;
            try {
                byte[] ascii = text.toString().getBytes(StandardCharsets.US_ASCII); // the text is ASCII
                alone = Timestamps.parseMillis(ascii, 0, ascii.length);
            } catch (TimestampFormatException e) {
                alone = null;
            }
            try {
                long parsed = parser.parse(line).ts().toEpochMilli();
                assertThat(parsed).as(text.toString()).isEqualTo(alone);
            } catch (EventFormatException e) {
                assertThat(alone).as("%s: %s", text, e.getMessage()).isNull();
            }
        }
    }

    // ---- (b) the parser agrees with Jackson on what Jackson writes --------------------------------------

    @Property(tries = 2000)
    void agreesWithJacksonOnJacksonWrittenLines(@ForAll("validUnicodeEvents") CallEvent event,
                                                @ForAll("seeds") long seed) throws Exception {
        byte[] line = jacksonLine(event, new Random(seed), 0);
        JacksonOracle.Reading reading = JacksonOracle.read(line);
        assertThat(reading.event()).as("Jackson's reading of %s: %s", utf8(line), reading.problem()).isEqualTo(event);
        assertThat(parser.decode(line, 0, line.length)).as(utf8(line)).isEqualTo(event);
    }

    // ---- and on lines that are broken at random -------------------------------------------------------

    @Property(tries = 5000)
    void agreesWithJacksonOnBrokenLines(@ForAll("validUnicodeEvents") CallEvent event, @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        String valid = utf8(jacksonLine(event, random, 1));
        StringBuilder mutated = new StringBuilder(valid);
        for (int i = random.nextInt(3); i >= 0; i--) {
            mutate(mutated, random);
        }
        byte[] line = mutated.toString().getBytes(StandardCharsets.UTF_8);
        JacksonOracle.Reading reading = JacksonOracle.read(line);
        CallEvent ours;
        EventFormatException error = null;
        try {
            ours = parser.decode(line, 0, line.length);
        } catch (EventFormatException e) {
            ours = null;
            error = e;
        }
        String context = mutated + " / Jackson: " + reading.problem() + " / ours: "
                + (error == null ? null : error.getMessage());
        if (!reading.syntaxOk()) {
            assertThat(error).as("not JSON, so not an event: %s", context).isNotNull();
            Statistics.label("outcome").collect("not JSON");
        } else if (reading.event() != null && !reading.duplicateKnownField()) {
            assertThat(ours).as(context).isEqualTo(reading.event());
            Statistics.label("outcome").collect("event");
        } else {
            assertThat(error).as("valid JSON but not a valid event: %s", context).isNotNull();
            assertThat(error.field()).as("a field error, not a syntax error: %s", context).isNotNull();
            Statistics.label("outcome").collect("field error");
        }
        // The property proves little unless each outcome is common.
        Statistics.label("outcome").coverage(checker -> {
            checker.check("not JSON").percentage(p -> p > 20);
            checker.check("event").percentage(p -> p > 10);
            checker.check("field error").percentage(p -> p > 5);
        });
    }

    private static void mutate(StringBuilder s, Random random) {
        int at = random.nextInt(s.length() + 1);
        if (random.nextBoolean()) {
            // Half the time, next to a structural character, where a parser's bugs tend to hide.
            List<Integer> structural = new ArrayList<>();
            for (int i = 0; i < s.length(); i++) {
                if ("{}[],:\"".indexOf(s.charAt(i)) >= 0) {
                    structural.add(i);
                }
            }
            at = structural.get(random.nextInt(structural.size())) + random.nextInt(2);
        }
        char c = MUTATION_ALPHABET.charAt(random.nextInt(MUTATION_ALPHABET.length()));
        switch (random.nextInt(3)) {
            case 0 -> s.insert(at, c);
            case 1 -> {
                if (at < s.length()) {
                    s.deleteCharAt(at);
                }
            }
            default -> {
                if (at < s.length() && !Character.isSurrogate(s.charAt(at))) {
                    s.setCharAt(at, c);
                }
            }
        }
    }

    /**
     * The event as Jackson writes it: fields in random order, unknown fields of random JSON values,
     * timestamps as strings with random offsets and extra fraction digits or as epoch millis, explicit
     * nulls for absent optional fields, and compact or pretty, ASCII-escaped or raw output.
     */
    private static byte[] jacksonLine(CallEvent event, Random random, int minUnknownFields) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        if (event.channel() != null) {
            fields.add(Map.entry("channel", NODES.textNode(event.channel())));
        } else if (random.nextBoolean()) {
            fields.add(Map.entry("channel", NODES.nullNode()));
        }
        fields.add(Map.entry("kind", NODES.textNode(event.kind().name())));
        fields.add(Map.entry("ts", timestamp(event.ts(), random)));
        if (event.slot() != null) {
            fields.add(Map.entry("slot", timestamp(event.slot(), random)));
        } else if (random.nextBoolean()) {
            fields.add(Map.entry("slot", NODES.nullNode()));
        }
        optional(fields, "id", event.id(), random);
        optional(fields, "source", event.source(), random);
        optional(fields, "note", event.note(), random);
        for (int i = minUnknownFields + random.nextInt(4); i > 0; i--) {
            String[] names = {"x", "extra", "meta", "channels", "Kind", "tss", "", "sl\"ot", "id_"};
            fields.add(Map.entry(names[random.nextInt(names.length)] + i, randomValue(random, 3)));
        }
        Collections.shuffle(fields, random);
        ObjectNode root = NODES.objectNode();
        fields.forEach(f -> root.set(f.getKey(), f.getValue()));
        ObjectWriter writer = JacksonOracle.MAPPER.writer();
        if (random.nextBoolean()) {
            writer = writer.withDefaultPrettyPrinter();
        }
        if (random.nextBoolean()) {
            writer = writer.with(JsonWriteFeature.ESCAPE_NON_ASCII);
        }
        try {
            return writer.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void optional(List<Map.Entry<String, JsonNode>> fields, String name, String value, Random random) {
        if (value != null) {
            fields.add(Map.entry(name, NODES.textNode(value)));
        } else if (random.nextInt(3) == 0) {
            fields.add(Map.entry(name, NODES.nullNode()));
        }
    }

    private static JsonNode timestamp(Instant instant, Random random) {
        if (random.nextInt(4) == 0) {
            return NODES.numberNode(instant.toEpochMilli());
        }
        ZoneOffset offset = random.nextBoolean() ? ZoneOffset.UTC
                : ZoneOffset.ofTotalSeconds((random.nextInt(36 * 60 + 1) - 18 * 60) * 60);
        LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
        String text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        int millis = local.getNano() / 1_000_000;
        int digits = random.nextInt(10); // 0 to 9 fraction digits; digits past the millis do not count
        if (digits > 0 || millis != 0) {
            String fraction = String.format("%03d", millis) + Integer.toString(random.nextInt(1_000_000) + 1_000_000).substring(1);
            text += "." + fraction.substring(0, Math.max(3, digits));
        }
        if (offset.getTotalSeconds() == 0) {
            text += random.nextBoolean() ? "Z" : random.nextBoolean() ? "+00:00" : "-0000";
        } else {
            text += random.nextBoolean() ? offset.getId() : offset.getId().replace(":", "");
        }
        return NODES.textNode(text);
    }

    private static JsonNode randomValue(Random random, int depth) {
        // Containers half the time while depth allows: their punctuation is where a skipper can go wrong.
        int choice = depth > 0 && random.nextBoolean() ? 7 + random.nextInt(2) : random.nextInt(7);
        switch (choice) {
            case 0:
                return NODES.textNode(randomString(random));
            case 1:
                return NODES.numberNode(random.nextLong());
            case 2:
                return NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3:
                return NODES.numberNode(new java.math.BigInteger(100, random));
            case 4:
                return NODES.booleanNode(random.nextBoolean());
            case 5:
                return NODES.nullNode();
            case 6:
                return NODES.numberNode(random.nextInt(3) - 1);
            case 7: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomString(random), randomValue(random, depth - 1));
                }
                return object;
            }
        }
    }

    private static String randomString(Random random) {
        String chars = "ab\"\\/{}[],:\n\t\u0000\u00e9\u4e2d";
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            sb.append(chars.charAt(random.nextInt(chars.length())));
        }
        if (random.nextInt(4) == 0) {
            sb.append("\ud83d\ude00");
        }
        return sb.toString();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ---- generators ---------------------------------------------------------------------------------

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    @Provide
    Arbitrary<CallEvent> events() {
        return events(anyText());
    }

    @Provide
    Arbitrary<CallEvent> validUnicodeEvents() {
        return events(validUnicodeText());
    }

    private static Arbitrary<CallEvent> events(Arbitrary<String> text) {
        Arbitrary<String> channels = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 7_258_118_399_999L).map(Instant::ofEpochMilli);
        Arbitrary<Tuple.Tuple3<String, EventKind, Instant>> head = Combinators.combine(
                channels.injectNull(0.1), Arbitraries.of(EventKind.class), instants).as(Tuple::of);
        return Combinators.combine(head, instants.injectNull(0.4), text.injectNull(0.4), text.injectNull(0.4),
                text.injectNull(0.4)).as((h, slot, id, source, note) -> new CallEvent(
                h.get1() == null && h.get2() != EventKind.HEARTBEAT ? "fallback" : h.get1(),
                h.get2(), h.get3(), slot, id, source, note));
    }

    /** Any Java string: quotes, backslashes, control characters, emoji, and unpaired surrogates too. */
    private static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(validUnicodeText(), Arbitraries.strings().all().ofMaxLength(12));
    }

    /** Strings of valid Unicode, heavy on what JSON must escape and on multi-byte UTF-8. */
    private static Arbitrary<String> validUnicodeText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u2028").ofMaxLength(4),
                Arbitraries.strings().alpha().numeric().withChars(' ', '-', '.').ofMaxLength(10),
                Arbitraries.strings().withCharRange('\u0080', '\ud7ff').ofMaxLength(3),
                Arbitraries.strings().withCharRange('\ue000', '\uffff').ofMaxLength(3),
                Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString),
                Arbitraries.of("\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd", "\\u0041", "\u00e9", "\u4e2d\u6587", ""));
        return piece.list().ofMaxSize(6).map(parts -> String.join("", parts));
    }
}
