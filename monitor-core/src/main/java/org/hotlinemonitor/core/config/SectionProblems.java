package org.hotlinemonitor.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;

/**
 * The problems one loader of a section of the channel file ({@code notify:}, {@code api:}, {@code silences:}) finds,
 * each with file, line, column and setting, and the checks every such loader makes: a scalar where one is expected,
 * known keys only, each once. {@link #failure} reports them all together, in file order, as {@link ConfigLoader}
 * does. Not thread-safe: one per load.
 */
final class SectionProblems {

    private final String source;
    private final List<ConfigProblem> problems = new ArrayList<>();

    SectionProblems(String source) {
        this.source = source;
    }

    /** How many so far: a loader compares counts to know whether a part of the section added any. */
    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void add(Node node, String field, String message) {
        problems.add(new ConfigProblem(source, node.line(), node.column(), field, message));
    }

    void add(Entry entry, String field, String message) {
        problems.add(new ConfigProblem(source, entry.line(), entry.column(), field, message));
    }

    /** All the problems, in file order. */
    ConfigException failure() {
        List<ConfigProblem> inFileOrder = new ArrayList<>(problems);
        inFileOrder.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return new ConfigException(inFileOrder);
    }

    /** The text of a scalar, or {@code null} after noting a problem ({@code expected} says what should be there). */
    String string(Node node, String path, String expected) {
        if (node instanceof Scalar scalar && scalar.kind() != ScalarKind.NULL && scalar.kind() != ScalarKind.ALIAS) {
            return scalar.text();
        }
        add(node, path, "expected " + expected + ", was " + ConfigLoader.describe(node));
        return null;
    }

    /** A mapping's entries by key; an unknown or repeated key is a problem, and left out. */
    Map<String, Entry> keys(Mapping mapping, String path, List<String> allowed) {
        Map<String, Entry> keys = new HashMap<>();
        for (Entry entry : mapping.entries()) {
            String field = path + "." + entry.key();
            if (!allowed.contains(entry.key())) {
                String suggestion = ConfigLoader.didYouMean(entry.key(), allowed);
                add(entry, field, "unknown key '" + entry.key() + "'"
                        + (suggestion.isEmpty() ? "; expected one of " + String.join(", ", allowed) : suggestion));
            } else if (keys.containsKey(entry.key())) {
                add(entry, field, "duplicate key '" + entry.key() + "', first at line " + keys.get(entry.key()).line());
            } else {
                keys.put(entry.key(), entry);
            }
        }
        return keys;
    }
}
