package org.hotlinemonitor.app.http;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API token as the server knows it: a name, the SHA-256 of its secret (never the secret), and its scopes.
 *
 * @param name   who holds it ({@link #NAME}); the {@code source} of the calls it records and the {@code createdBy}
 *               of the silences it adds
 * @param sha256 the SHA-256 of the secret's UTF-8 bytes, 32 bytes; copied
 * @param scopes what it may do; not empty
 */
public record ApiToken(String name, byte[] sha256, Set<Scope> scopes) {

    /**
     * A token's name: 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, and not with
     * {@value TokenFile#SECRET_PREFIX}, the secrets' prefix (a name that looks like a secret would be one in the logs).
     */
    public static final Pattern NAME = Pattern.compile("(?!" + TokenFile.SECRET_PREFIX + ")[a-z0-9][a-z0-9._-]{0,63}");

    public ApiToken {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: use 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + name + "'");
        }
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
        sha256 = sha256.clone();
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope");
        }
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes)); // in declaration order
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Whether it holds {@code scope}. */
    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }

    /** The name and scopes; not the hash. */
    @Override
    public String toString() {
        return "ApiToken[" + name + " " + scopes + "]";
    }
}
