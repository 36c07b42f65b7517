package org.hotlinemonitor.app.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The page a list request asks for ({@code GET /api/v1/channels}, {@code GET /api/v1/silences}): {@code limit} (1 to
 * {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}) items from {@code offset} (default 0), and the answer's
 * {@code next}, the path of the following page. Pure.
 */
record Paging(int limit, int offset) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /**
     * @throws ApiProblem 400 naming the parameter: unknown, or {@code limit}/{@code offset} out of range
     */
    static Paging parse(Map<String, String> params) throws ApiProblem {
        for (String key : params.keySet()) {
            if (!key.equals("limit") && !key.equals("offset")) {
                throw ApiProblem.badField(key, "parameter '" + JsonBody.shorten(key) + "': unknown; expected limit and offset");
            }
        }
        return new Paging(number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                number(params, "offset", 0, 0, Integer.MAX_VALUE));
    }

    /** A query parameter that must be an integer in {@code [min, max]}; {@code absent} when not given. */
    static int number(Map<String, String> params, String name, int absent, int min, int max) throws ApiProblem {
        String text = params.get(name);
        if (text == null) {
            return absent;
        }
        long value;
        try {
            value = text.length() > 10 ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < min || value > max) {
            throw ApiProblem.badField(name, "parameter '" + name + "': expected an integer from " + min + " to " + max
                    + ", was '" + JsonBody.shorten(text) + "'");
        }
        return (int) value;
    }

    /** This page of {@code all}. */
    <T> List<T> of(List<T> all) {
        int from = Math.min(offset, all.size());
        return all.subList(from, (int) Math.min(all.size(), (long) from + limit));
    }

    /** The path of the page after this one, or {@code null} when this one reaches the end of {@code total} items. */
    String next(String path, int total) {
        long nextOffset = (long) offset + limit;
        return nextOffset >= total ? null : path + "?offset=" + nextOffset + "&limit=" + limit;
    }

    /** {@code value} percent-encoded for a query: every byte but the unreserved characters of RFC 3986. */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}
