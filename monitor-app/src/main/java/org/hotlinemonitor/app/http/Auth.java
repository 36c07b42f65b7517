package org.hotlinemonitor.app.http;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may do what: a pure decision from the scope an endpoint needs, the request's {@code Authorization} header and
 * the API's tokens. Tested from a table.
 *
 * <ul>
 *   <li>Probes ({@code /healthz}, {@code /readyz}) need no scope: always open.</li>
 *   <li>Reads need {@link Scope#READ}, but only when {@code protectReads}: else they are open.</li>
 *   <li>Recording a call needs {@link Scope#RECORD}; adding or removing a silence {@link Scope#SILENCE}.</li>
 *   <li>401 (with {@code WWW-Authenticate: Bearer}): no usable credentials, or a token the API does not know
 *       (RFC 6750's {@code invalid_token}); the client should authenticate (again).</li>
 *   <li>403: a known token without the scope (RFC 6750's {@code insufficient_scope}); or a write when no token is
 *       configured at all (writes are disabled).</li>
 * </ul>
 *
 * Secrets are compared by {@link ApiAccess#authenticate}, in constant time.
 */
final class Auth {

    private Auth() {
    }

    sealed interface Decision permits Allowed, Unauthorized, Forbidden {
    }

    /** @param token who asks, or {@code null} for an open endpoint */
    record Allowed(ApiToken token) implements Decision {
    }

    /** @param error {@code null} for missing credentials, {@code invalid_token} for an unknown token (RFC 6750) */
    record Unauthorized(String error, String message) implements Decision {
    }

    /** @param scope the scope the token lacks (RFC 6750's {@code insufficient_scope}), or {@code null}: writes disabled */
    record Forbidden(Scope scope, String message) implements Decision {
    }

    private static final String BEARER = "Bearer ";

    /**
     * @param needed        the scope the endpoint needs, or {@code null} for a probe
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param access        the API's tokens, or {@code null} when none are configured (reads open, writes disabled)
     */
    static Decision decide(Scope needed, String authorization, ApiAccess access) {
        if (needed == null) {
            return new Allowed(null);
        }
        if (access == null) {
            return needed == Scope.READ ? new Allowed(null)
                    : new Forbidden(null, "writes are disabled: no api.token or api.tokens is configured");
        }
        if (needed == Scope.READ && !access.protectReads()) {
            return new Allowed(null);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Unauthorized(null, "this request needs Authorization: Bearer <token>");
        }
        Optional<ApiToken> token = access.authenticate(authorization.substring(BEARER.length()).trim());
        if (token.isEmpty()) {
            return new Unauthorized("invalid_token", "the bearer token is not valid (unknown, or revoked)");
        }
        ApiToken t = token.get();
        if (!t.may(needed)) {
            return new Forbidden(needed, "the token '" + t.name() + "' may not do this: it needs the '" + needed.id()
                    + "' scope, and has only " + t.scopes().stream().map(Scope::id).collect(Collectors.joining(", ")));
        }
        return new Allowed(t);
    }
}
