package org.hotlinemonitor.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML (or JSON) document read into a small tree whose nodes remember where they start (1-based line and
 * column), so that the loader can point at the exact spot of every problem. Jackson's own tree forgets locations.
 */
final class YamlTree {

    /**
     * Thread-safe once built. The caller owns the reader, so the parser must not close it. An empty value
     * ({@code key:}) must read as null, not as an empty string: {@code new YAMLFactory()} does that by
     * default but {@code YAMLFactory.builder()} (2.20) starts with the feature off, so say it.
     *
     * <p>No limit on the document's size: SnakeYAML's default (3 MiB of code points) refused a channel file of
     * about 20,000 channels. The parser streams; the tree's size grows with the file, except the list that
     * {@link #read(Reader, String, ListSink)} hands over item by item.
     */
    private static final class Snake {
        /** Built when first used: a channel file in {@link SimpleYaml}'s subset never needs it (only the resolver). */
        static final YAMLFactory YAML = YAMLFactory.builder()
                .loaderOptions(unlimited())
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
    }

    /**
     * JSON, a subset of YAML, read by Jackson's own JSON parser: many times faster than SnakeYAML on a large channel
     * file (as is YAML in {@link SimpleYaml}'s subset), with the same tree and locations. Duplicate keys are left to
     * the loader, as in YAML.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    /** How a document is written: YAML (any file), or JSON (a {@code .json} file, parsed faster). */
    enum Syntax {
        YAML, JSON
    }

    private static JsonParser parser(Syntax syntax, Reader reader) throws IOException {
        return syntax == Syntax.JSON ? JSON.createParser(reader) : Snake.YAML.createParser(reader);
    }

    private static LoaderOptions unlimited() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    /** SnakeYAML's "in 'reader', line 4, column 3:" (1-based), under each part of its message. */
    private static final Pattern MARK = Pattern.compile("\\s*in '[^']*', line (\\d+), column (\\d+):?");

    /** Documents parsed since the process started, by either read: a test checks that a file is parsed once. */
    private static final AtomicLong DOCUMENTS_READ = new AtomicLong();

    private YamlTree() {
    }

    static long documentsRead() {
        return DOCUMENTS_READ.get();
    }

    /** A node and where it starts. */
    sealed interface Node permits Mapping, Sequence, Scalar {
        int line();

        int column();
    }

    /** A mapping, keys in file order; duplicate keys are kept so that the loader can report them. */
    record Mapping(List<Entry> entries, int line, int column) implements Node {
    }

    /** One key of a mapping, located at the key. */
    record Entry(String key, int line, int column, Node value) {
    }

    record Sequence(List<Node> items, int line, int column) implements Node {
    }

    /**
     * A scalar with its text as written (so {@code NO} stays {@code NO}, not YAML 1.1's false).
     *
     * @param integer the value, for {@link ScalarKind#INTEGER} only (YAML's 0x10, 1_000 and +2 included)
     */
    record Scalar(ScalarKind kind, String text, BigInteger integer, int line, int column) implements Node {
    }

    enum ScalarKind {
        STRING, INTEGER, DECIMAL, BOOLEAN, NULL,
        /** A YAML alias ({@code *name}); {@code text} is the anchor's name. Aliases are not resolved. */
        ALIAS
    }

    /** A YAML syntax error, or a second document in the stream. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        final int line;
        final int column;

        SyntaxError(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    /**
     * Reads one YAML document. Does not close {@code yaml}: whoever opened it does.
     *
     * @return the document's root, or {@code null} for an empty document (nothing, or only comments)
     * @throws SyntaxError on malformed YAML or a second document
     * @throws IOException when {@code yaml} cannot be read
     */
    static Node read(Reader yaml) throws IOException, SyntaxError {
        return read(Syntax.YAML, yaml, null, null);
    }

    /**
     * Where {@link #read(Reader, String, ListSink)} hands the items of one top-level list, one at a time, so that
     * the items' trees never exist all at once.
     */
    interface ListSink {
        /**
         * The list starts.
         *
         * @param before the top-level entries read before the list's key, in file order
         */
        void start(List<Entry> before);

        /** The list's next item, its index counted from 0; the item is dropped when this returns. */
        void item(Node item, int index);
    }

    /**
     * Reads one document as {@link #read(Reader)} does, except the list under the first top-level key
     * {@code listKey}: its items go to {@code sink} as they are read and the returned tree holds an empty
     * {@link Sequence} in its place (located where the list starts). A value under {@code listKey} that is not a
     * list, a later repeat of the key, and a document that is not a mapping are read whole, as {@link #read(Reader)}
     * reads them. Memory: the largest item plus the rest of the document, not the list. With a null {@code listKey}
     * (and {@code sink}) the whole document is read as a tree.
     */
    static Node read(Reader yaml, String listKey, ListSink sink) throws IOException, SyntaxError {
        return read(Syntax.YAML, yaml, listKey, sink);
    }

    /** As {@link #read(Reader, String, ListSink)}, from a document in the given syntax. */
    static Node read(Syntax syntax, Reader yaml, String listKey, ListSink sink) throws IOException, SyntaxError {
        DOCUMENTS_READ.incrementAndGet();
        return parse(syntax, yaml, listKey, sink);
    }

    /** Opens a document afresh, for a second reading. */
    @FunctionalInterface
    interface Source {
        Reader open() throws IOException;
    }

    /**
     * As {@link #read(Syntax, Reader, String, ListSink)}, from a document that can be opened again. YAML in the subset
     * that channel files are written in is read by {@link SimpleYaml}, several times faster than by SnakeYAML, into the
     * same tree; a document found outside it, at its start or part way, is read again by SnakeYAML, whose sink skips
     * what the first reading gave it. The result is SnakeYAML's, whichever reads.
     */
    static Node read(Syntax syntax, Source source, String listKey, ListSink sink) throws IOException, SyntaxError {
        DOCUMENTS_READ.incrementAndGet();
        if (syntax == Syntax.YAML) {
            try (Reader yaml = source.open()) {
                return SimpleYaml.read(yaml, listKey, sink);
            } catch (SimpleYaml.Unsupported given) {
                try (Reader yaml = source.open()) {
                    return parse(syntax, yaml, listKey, given.started ? skipping(sink, given.itemsGiven) : sink);
                }
            }
        }
        try (Reader yaml = source.open()) {
            return parse(syntax, yaml, listKey, sink);
        }
    }

    /** {@code sink} without the list's start and its first {@code given} items, which it already has. */
    private static ListSink skipping(ListSink sink, int given) {
        return new ListSink() {
            @Override
            public void start(List<Entry> before) {
            }

            @Override
            public void item(Node item, int index) {
                if (index >= given) {
                    sink.item(item, index);
                }
            }
        };
    }

    private static Node parse(Syntax syntax, Reader yaml, String listKey, ListSink sink)
            throws IOException, SyntaxError {
        try (JsonParser parser = parser(syntax, yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Node root = first == JsonToken.START_OBJECT && listKey != null ? streamedTop(parser, listKey, sink)
                    : node(parser, first);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new SyntaxError(at.getLineNr(), at.getColumnNr(),
                        syntax == Syntax.JSON ? "more after the JSON document's end; put everything in one document"
                                : "a second YAML document starts here; put everything in one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            IOException readFailure = readFailure(e);
            if (readFailure != null) {
                throw readFailure;
            }
            throw syntaxError(e, syntax);
        }
    }

    private static Mapping streamedTop(JsonParser parser, String listKey, ListSink sink) throws IOException, SyntaxError {
        JsonLocation at = parser.currentTokenLocation();
        List<Entry> entries = new ArrayList<>();
        boolean streamed = false;
        for (JsonToken t = next(parser); t != JsonToken.END_OBJECT; t = next(parser)) {
            JsonLocation keyAt = parser.currentTokenLocation();
            String key = parser.currentName();
            JsonToken valueToken = next(parser);
            Node value;
            if (!streamed && key.equals(listKey)) {
                streamed = true;
                if (valueToken == JsonToken.START_ARRAY) {
                    JsonLocation listAt = parser.currentTokenLocation();
                    sink.start(List.copyOf(entries));
                    int index = 0;
                    for (JsonToken item = next(parser); item != JsonToken.END_ARRAY; item = next(parser)) {
                        sink.item(node(parser, item), index++);
                    }
                    value = new Sequence(List.of(), listAt.getLineNr(), listAt.getColumnNr());
                } else {
                    value = node(parser, valueToken);
                }
            } else {
                value = node(parser, valueToken);
            }
            entries.add(new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
        }
        return new Mapping(List.copyOf(entries), at.getLineNr(), at.getColumnNr());
    }

    /** SnakeYAML wraps a reader's failure (bad UTF-8, say) as a parse error; that is no syntax error. */
    private static IOException readFailure(JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io && !(cause instanceof JsonProcessingException)) {
                return io;
            }
        }
        return null;
    }

    /**
     * A syntax error located at SnakeYAML's problem mark, the last mark in its message. Jackson's own
     * location is where the last good token ended, which can be a line early (an unclosed {@code [} is
     * noticed at the next line's {@code -}), so it is only the fallback.
     *
     * <p>SnakeYAML's message spans several lines: an optional context ("while parsing a flow sequence") and
     * the problem, each followed by its mark and a snippet with a caret. The result keeps the words on one
     * line, with the context's mark in parentheses: the problem's mark is the location.
     */
    private static SyntaxError syntaxError(JsonProcessingException e, Syntax syntax) {
        String label = syntax == Syntax.JSON ? "JSON syntax error: " : "YAML syntax error: ";
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
        int column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
        String original = e.getOriginalMessage();
        if (original == null) {
            return new SyntaxError(line, column, label + e.getClass().getSimpleName());
        }
        List<String> texts = new ArrayList<>();
        List<Matcher> marks = new ArrayList<>(); // marks.get(i): the mark of texts.get(i), or null
        for (String text : original.lines().toList()) {
            Matcher mark = MARK.matcher(text);
            if (mark.matches() && !texts.isEmpty()) {
                marks.set(texts.size() - 1, mark);
            } else if (!text.isBlank() && !Character.isWhitespace(text.charAt(0))) { // not a snippet or caret
                texts.add(text.strip());
                marks.add(null);
            }
        }
        int located = -1;
        for (int i = 0; i < texts.size(); i++) {
            if (marks.get(i) != null) {
                located = i;
            }
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Matcher mark = marks.get(i);
            if (i == located) {
                line = Integer.parseInt(mark.group(1));
                column = Integer.parseInt(mark.group(2));
                parts.add(texts.get(i));
            } else {
                String where = mark == null ? "" : " (line " + mark.group(1) + ", column " + mark.group(2) + ")";
                parts.add(texts.get(i) + where);
            }
        }
        return new SyntaxError(line, column, label + String.join("; ", parts));
    }

    private static Node node(JsonParser parser, JsonToken token) throws IOException, SyntaxError {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        return switch (token) {
            case START_OBJECT -> {
                List<Entry> entries = new ArrayList<>();
                for (JsonToken t = next(parser); t != JsonToken.END_OBJECT; t = next(parser)) {
                    JsonLocation keyAt = parser.currentTokenLocation();
                    String key = parser.currentName();
                    Node value = node(parser, next(parser));
                    entries.add(new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
                }
                yield new Mapping(List.copyOf(entries), line, column);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken t = next(parser); t != JsonToken.END_ARRAY; t = next(parser)) {
                    items.add(node(parser, t));
                }
                yield new Sequence(List.copyOf(items), line, column);
            }
            case VALUE_STRING -> {
                boolean alias = parser instanceof YAMLParser yaml && yaml.isCurrentAlias();
                yield new Scalar(alias ? ScalarKind.ALIAS : ScalarKind.STRING, parser.getText(), null, line, column);
            }
            case VALUE_NUMBER_INT ->
                    new Scalar(ScalarKind.INTEGER, parser.getText(), parser.getBigIntegerValue(), line, column);
            case VALUE_NUMBER_FLOAT -> new Scalar(ScalarKind.DECIMAL, parser.getText(), null, line, column);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(ScalarKind.BOOLEAN, parser.getText(), null, line, column);
            case VALUE_NULL -> new Scalar(ScalarKind.NULL, parser.getText(), null, line, column);
            // Binary (!!binary) and the like: no setting in a channel file is one, so they fail as strings.
            default -> new Scalar(ScalarKind.STRING, parser.getText(), null, line, column);
        };
    }

    private static JsonToken next(JsonParser parser) throws IOException, SyntaxError {
        JsonToken token = parser.nextToken();
        if (token == null) { // SnakeYAML reports truncation itself; this is a safety net
            JsonLocation at = parser.currentLocation();
            throw new SyntaxError(at.getLineNr(), at.getColumnNr(), "syntax error: unexpected end of file");
        }
        return token;
    }
}
