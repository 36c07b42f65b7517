package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.ListSink;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The fast reader of channel files' YAML ({@link SimpleYaml}) gives what SnakeYAML gives: the same tree with the same
 * locations, the same items to the list's sink, or (by leaving the document to SnakeYAML) the same syntax error. Checked
 * on every YAML file of the project, on generated channel files, and on random documents built from YAML's awkward
 * corners and then damaged.
 */
class SimpleYamlTest {

    /** What one reading gave: the tree and the sink's calls, or the syntax error. */
    private record Reading(Node root, List<Object> calls, String error) {
    }

    private static final class Recording implements ListSink {
        final List<Object> calls = new ArrayList<>();

        @Override
        public void start(List<Entry> before) {
            calls.add(before);
        }

        @Override
        public void item(Node item, int index) {
            calls.add(index + ": " + item);
        }
    }

    /** SnakeYAML alone (through Jackson): the reader-based read. */
    private static Reading snakeYaml(String text, String listKey) throws IOException {
        Recording sink = new Recording();
        try {
            Node root = YamlTree.read(YamlTree.Syntax.YAML, new StringReader(text), listKey, listKey == null ? null : sink);
            return new Reading(root, sink.calls, null);
        } catch (YamlTree.SyntaxError e) {
            return new Reading(null, List.of(), e.line + ":" + e.column + " " + e.getMessage());
        }
    }

    /** What the loader reads with: the fast reader, or SnakeYAML from where it stopped. */
    private static Reading either(String text, String listKey) throws IOException {
        Recording sink = new Recording();
        try {
            Node root = YamlTree.read(YamlTree.Syntax.YAML, () -> new StringReader(text), listKey,
                    listKey == null ? null : sink);
            return new Reading(root, sink.calls, null);
        } catch (YamlTree.SyntaxError e) {
            return new Reading(null, List.of(), e.line + ":" + e.column + " " + e.getMessage());
        }
    }

    /** Whether the fast reader takes the whole document. */
    private static boolean inSubset(String text) {
        try {
            SimpleYaml.read(new StringReader(text), "channels", new Recording());
            return true;
        } catch (SimpleYaml.Unsupported e) {
            return false;
        }
    }

    private static void readsAlike(String text) throws IOException {
        for (String listKey : new String[] {"channels", null}) {
            Reading expected = snakeYaml(text, listKey);
            Reading actual = either(text, listKey);
            assertThat(actual.error()).as("error of %s", text).isEqualTo(expected.error());
            assertThat(actual.root()).as("tree of %s", text).isEqualTo(expected.root());
            if (expected.error() == null) {
                assertThat(actual.calls()).as("items of %s", text).isEqualTo(expected.calls());
            }
        }
    }

    @Test
    void everyYamlFileOfTheProjectReadsAlike() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Stream.of(Path.of("../examples"), Path.of("src/test/resources"), Path.of("../deploy"),
                Path.of("../monitor-app/src/test/resources")).filter(Files::isDirectory).flatMap(SimpleYamlTest::walk)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        List<Path> channelFiles = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            readsAlike(text);
            if (file.getFileName().toString().startsWith("channels")) {
                channelFiles.add(file);
                assertThat(inSubset(text)).as("the fast reader takes %s whole", file).isTrue();
            }
        }
        assertThat(channelFiles).hasSizeGreaterThanOrEqualTo(5);
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(p -> !p.toString().contains("node_modules")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theExampleAndGeneratedChannelFilesAreReadWholeByTheFastReader() throws IOException {
        String example = Files.readString(Path.of("../examples/channels.yaml"), StandardCharsets.UTF_8);
        String generated = new SyntheticLog(3000, 1, 1, java.time.LocalDate.of(2023, 4, 1)).channelsYaml();
        for (String text : List.of(example, generated)) {
            assertThat(inSubset(text)).isTrue();
            readsAlike(text);
        }
    }

    @Test
    void aDocumentLeftPartWayGivesEachItemOnce() throws IOException {
        String text = """
                allowedLateness: PT5M
                channels:
                  - id: a
                    checks: ['09:00']
                  - id: b
                    checks: ['09:00']
                  - id: c
                    name: &anchor C
                  - id: d
                    name: *anchor
                after: 1
                """;
        assertThat(inSubset(text)).isFalse();
        Reading actual = either(text, "channels");
        assertThat(actual).isEqualTo(snakeYaml(text, "channels"));
        assertThat(actual.calls()).hasSize(5); // the start and four items
    }

    @Test
    void aFileThatCannotBeReadFailsAsBefore() {
        assertThatCode(() -> YamlTree.read(YamlTree.Syntax.YAML, () -> {
            throw new IOException("gone");
        }, "channels", new Recording())).isInstanceOf(IOException.class).hasMessage("gone");
    }

    @Property(tries = 3000)
    void theShortcutTypesAsTheResolverDoes(@ForAll("plainTexts") String text) {
        Tag expected = new Resolver().resolve(NodeId.scalar, text, true);
        assertThat(SimpleYaml.tag(text, new HashMap<>())).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> plainTexts() {
        Arbitrary<String> words = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars("-_ .:")
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> numbers = Arbitraries.strings().withChars("0123456789-+._:eExXob").ofMinLength(1).ofMaxLength(8);
        return Arbitraries.oneOf(words, numbers, Arbitraries.of(SCALARS).filter(s -> !s.isEmpty()),
                Arbitraries.of("yes", "No", "ON", "off", "y", "n", "true", "False", "null", "NULL", "Null", "~", "nul",
                        "truex", "Night line 4", "line-00001", "PT5M", "TUE", "FRI", "MON-FRI"));
    }

    @Property(tries = 3000)
    void randomDocumentsReadAlike(@ForAll("documents") String text) throws IOException {
        Statistics.label("fast reader").collect(inSubset(text) ? "whole" : "left to SnakeYAML");
        readsAlike(text);
    }

    private static final String[] KEYS = {"id", "name", "channels", "defaults", "zone", "checks", "days", "a-b", "x.y",
        "_k", "on", "null", "true", "Yes", "k1", "'q'", "\"dq\"", "a b", "? c", "k :", "<<"};
    private static final int KEYS_IN_SUBSET = 15;
    private static final String[] SCALARS = {"PT5M", "Asia/Seoul", "line-00001", "Liaison line 1", "2", "0", "007",
        "-3", "+4", "1_000", "0x1F", "3.5", ".inf", "1e3", "9:30", "17:00", "09:00", "'09:00'", "\"17:00\"", "''",
        "\"\"", "'it''s'", "\"a\\tb\"", "\"a # b\"", "'a # b'", "a #comment", "a#b", "true", "false", "True", "FALSE",
        "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "2023-04-01", "2023-04-01T00:00:00Z", "<<", "&a x",
        "*a", "!!str 5", "!tag x", "|", ">", "|-", "{a: 1}", "[]", "[MON, TUE]", "[MON-FRI]", "['09:00', '17:00']",
        "[ a , b ]", "[a,]", "[a b]", "[[a]]", "[a, {b: c}]", "['x' ]", "[\"y\", z]", "a: b", "a:b", "x:", "-", "- x",
        "-x", "?", "?x", ":x", "%x", "@x", "`x", ",x", "#", "é", "Łódź line", "a\tb", "a  b", "(x)", "/x", ".x", "_x",
        "x ", "1234567890123456789", "99999999999999999999", "0b101", "0o17", "017", "12:30:45", "1:2", "=", "[a,b]c",
        "'unclosed", "\"unclosed", "\u2028x", "x\u0085y", "\uFEFFx", "\uD83D\uDE00"};

    /** Values in the subset, most of a document's, so that the fast reader takes many documents whole. */
    private static final String[] COMMON = {"PT5M", "Asia/Seoul", "line-00001", "Liaison line 1", "2", "0", "'09:00'",
        "\"0 * * * *\"", "''", "'it''s'", "true", "false", "null", "~", "[MON, TUE]", "[MON-FRI]", "['09:00', '17:00']",
        "[ a , b ]", "[]", "x # note", "é", "09:00", "a#b", "(x)"};

    @Provide
    Arbitrary<String> documents() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            String document = document(random);
            int damages = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
            for (int i = 0; i < damages && !document.isEmpty(); i++) {
                document = damage(document, random);
            }
            return document;
        });
    }

    /** A document of mappings and sequences, mostly in the subset, with random awkward lines and values. */
    private static String document(Random random) {
        StringBuilder b = new StringBuilder();
        if (random.nextInt(8) == 0) {
            b.append(random.nextBoolean() ? "# a comment\n" : "---\n");
        }
        int top = 1 + random.nextInt(4);
        int indent = random.nextInt(10) == 0 ? 2 : 0;
        for (int i = 0; i < top; i++) {
            String key = random.nextInt(3) == 0 ? "channels" : pick(KEYS, random);
            b.append(" ".repeat(indent)).append(key).append(':');
            if (random.nextBoolean()) {
                b.append(' ').append(pick(SCALARS, random)).append(random.nextInt(6) == 0 ? "   # note" : "").append('\n');
            } else {
                b.append(random.nextInt(6) == 0 ? "  # list" : "").append('\n');
                list(b, random, indent + (random.nextInt(4) == 0 ? 0 : 2), 0);
            }
            if (random.nextInt(6) == 0) {
                b.append(random.nextBoolean() ? "\n" : "   \n").append(random.nextBoolean() ? "  # between\n" : "");
            }
        }
        return random.nextInt(10) == 0 ? b.toString().replace("\n", "\r\n") : b.toString();
    }

    private static void list(StringBuilder b, Random random, int indent, int depth) {
        int items = random.nextInt(4);
        for (int i = 0; i < items; i++) {
            String pad = " ".repeat(indent);
            switch (random.nextInt(depth > 1 ? 3 : 5)) {
                case 0 -> b.append(pad).append("- ").append(pick(SCALARS, random)).append('\n');
                case 1 -> b.append(pad).append("-\n");
                case 2 -> {
                    int fields = 1 + random.nextInt(3);
                    String inner = " ".repeat(indent + 2 + (random.nextInt(8) == 0 ? 1 : 0));
                    b.append(pad).append(random.nextInt(6) == 0 ? "-   " : "- ");
                    for (int f = 0; f < fields; f++) {
                        if (f > 0) {
                            b.append(random.nextInt(10) == 0 ? pad + "   " : inner);
                        }
                        b.append(pick(KEYS, random)).append(':');
                        if (random.nextInt(5) == 0) {
                            b.append('\n');
                            if (random.nextBoolean()) {
                                list(b, random, indent + 2 + random.nextInt(3), depth + 1);
                            }
                        } else {
                            b.append(' ').append(pick(SCALARS, random)).append('\n');
                        }
                    }
                }
                case 3 -> {
                    b.append(pad).append("-\n");
                    list(b, random, indent + 2, depth + 1);
                }
                default -> {
                    b.append(pad).append("- ").append(pick(KEYS, random)).append(":\n");
                    list(b, random, indent + 2 + random.nextInt(2) * 2, depth + 1);
                }
            }
            if (random.nextInt(8) == 0) {
                b.append(" ".repeat(random.nextInt(indent + 4))).append(random.nextBoolean() ? "# c\n" : "\n");
            }
        }
    }

    private static final String DAMAGE = ":-[]{}'\"#&*!|>%@`, \n\t?\\0123456789";

    private static String damage(String document, Random random) {
        int at = random.nextInt(document.length());
        return switch (random.nextInt(3)) {
            case 0 -> document.substring(0, at) + document.substring(at + 1);
            case 1 -> document.substring(0, at) + DAMAGE.charAt(random.nextInt(DAMAGE.length())) + document.substring(at);
            default -> document.substring(0, at);
        };
    }

    private static String pick(String[] values, Random random) {
        if (values == SCALARS && random.nextInt(10) < 8) {
            values = COMMON;
        }
        if (values == KEYS && random.nextInt(10) < 8) {
            return values[random.nextInt(KEYS_IN_SUBSET)];
        }
        return values[random.nextInt(values.length)];
    }
}
