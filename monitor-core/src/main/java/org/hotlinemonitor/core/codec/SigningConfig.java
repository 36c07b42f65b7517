package org.hotlinemonitor.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hotlinemonitor.core.model.Secret;

/**
 * The sources that must sign their events, and their keys, from the {@code signing:} section of the monitor's
 * YAML file ({@link org.hotlinemonitor.core.config.OperatorConfigLoader#signing}). Events of other sources are
 * taken signed or not. docs/security.md explains the scheme.
 *
 * @param keys each signing source's key; a key's bytes are its secret's value in UTF-8, at least
 *             {@value EventSignature#MIN_KEY_BYTES} of them. Never shown: {@link Secret#toString()} hides them
 */
public record SigningConfig(Map<String, Secret> keys) {

    /** No source signs. */
    public static final SigningConfig NONE = new SigningConfig(Map.of());

    public SigningConfig {
        keys = java.util.Collections.unmodifiableMap(new TreeMap<>(keys));
        for (Map.Entry<String, Secret> e : keys.entrySet()) {
            int n = e.getValue().value().getBytes(StandardCharsets.UTF_8).length;
            if (n < EventSignature.MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the signing key of source '" + e.getKey() + "' has " + n
                        + " bytes; at least " + EventSignature.MIN_KEY_BYTES + " are needed");
            }
        }
    }

    /** The sources that must sign. */
    public Set<String> sources() {
        return keys.keySet();
    }

    /** Whether any source must sign. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The signer and checker of {@code source}'s events, or {@code null} when it does not sign. One per thread. */
    public EventSignature signature(String source) {
        Secret key = keys.get(source);
        return key == null ? null : new EventSignature(source, key.value().getBytes(StandardCharsets.UTF_8));
    }
}
