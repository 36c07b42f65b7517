package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClockTimerTest {

    @Test
    void tasksRunInOrderOfInstantThenSubmissionOnceTheClockReachesThem() {
        MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");
        ClockTimer timer = new ClockTimer(clock);
        List<String> ran = new ArrayList<>();
        timer.at(clock.instant().plusSeconds(2), () -> ran.add("b"));
        timer.at(clock.instant().plusSeconds(1), () -> ran.add("a"));
        timer.at(clock.instant().plusSeconds(2), () -> ran.add("c"));
        timer.execute(() -> ran.add("now"));
        assertThat(timer.runDue()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        timer.runDue();
        assertThat(ran).containsExactly("now", "a");
        clock.advance(Duration.ofSeconds(5));
        timer.runDue();
        assertThat(ran).containsExactly("now", "a", "b", "c");
        assertThat(timer.nextDue()).isEmpty();
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");
        ClockTimer timer = new ClockTimer(clock);
        List<String> ran = new ArrayList<>();
        timer.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        timer.execute(() -> ran.add("after"));
        timer.runDue();
        assertThat(ran).containsExactly("after");
    }

    @Test
    void itsThreadNoticesAClockMovedByAnotherThread() throws Exception {
        MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");
        CountDownLatch ran = new CountDownLatch(1);
        try (ClockTimer timer = new ClockTimer(clock, Duration.ofMillis(5))) {
            timer.at(clock.instant().plus(Duration.ofDays(1)), ran::countDown);
            timer.start();
            assertThat(ran.await(50, TimeUnit.MILLISECONDS)).isFalse();
            clock.advance(Duration.ofDays(1));
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(timer::runDue).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void afterCloseNothingRuns() {
        MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");
        ClockTimer timer = new ClockTimer(clock);
        List<String> ran = new ArrayList<>();
        timer.execute(() -> ran.add("dropped"));
        timer.close();
        timer.execute(() -> ran.add("ignored"));
        timer.runDue();
        assertThat(ran).isEmpty();
    }
}
