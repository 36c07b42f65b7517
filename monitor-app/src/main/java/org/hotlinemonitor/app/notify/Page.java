package org.hotlinemonitor.app.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a pager, built but not sent: {@code POST uri} with {@code body} and {@code headers}.
 *
 * @param uri     where
 * @param body    the exact bytes sent (and, for the webhook, signed)
 * @param headers besides {@code Content-Type: application/json}
 */
public record Page(URI uri, byte[] body, Map<String, String> headers) {

    public Page {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** The body as text (UTF-8). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
