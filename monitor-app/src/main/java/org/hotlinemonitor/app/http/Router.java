package org.hotlinemonitor.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which endpoint a request is for: the API's routes as a pure function of method and path, so that 404 and 405
 * are decided in one place and tested from a table.
 */
final class Router {

    private Router() {
    }

    enum Endpoint {
        HEALTH(null), READY(null),
        CHANNELS(Scope.READ), CHANNEL(Scope.READ),
        RECORD_CALL(Scope.RECORD),
        ALERTS(Scope.READ),
        SILENCES(Scope.READ), CREATE_SILENCE(Scope.SILENCE), SILENCE(Scope.READ), DELETE_SILENCE(Scope.SILENCE);

        private final Scope scope;

        Endpoint(Scope scope) {
            this.scope = scope;
        }

        /**
         * The scope a token needs here ({@link Auth}), or {@code null} for a probe ({@code /healthz}, {@code /readyz}),
         * open whatever the API's settings.
         */
        Scope scope() {
            return scope;
        }
    }

    /** The outcome: an endpoint with its path parameter (or null), or a 404 or 405 (with the methods allowed). */
    sealed interface Route permits Match, NotFound, MethodNotAllowed {
    }

    record Match(Endpoint endpoint, String id) implements Route {
    }

    record NotFound() implements Route {
    }

    record MethodNotAllowed(List<String> allowed) implements Route {
        MethodNotAllowed {
            allowed = List.copyOf(allowed);
        }
    }

    static final String PREFIX = "/api/v1/";

    /** Routes a request; {@code path} is the raw (still percent-encoded) path, without the query. */
    static Route route(String method, String path) {
        if (path.equals("/healthz")) {
            return only(method, "GET", Endpoint.HEALTH, null);
        }
        if (path.equals("/readyz")) {
            return only(method, "GET", Endpoint.READY, null);
        }
        if (!path.startsWith(PREFIX)) {
            return new NotFound();
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String collection = slash < 0 ? rest : rest.substring(0, slash);
        String id = slash < 0 ? null : rest.substring(slash + 1);
        if (id != null && (id.isEmpty() || id.indexOf('/') >= 0)) {
            return new NotFound();
        }
        if (id != null) {
            id = URLDecoder.decode(id, StandardCharsets.UTF_8);
        }
        return switch (collection) {
            case "channels" -> only(method, "GET", id == null ? Endpoint.CHANNELS : Endpoint.CHANNEL, id);
            case "calls" -> id == null ? only(method, "POST", Endpoint.RECORD_CALL, null) : new NotFound();
            case "alerts" -> id == null ? only(method, "GET", Endpoint.ALERTS, null) : new NotFound();
            case "silences" -> id == null
                    ? method.equals("GET") ? new Match(Endpoint.SILENCES, null)
                    : method.equals("POST") ? new Match(Endpoint.CREATE_SILENCE, null)
                    : new MethodNotAllowed(List.of("GET", "POST"))
                    : method.equals("GET") ? new Match(Endpoint.SILENCE, id)
                    : method.equals("DELETE") ? new Match(Endpoint.DELETE_SILENCE, id)
                    : new MethodNotAllowed(List.of("GET", "DELETE"));
            default -> new NotFound();
        };
    }

    private static Route only(String method, String allowed, Endpoint endpoint, String id) {
        return method.equals(allowed) ? new Match(endpoint, id) : new MethodNotAllowed(List.of(allowed));
    }
}
