package org.hotlinemonitor.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

    @ParameterizedTest(name = "attempt {0}, random {1}, Retry-After {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        // attempt, random, retryAfter, expected wait
        "1,  0.0,   -,      PT0S",        // full jitter: may retry at once
        "1,  0.5,   -,      PT0.25S",
        "1,  0.999, -,      PT0.4995S",
        "2,  0.5,   -,      PT0.5S",       // ceiling doubles: 1 s
        "3,  0.5,   -,      PT1S",         // 2 s
        "5,  0.5,   -,      PT4S",         // 8 s
        "6,  0.5,   -,      PT5S",         // 16 s capped at 10 s
        "60, 0.5,   -,      PT5S",         // no overflow after many attempts
        "1,  0.5,   PT3S,   PT3S",         // Retry-After is a floor
        "6,  0.9,   PT3S,   PT9S",         // jitter above it wins
        "1,  0.0,   PT1H,   PT10S",        // an absurd Retry-After is capped at max
        "1,  0.5,   PT0S,   PT0.25S",
    })
    void delays(int attempt, double random, String retryAfter, String expected) {
        Duration after = retryAfter == null ? null : Duration.parse(retryAfter);
        assertThat(BACKOFF.delay(attempt, after, random)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void ceilingsDoubleUpToMax() {
        assertThat(BACKOFF.ceiling(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(BACKOFF.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(BACKOFF.ceiling(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(BACKOFF.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDefaultNeverWaitsLongerThan15sWhateverTheAttemptTheJitterOrTheRetryAfter() {
        assertThat(Backoff.DEFAULT.max()).isEqualTo(Duration.ofSeconds(15)).isLessThanOrEqualTo(Backoff.LONGEST_MAX);
        for (int attempt = 1; attempt <= 100; attempt++) {
            for (double random : new double[] {0.0, 0.5, 0.999999}) {
                for (Duration retryAfter : new Duration[] {null, Duration.ofSeconds(1), Duration.ofMinutes(3), Duration.ofDays(1)}) {
                    assertThat(Backoff.DEFAULT.delay(attempt, retryAfter, random)).isLessThanOrEqualTo(Duration.ofSeconds(15));
                }
            }
        }
        assertThat(Backoff.DEFAULT.delay(6, null, 0.999999)).isGreaterThan(Duration.ofMillis(14_999)); // the cap is reached
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("initial backoff must be positive, was PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("max backoff must be at least the initial PT2S, was PT1S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .hasMessage("max backoff must be at most PT20S (so that a pager that recovers is tried again soon), was PT5M");
        assertThatThrownBy(() -> BACKOFF.delay(0, null, 0.5)).hasMessage("attempt counts from 1, was 0");
        assertThatThrownBy(() -> BACKOFF.delay(1, null, 1.0)).hasMessage("random must be in [0, 1), was 1.0");
    }
}
