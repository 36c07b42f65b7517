package org.hotlinemonitor.core.model;

import java.util.Objects;

/**
 * A secret from the configuration (a routing key, an HMAC key, a webhook URL), resolved from an environment
 * variable. {@link #toString()} never shows the value, so a secret that reaches a log line or an exception
 * message by accident shows only the variable's name.
 *
 * @param variable the environment variable it came from, like {@code PAGERDUTY_KEY}, or {@code null} when
 *                 written in the file itself
 * @param value    the secret; not empty
 */
public record Secret(String variable, String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty" + (variable == null ? "" : " (" + variable + ")"));
        }
    }

    @Override
    public String toString() {
        return variable == null ? "Secret[****]" : "Secret[${" + variable + "}]";
    }
}
