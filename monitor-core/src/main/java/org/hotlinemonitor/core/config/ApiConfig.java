package org.hotlinemonitor.core.config;

import java.nio.file.Path;
import org.hotlinemonitor.core.model.Secret;

/**
 * The HTTP API's access settings, from the {@code api:} section of the monitor's YAML file
 * ({@link org.hotlinemonitor.core.config.OperatorConfigLoader}): either one token that may do everything (the simple
 * mode) or a file of named tokens with scopes (docs/security.md), exactly one of the two.
 *
 * @param token        the simple mode's bearer token, from an environment variable, never shown; or {@code null}
 * @param tokens       the tokens file (read and watched by the app), or {@code null}
 * @param protectReads whether reads ({@code GET}) need a token too (with the {@code read} scope)
 */
public record ApiConfig(Secret token, Path tokens, boolean protectReads) {

    public ApiConfig {
        if ((token == null) == (tokens == null)) {
            throw new IllegalArgumentException("give either a token or a tokens file, not " + (token == null ? "neither" : "both"));
        }
    }

    /** The simple mode: one token, every scope. */
    public ApiConfig(Secret token, boolean protectReads) {
        this(token, null, protectReads);
    }
}
