package org.hotlinemonitor.core.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.ListSink;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;
import org.hotlinemonitor.core.config.YamlTree.Sequence;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the plain subset of YAML that channel files are written in, several times faster than SnakeYAML, into the
 * same tree with the same locations; anything outside the subset is left to SnakeYAML ({@link Unsupported}).
 *
 * <p>The subset: block mappings and block sequences nested by indentation (spaces), a mapping's first key after
 * {@code - } on the item's line; keys of letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter
 * or {@code _}; values on the key's line: a plain scalar, a quoted one (single quotes, or double quotes without
 * escapes), or a flow sequence of such scalars ({@code [MON, TUE]}), each closed on its line; comments and blank
 * lines anywhere. A plain scalar's kind is what Jackson makes of it: SnakeYAML's own {@link Resolver} decides, and
 * only strings, nulls, {@code true}/{@code false} and plain decimal integers are taken; other kinds (floats,
 * timestamps, {@code yes}, octal or sexagesimal integers) are left to SnakeYAML. So are anchors, aliases, tags, block
 * scalars, flow mappings, multi-line scalars, escapes, tabs, document markers and directives, and characters that
 * SnakeYAML refuses or counts as line breaks. Nothing in the subset is an error: every malformed document is left to
 * SnakeYAML, whose message the user gets.
 *
 * <p>A document outside the subset may be found so only part way, after items of the streamed list have gone to
 * the sink: {@link Unsupported#itemsGiven} says how many, and the caller reads the document again with SnakeYAML,
 * skipping those (an item's tree depends only on its own lines, so SnakeYAML gives the same ones).
 */
final class SimpleYaml {

    /** The document is not in the subset; nothing was decided about it (it may still be valid YAML). */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        /** Whether {@link ListSink#start} was called. */
        final boolean started;
        /** How many items of the streamed list the sink was given. */
        final int itemsGiven;

        Unsupported(boolean started, int itemsGiven) {
            super(null, null, false, false);
            this.started = started;
            this.itemsGiven = itemsGiven;
        }
    }

    /** Thrown inside the reader; {@link #read} adds what the sink was given. */
    private static final class Outside extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Outside INSTANCE = new Outside();

        private Outside() {
            super(null, null, false, false);
        }
    }

    /** The resolver Jackson's YAML parser uses (a new {@code Resolver()}); its patterns are thread-safe. */
    private static final Resolver RESOLVER = new Resolver();

    /** How many plain scalars' tags {@link #tags} keeps. */
    private static final int MAX_TAGS = 4096;

    private final BufferedReader in;
    /** The resolver's tag of plain scalars read so far: most values repeat (zones, days, durations). */
    private final Map<String, Tag> tags = new HashMap<>();
    private final String listKey;
    private final ListSink sink;
    private boolean started;
    private int itemsGiven;

    /** The current line (null at the end), its 1-based number, and its indentation (where its content starts). */
    private String line;
    private int lineNumber;
    private int indent;

    private SimpleYaml(Reader reader, String listKey, ListSink sink) {
        this.in = reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader, 1 << 16);
        this.listKey = listKey;
        this.sink = sink;
    }

    /**
     * Reads a document as {@link YamlTree#read(YamlTree.Syntax, Reader, String, ListSink)} does, when it is in the
     * subset.
     *
     * @return the root, or {@code null} for an empty document
     * @throws Unsupported when it is not (or cannot be read: SnakeYAML, reading it again, says why)
     */
    static Node read(Reader reader, String listKey, ListSink sink) throws Unsupported {
        SimpleYaml yaml = new SimpleYaml(reader, listKey, sink);
        try {
            yaml.advance();
            if (yaml.line == null) {
                return null;
            }
            Node root = yaml.block(yaml.indent, listKey != null);
            if (yaml.line != null) {
                throw Outside.INSTANCE; // content less indented than the root's
            }
            return root;
        } catch (Outside | IOException e) {
            throw new Unsupported(yaml.started, yaml.itemsGiven);
        }
    }

    // ---- lines ----

    /** Moves to the next line with content (not blank, not only a comment); {@link #line} null at the end. */
    private void advance() throws IOException {
        while (true) {
            line = in.readLine();
            if (line == null) {
                return;
            }
            lineNumber++;
            int n = line.length();
            int i = 0;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            checkCharacters(line);
            if (i == n || line.charAt(i) == '#') {
                continue;
            }
            if (line.startsWith("---") || line.startsWith("...") || line.charAt(0) == '%') {
                throw Outside.INSTANCE; // document markers, directives
            }
            indent = i;
            return;
        }
    }

    /**
     * Leaves to SnakeYAML a line with a character it refuses, counts as a line break (NEL, LS, PS) or reads otherwise
     * than as one column (tabs, surrogate pairs), and a byte order mark.
     */
    private static void checkCharacters(String line) {
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if (c >= 0x20 && c <= 0x7E) {
                continue;
            }
            if (c < 0xA0 || c >= 0xD800 && c < 0xE000 || c == 0x2028 || c == 0x2029 || c >= 0xFFFE || c == 0xFEFF) {
                throw Outside.INSTANCE;
            }
        }
    }

    /** The end of the current line's content from {@code from}: before a comment ({@code  #}) and trailing spaces. */
    private int contentEnd(int from) {
        int n = line.length();
        int end = n;
        for (int i = from; i < n; i++) {
            if (line.charAt(i) == '#' && i > 0 && line.charAt(i - 1) == ' ') {
                end = i;
                break;
            }
        }
        while (end > from && line.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    private int skipSpaces(int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    // ---- block nodes ----

    /** The block collection starting on the current line at column {@code at} (0-based). */
    private Node block(int at, boolean top) throws IOException {
        if (dashAt(at)) {
            return sequence(at, null);
        }
        if (keyEnd(at) > 0) {
            return mapping(at, top);
        }
        throw Outside.INSTANCE; // a scalar document, or a nested form of the block scalars and flow mappings
    }

    /** Whether the current line has a sequence entry's {@code -} at {@code at}. */
    private boolean dashAt(int at) {
        return at < line.length() && line.charAt(at) == '-' && (at + 1 == line.length() || line.charAt(at + 1) == ' ');
    }

    /** Where the key at {@code at} ends (its colon), or -1 when there is no key in the subset there. */
    private int keyEnd(int at) {
        int n = line.length();
        if (at >= n || !(letter(line.charAt(at)) || line.charAt(at) == '_')) {
            return -1;
        }
        int i = at + 1;
        while (i < n && keyChar(line.charAt(i))) {
            i++;
        }
        if (i < n && line.charAt(i) == ':' && (i + 1 == n || line.charAt(i + 1) == ' ')) {
            return i;
        }
        return -1;
    }

    private static boolean keyChar(char c) {
        return letter(c) || digit(c) || c == '_' || c == '-' || c == '.';
    }

    /** An ASCII letter: the subset's keys and plain values start with these (other letters are left to SnakeYAML). */
    private static boolean letter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The block mapping whose keys are at column {@code at}, its first key on the current line. With {@code top}, the
     * first {@code listKey}'s block sequence goes to the sink.
     */
    private Mapping mapping(int at, boolean top) throws IOException {
        int startLine = lineNumber;
        List<Entry> entries = new ArrayList<>();
        boolean streamed = false;
        while (true) {
            int colon = keyEnd(at);
            if (colon < 0) {
                throw Outside.INSTANCE;
            }
            String key = line.substring(at, colon);
            int keyLine = lineNumber;
            boolean stream = top && !streamed && key.equals(listKey);
            Node value = value(colon + 1, at, stream, entries);
            streamed |= stream;
            entries.add(new Entry(key, keyLine, at + 1, value));
            if (line == null || indent < at) {
                return new Mapping(List.copyOf(entries), startLine, at + 1);
            }
            if (indent > at) {
                throw Outside.INSTANCE;
            }
        }
    }

    /**
     * The value after a key's colon (at {@code from} on the current line) of a mapping at column {@code at}; leaves
     * the current line at the line after the value. With {@code stream}, a block sequence goes to the sink, after the
     * mapping's entries {@code before}.
     */
    private Node value(int from, int at, boolean stream, List<Entry> before) throws IOException {
        int start = skipSpaces(from);
        int end = contentEnd(start);
        if (start < end) {
            return inlineValue(start, end, stream, before);
        }
        int emptyLine = lineNumber;
        advance();
        if (line != null && indent > at) {
            if (stream && dashAt(indent)) {
                return sequence(indent, before);
            }
            return block(indent, false);
        }
        if (line != null && indent == at && dashAt(at)) { // a sequence at the key's own indentation
            return sequence(at, stream ? before : null);
        }
        return new Scalar(ScalarKind.NULL, "", null, emptyLine, from + 1);
    }

    /**
     * A scalar or flow sequence written on the current line in {@code [start, end)}; moves to the next line (which the
     * caller checks: more indented, it would continue the value).
     */
    private Node inlineValue(int start, int end, boolean stream, List<Entry> before) throws IOException {
        Node value = line.charAt(start) == '[' ? flowSequence(start, end, stream, before) : scalar(start, end);
        advance();
        return value;
    }

    /**
     * The block sequence whose dashes are at column {@code at}, its first on the current line. With {@code before}
     * (the top mapping's entries so far) non-null, its items go to the sink and the sequence returned is empty.
     */
    private Sequence sequence(int at, List<Entry> before) throws IOException {
        int startLine = lineNumber;
        boolean streamed = before != null;
        if (streamed) {
            sink.start(List.copyOf(before));
            started = true;
        }
        List<Node> items = streamed ? List.of() : new ArrayList<>();
        while (true) {
            Node item = item(at);
            if (line != null && indent > at) {
                throw Outside.INSTANCE;
            }
            if (streamed) {
                sink.item(item, itemsGiven++);
            } else {
                items.add(item);
            }
            if (line == null || indent < at || !dashAt(at)) {
                return new Sequence(streamed ? items : List.copyOf(items), startLine, at + 1);
            }
        }
    }

    /** The item after the dash at column {@code at} of the current line; leaves the current line after it. */
    private Node item(int at) throws IOException {
        int start = skipSpaces(at + 1);
        int end = contentEnd(start);
        if (start < end) {
            if (dashAt(start)) {
                throw Outside.INSTANCE; // a sequence in a sequence on one line
            }
            if (keyEnd(start) > 0) {
                return mapping(start, false);
            }
            return inlineValue(start, end, false, null);
        }
        int emptyLine = lineNumber;
        advance();
        if (line != null && indent > at) {
            return block(indent, false);
        }
        return new Scalar(ScalarKind.NULL, "", null, emptyLine, at + 2);
    }

    // ---- scalars ----

    /** The scalar written in {@code [start, end)} of the current line, and nothing after it. */
    private Scalar scalar(int start, int end) {
        char first = line.charAt(start);
        if (first == '\'' || first == '"') {
            int close = closingQuote(start, first);
            if (close != end - 1) {
                throw Outside.INSTANCE; // more after the quotes, or a quoted scalar over several lines
            }
            return new Scalar(ScalarKind.STRING, quoted(start, close), null, lineNumber, start + 1);
        }
        return plain(line.substring(start, end), start);
    }

    /** Where the quoted scalar opened at {@code start} closes on the current line. */
    private int closingQuote(int start, char quote) {
        for (int i = start + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == quote) {
                if (quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    i++; // '' is one quote
                    continue;
                }
                return i;
            }
            if (c == '\\' && quote == '"') {
                throw Outside.INSTANCE; // escapes
            }
        }
        throw Outside.INSTANCE;
    }

    private String quoted(int start, int close) {
        String text = line.substring(start + 1, close);
        return line.charAt(start) == '\'' ? text.replace("''", "'") : text;
    }

    /** A plain scalar, typed as Jackson types it; its first character at column {@code at}. */
    private Scalar plain(String text, int at) {
        char first = text.charAt(0);
        if (!(letter(first) || digit(first) || first == '_' || first == '.' || first == '/'
                || first == '~' || first == '(')) {
            throw Outside.INSTANCE; // indicators, and characters SnakeYAML may read otherwise
        }
        if (text.indexOf(": ") >= 0 || text.endsWith(":")) {
            throw Outside.INSTANCE; // a mapping in a scalar's place
        }
        Tag tag = tag(text, tags);
        if (tag == Tag.STR) {
            return new Scalar(ScalarKind.STRING, text, null, lineNumber, at + 1);
        }
        if (tag == Tag.NULL) {
            return new Scalar(ScalarKind.NULL, text, null, lineNumber, at + 1);
        }
        if (tag == Tag.BOOL && (text.equals("true") || text.equals("false"))) {
            return new Scalar(ScalarKind.BOOLEAN, text, null, lineNumber, at + 1);
        }
        if (tag == Tag.INT && decimal(text)) {
            return new Scalar(ScalarKind.INTEGER, text, new BigInteger(text), lineNumber, at + 1);
        }
        throw Outside.INSTANCE;
    }

    /**
     * The resolver's tag of a plain scalar. Its patterns are chosen by the first character, and none starts with a
     * letter but {@code yYnNtTfFoO} (booleans, {@code null}) except one that matches only the empty string: text
     * starting with another letter is a string without asking (most values: ids, names, zones, durations).
     * {@code SimpleYamlTest} checks this against the resolver. Other text is resolved once per distinct value, kept in
     * {@code seen}.
     */
    static Tag tag(String text, Map<String, Tag> seen) {
        char first = text.charAt(0);
        if (letter(first) && "yYnNtTfFoO".indexOf(first) < 0) {
            return Tag.STR;
        }
        Tag tag = seen.get(text);
        if (tag == null) {
            tag = RESOLVER.resolve(NodeId.scalar, text, true);
            if (seen.size() < MAX_TAGS) {
                seen.put(text, tag);
            }
        }
        return tag;
    }

    /** {@code 0} or a decimal integer without sign, leading zero or underscore. */
    private static boolean decimal(String text) {
        if (text.length() > 18 || text.length() > 1 && text.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A flow sequence of scalars in {@code [start, end)} of the current line, closed there. With {@code stream}, its
     * items go to the sink.
     */
    private Sequence flowSequence(int start, int end, boolean stream, List<Entry> before) {
        if (line.charAt(end - 1) != ']') {
            throw Outside.INSTANCE;
        }
        List<Node> items = new ArrayList<>();
        int i = skipSpaces(start + 1);
        if (line.charAt(i) != ']') {
            while (true) {
                int itemEnd;
                char c = line.charAt(i);
                if (c == '\'' || c == '"') {
                    itemEnd = closingQuote(i, c) + 1;
                } else {
                    itemEnd = i;
                    while (itemEnd < end && flowPlainChar(line.charAt(itemEnd))) {
                        itemEnd++;
                    }
                    if (itemEnd == i) {
                        throw Outside.INSTANCE;
                    }
                }
                items.add(scalar(i, itemEnd));
                i = skipSpaces(itemEnd);
                if (line.charAt(i) == ']') {
                    break;
                }
                if (line.charAt(i) != ',') {
                    throw Outside.INSTANCE;
                }
                i = skipSpaces(i + 1);
                if (line.charAt(i) == ']') {
                    throw Outside.INSTANCE; // a trailing comma
                }
            }
        }
        if (i != end - 1) {
            throw Outside.INSTANCE; // more after the closing bracket
        }
        if (stream) {
            sink.start(List.copyOf(before));
            started = true;
            for (Node item : items) {
                sink.item(item, itemsGiven++);
            }
            return new Sequence(List.of(), lineNumber, start + 1);
        }
        return new Sequence(List.copyOf(items), lineNumber, start + 1);
    }

    private static boolean flowPlainChar(char c) {
        return keyChar(c) || c == '/' || c == '+';
    }
}
