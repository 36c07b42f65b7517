package org.hotlinemonitor.core.alert;

import java.util.Objects;

/**
 * The HTTP API's access settings, from the {@code api:} section of the monitor's YAML file
 * ({@link org.hotlinemonitor.core.config.OperatorConfigLoader}).
 *
 * @param token        the bearer token writes need (and reads, when {@code protectReads}); from an
 *                     environment variable, never shown
 * @param protectReads whether reads ({@code GET}) need the token too
 */
public record ApiConfig(Secret token, boolean protectReads) {

    public ApiConfig {
        Objects.requireNonNull(token, "token");
    }
}
