package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class AcceleratedClockTest {

    static final Instant START = Instant.parse("2023-04-05T21:00:00Z");

    @Test
    void aPausedClockReadsItsStartUntilStartedThenRunsFaster() throws InterruptedException {
        AcceleratedClock clock = AcceleratedClock.paused(START, 3600);
        Thread.sleep(20);
        assertThat(clock.instant()).isEqualTo(START);
        long before = System.nanoTime();
        clock.start();
        Thread.sleep(50);
        Instant read = clock.instant();
        long realNanos = System.nanoTime() - before;
        assertThat(Duration.between(START, read)).isBetween(Duration.ofMillis(50).multipliedBy(3600),
                Duration.ofNanos(realNanos).multipliedBy(3600));
    }

    @Test
    void startingAgainChangesNothingAndAZoneCopySharesTheTime() throws InterruptedException {
        AcceleratedClock clock = AcceleratedClock.startingAt(START, 60);
        Thread.sleep(10);
        Instant first = clock.instant();
        clock.start();
        assertThat(clock.instant()).isAfterOrEqualTo(first);
        var seoul = clock.withZone(ZoneId.of("Asia/Seoul"));
        assertThat(seoul.getZone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        assertThat(seoul.instant()).isAfterOrEqualTo(first);
        assertThat(clock.scale(Duration.ofSeconds(2))).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void speedBelowOneIsRefused() {
        assertThatThrownBy(() -> AcceleratedClock.paused(START, 0)).hasMessage("speed must be at least 1, was 0");
    }
}
