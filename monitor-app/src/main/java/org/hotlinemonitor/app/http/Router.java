package org.hotlinemonitor.app.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which endpoint a request is for: the API's routes as a pure function of method and path, so that 404 and 405
 * are decided in one place and tested from a table. HEAD is allowed wherever GET is (the same answer without a body).
 */
final class Router {

    private Router() {
    }

    enum Endpoint {
        HEALTH(null), READY(null),
        /** The status page ({@code /}) and its style and script: open, they hold no data (which {@link #STATUS} serves). */
        PAGE(null), PAGE_ASSET(null),
        STATUS(Scope.READ),
        CHANNELS(Scope.READ), CHANNEL(Scope.READ),
        RECORD_CALL(Scope.RECORD),
        ALERTS(Scope.READ),
        SILENCES(Scope.READ), CREATE_SILENCE(Scope.SILENCE), SILENCE(Scope.READ), DELETE_SILENCE(Scope.SILENCE);

        private final Scope scope;

        Endpoint(Scope scope) {
            this.scope = scope;
        }

        /**
         * The scope a token needs here ({@link Auth}), or {@code null} for a probe ({@code /healthz}, {@code /readyz})
         * and the status page's files, open whatever the API's settings.
         */
        Scope scope() {
            return scope;
        }
    }

    /**
     * The outcome: an endpoint with its path parameter (or null), a 404, a 405 (with the methods allowed), or a 400 for
     * a path parameter that is not well-formed ({@code %} not followed by two hex digits, or not UTF-8).
     */
    sealed interface Route permits Match, NotFound, MethodNotAllowed, BadPath {
    }

    record BadPath(String message) implements Route {
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

    /** The status page's files besides {@code /} itself, by path: the {@link Endpoint#PAGE_ASSET} id is the name. */
    static final List<String> PAGE_ASSETS = List.of("status.css", "status.js");

    /** Routes a request; {@code path} is the raw (still percent-encoded) path, without the query. */
    static Route route(String method, String path) {
        if (path.equals("/healthz")) {
            return read(method, Endpoint.HEALTH, null);
        }
        if (path.equals("/readyz")) {
            return read(method, Endpoint.READY, null);
        }
        if (path.equals("/")) {
            return read(method, Endpoint.PAGE, null);
        }
        if (path.length() > 1 && PAGE_ASSETS.contains(path.substring(1))) {
            return read(method, Endpoint.PAGE_ASSET, path.substring(1));
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
            try {
                id = decode(id, false);
            } catch (IllegalArgumentException e) {
                return new BadPath("path: " + e.getMessage());
            }
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        return switch (collection) {
            case "channels" -> read(method, id == null ? Endpoint.CHANNELS : Endpoint.CHANNEL, id);
            case "calls" -> id != null ? new NotFound()
                    : method.equals("POST") ? new Match(Endpoint.RECORD_CALL, null) : new MethodNotAllowed(List.of("POST"));
            case "alerts" -> id == null ? read(method, Endpoint.ALERTS, null) : new NotFound();
            case "status" -> id == null ? read(method, Endpoint.STATUS, null) : new NotFound();
            case "silences" -> id == null
                    ? read ? new Match(Endpoint.SILENCES, null)
                    : method.equals("POST") ? new Match(Endpoint.CREATE_SILENCE, null)
                    : new MethodNotAllowed(List.of("GET", "HEAD", "POST"))
                    : read ? new Match(Endpoint.SILENCE, id)
                    : method.equals("DELETE") ? new Match(Endpoint.DELETE_SILENCE, id)
                    : new MethodNotAllowed(List.of("GET", "HEAD", "DELETE"));
            default -> new NotFound();
        };
    }

    /** GET, or HEAD: the same endpoint. */
    private static Route read(String method, Endpoint endpoint, String id) {
        return method.equals("GET") || method.equals("HEAD") ? new Match(endpoint, id) : new MethodNotAllowed(List.of("GET", "HEAD"));
    }

    /**
     * Decodes {@code %XX} escapes (UTF-8). A {@code +} stays a {@code +} unless {@code plusIsSpace}: the API's values are
     * instants, numbers and ids, never text with spaces, and an offset such as {@code +09:00} is often sent unescaped.
     *
     * @throws IllegalArgumentException naming the fault: a {@code %} without two hex digits, or bytes that are not UTF-8
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new IllegalArgumentException("malformed escape '" + raw.substring(i, Math.min(raw.length(), i + 3))
                            + "': a % must be followed by two hex digits (write % itself as %25)");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the %-escapes are not UTF-8");
        }
    }
}
