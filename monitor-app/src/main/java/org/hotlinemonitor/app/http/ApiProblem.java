package org.hotlinemonitor.app.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the API refuses: the HTTP status and, for bad input, the field at fault. Thrown by the pure request
 * parsers and turned into a JSON answer {@code {"status":400,"field":"kind","message":"..."}} by {@link Api}.
 */
final class ApiProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiProblem(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    /** A 400 naming {@code field}. */
    static ApiProblem badField(String field, String message) {
        return new ApiProblem(400, field, message);
    }

    int status() {
        return status;
    }

    /** The field at fault, or {@code null}. */
    String field() {
        return field;
    }

    Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (field != null) {
            m.put("field", field);
        }
        m.put("message", getMessage());
        return m;
    }
}
