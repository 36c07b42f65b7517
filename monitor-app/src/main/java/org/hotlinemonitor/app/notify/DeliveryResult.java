package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.util.Objects;

/** What became of one attempt to deliver a page: {@link Delivered}, {@link Retryable} or {@link Permanent}. */
public sealed interface DeliveryResult {

    /** The receiver took it (2xx). */
    record Delivered(int status) implements DeliveryResult {
    }

    /**
     * Worth trying again later: 429, 5xx, a time-out or a connection error.
     *
     * @param retryAfter how long the receiver asked us to wait ({@code Retry-After}), or {@code null}
     * @param reason     for logs: the status or the error, never a secret
     */
    record Retryable(Duration retryAfter, String reason) implements DeliveryResult {
        public Retryable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Trying again will not help (any other 4xx, 3xx, or a request we cannot even build): the page is recorded as
     * undeliverable and its alerts go to the rejects topic.
     *
     * @param reason for people: the status and the start of the receiver's answer
     */
    record Permanent(String reason) implements DeliveryResult {
        public Permanent {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
