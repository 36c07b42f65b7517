package org.hotlinemonitor.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.hotlinemonitor.core.alert.ApiConfig;

/**
 * Who may do what: a pure decision from the endpoint, the request's {@code Authorization} header and the API's
 * settings. Tested from a table.
 *
 * <ul>
 *   <li>Probes ({@code /healthz}, {@code /readyz}) are always open.</li>
 *   <li>Reads are open, unless {@code protectReads}: then they need the token as writes do.</li>
 *   <li>Writes need {@code Authorization: Bearer TOKEN}.</li>
 *   <li>401 (with {@code WWW-Authenticate: Bearer}): no usable credentials, or a wrong token (RFC 6750's
 *       {@code invalid_token}); the client should authenticate (again).</li>
 *   <li>403: the API does not allow the request whatever the credentials: a write when no token is configured
 *       (writes are disabled).</li>
 * </ul>
 *
 * The token is compared in constant time ({@link MessageDigest#isEqual}) over its UTF-8 bytes, so the time taken
 * does not tell how much of a guess was right.
 */
final class Auth {

    private Auth() {
    }

    sealed interface Decision permits Allowed, Unauthorized, Forbidden {
    }

    record Allowed() implements Decision {
    }

    /** @param error {@code null} for missing credentials, {@code invalid_token} for a wrong one (RFC 6750) */
    record Unauthorized(String error, String message) implements Decision {
    }

    record Forbidden(String message) implements Decision {
    }

    private static final String BEARER = "Bearer ";

    /**
     * @param write         whether the request changes anything
     * @param probe         whether it is a health or readiness probe
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param config        the API's settings, or {@code null} when none are configured (reads open, writes disabled)
     */
    static Decision decide(boolean write, boolean probe, String authorization, ApiConfig config) {
        if (probe) {
            return new Allowed();
        }
        if (config == null) {
            return write ? new Forbidden("writes are disabled: no api.token is configured") : new Allowed();
        }
        if (!write && !config.protectReads()) {
            return new Allowed();
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Unauthorized(null, "this request needs Authorization: Bearer <token>");
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        byte[] expected = config.token().value().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            return new Unauthorized("invalid_token", "the bearer token is not valid");
        }
        return new Allowed();
    }
}
