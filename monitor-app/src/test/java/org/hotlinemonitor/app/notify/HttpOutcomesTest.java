package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpOutcomesTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

    @ParameterizedTest(name = "HTTP {0}, Retry-After {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        "200, -,                             Delivered, -",
        "202, -,                             Delivered, -",
        "204, 10,                            Delivered, -",
        "429, -,                             Retryable, -",
        "429, 120,                           Retryable, PT2M",
        "503, 'Wed, 21 Oct 2015 07:28:00 GMT', Retryable, PT1M",
        "503, 'Wed, 21 Oct 2015 07:00:00 GMT', Retryable, PT0S",   // a date in the past: now
        "503, soon,                          Retryable, -",         // unreadable: the backoff decides
        "500, -,                             Retryable, -",
        "502, -,                             Retryable, -",
        "408, -,                             Retryable, -",
        "400, 5,                             Permanent, -",
        "401, -,                             Permanent, -",
        "403, -,                             Permanent, -",
        "404, -,                             Permanent, -",
        "413, -,                             Permanent, -",
        "301, -,                             Permanent, -",
    })
    void classifies(int status, String retryAfter, String kind, String wait) {
        DeliveryResult result = HttpOutcomes.classify(status, retryAfter, "nope", NOW);
        assertThat(result.getClass().getSimpleName()).isEqualTo(kind);
        if (result instanceof DeliveryResult.Retryable r) {
            assertThat(r.retryAfter()).isEqualTo(wait == null ? null : Duration.parse(wait));
            assertThat(r.reason()).isEqualTo("HTTP " + status + ": nope");
        }
        if (result instanceof DeliveryResult.Permanent p) {
            assertThat(p.reason()).isEqualTo("HTTP " + status + ": nope");
        }
    }

    @org.junit.jupiter.api.Test
    void longAnswersAreCutInTheReason() {
        DeliveryResult.Permanent p = (DeliveryResult.Permanent) HttpOutcomes.classify(400, null, "x".repeat(1000) + "\n\n", NOW);
        assertThat(p.reason()).hasSize("HTTP 400: ".length() + HttpOutcomes.BODY_EXCERPT + 3).endsWith("...");
    }
}
