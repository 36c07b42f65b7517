package org.hotlinemonitor.core.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One thing wrong with a configuration file, located as precisely as the parser allows.
 *
 * @param file    the source name, as given to the loader (for a path, the path as given)
 * @param line    1-based line, or 0 when unknown (the file could not be read)
 * @param column  1-based column, or 0 when unknown
 * @param field   the path of the setting, like {@code channels[2].zone} or {@code defaults.downAfter};
 *                empty for problems with the file as a whole
 * @param message what is wrong, naming the bad value
 */
public record ConfigProblem(String file, int line, int column, String field, String message) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative, were " + line + ":" + column);
        }
    }

    /** {@code file:line:column: field: message}, leaving out the parts that are unknown or empty. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!field.isEmpty()) {
            out.append(field).append(": ");
        }
        return out.append(message).toString();
    }
}
