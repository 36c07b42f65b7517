package org.hotlinemonitor.app.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The query of {@code GET /api/v1/alerts}: {@code since} (required, an instant), {@code after} (optional, an alert id:
 * the cursor of the next page, see {@link AlertLog#since(Instant, String, int)}), {@code limit} (1 to 1000, default
 * 100). Pure.
 */
record AlertQuery(Instant since, String after, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** The longest {@code after}: an alert id is a channel id (64), a type and an instant, well under this. */
    static final int MAX_AFTER = 300;

    static AlertQuery parse(Map<String, String> params) throws ApiProblem {
        for (String key : params.keySet()) {
            if (!key.equals("since") && !key.equals("after") && !key.equals("limit")) {
                throw ApiProblem.badField(key, "parameter '" + JsonBody.shorten(key) + "': unknown; expected since, after and limit");
            }
        }
        String s = params.get("since");
        if (s == null || s.isEmpty()) {
            throw ApiProblem.badField("since", "parameter 'since': missing; an ISO-8601 instant like 2023-04-07T00:00:00Z");
        }
        Instant since;
        try {
            since = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badField("since", "parameter 'since': bad instant '" + JsonBody.shorten(s) + "', expected ISO-8601 with Z or an offset");
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiProblem.badField("limit", "parameter 'limit': expected 1 to " + MAX_LIMIT + ", was '" + JsonBody.shorten(l) + "'");
            }
        }
        String after = params.get("after");
        if (after != null && (after.isEmpty() || after.length() > MAX_AFTER)) {
            throw ApiProblem.badField("after", "parameter 'after': an alert id, 1 to " + MAX_AFTER + " characters, was "
                    + after.length());
        }
        return new AlertQuery(since, after, limit);
    }
}
