package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How an HTTP answer is read as a {@link DeliveryResult}, and {@code Retry-After}; pure functions, tested from
 * tables.
 *
 * <p>Thread-safety: stateless.
 */
public final class HttpOutcomes {

    /** How much of a receiver's answer a {@link DeliveryResult.Permanent} keeps. */
    static final int BODY_EXCERPT = 200;

    private HttpOutcomes() {
    }

    /**
     * 2xx delivered; 408, 425, 429 and 5xx retryable (honouring {@code Retry-After}); everything else permanent.
     *
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     * @param body       the answer's text, or {@code null}; an excerpt goes into the reason
     * @param now        to turn an HTTP-date into a wait
     */
    public static DeliveryResult classify(int status, String retryAfter, String body, Instant now) {
        if (status >= 200 && status < 300) {
            return new DeliveryResult.Delivered(status);
        }
        String reason = "HTTP " + status + excerpt(body);
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new DeliveryResult.Retryable(retryAfter(retryAfter, now), reason);
        }
        return new DeliveryResult.Permanent(reason);
    }

    /**
     * A {@code Retry-After} value as a wait from {@code now}: delay-seconds ({@code 120}) or an HTTP-date
     * ({@code Wed, 21 Oct 2015 07:28:00 GMT}); a date in the past is zero. {@code null} when absent or unreadable
     * (then the backoff alone decides).
     */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > BODY_EXCERPT ? oneLine.substring(0, BODY_EXCERPT) + "..." : oneLine);
    }
}
