package org.hotlinemonitor.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it (not just the first), in file order.
 * {@link #getMessage()} has one line per problem, each as {@link ConfigProblem#toString()}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // List.copyOf of Serializable records is serializable
    private final List<ConfigProblem> problems;

    /** @param problems at least one */
    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }

    /** The problems, in file order; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
