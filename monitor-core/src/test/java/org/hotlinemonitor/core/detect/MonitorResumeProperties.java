package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;

/**
 * What the Kafka detector relies on to keep its state in memory and save only changes: a monitor that is
 * stopped anywhere and resumed ({@link Monitor#resume}) from the states it reported changed
 * ({@link Monitor#drainChanged}) since the start, decides exactly as one that never stopped.
 */
class MonitorResumeProperties {

    @Property(tries = 150)
    void resumingFromTheChangedStatesDecidesAsAnUninterruptedRun(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                                 @ForAll @IntRange(min = 1, max = 5) int days,
                                                                 @ForAll @IntRange(min = 0, max = 100) int cutPercent,
                                                                 @ForAll @IntRange(min = 1, max = 50) int saveEvery) {
        MonitorConfig config = MonitorMatchesDetectorProperties.config();
        List<CallEvent> log = MonitorMatchesDetectorProperties.log(config, seed, days);
        Instant end = log.get(log.size() - 1).ts().plusSeconds(86_400);

        List<Alert> whole = new ArrayList<>();
        Monitor uninterrupted = new Monitor(config, whole::add);
        log.forEach(e -> MonitorFeed.accept(uninterrupted, e));
        uninterrupted.advanceTo(end.toEpochMilli());

        int cut = log.size() * cutPercent / 100;
        List<Alert> alerts = new ArrayList<>();
        Monitor first = new Monitor(config, alerts::add);
        Map<String, ChannelState> saved = new HashMap<>();
        for (int i = 0; i < cut; i++) {
            MonitorFeed.accept(first, log.get(i));
            if (i % saveEvery == 0) {
                first.drainChanged(saved::put); // saved now and then, as at commits
            }
        }
        first.drainChanged(saved::put);
        if (first.started()) {
            assertThat(saved.keySet()).as("after a start every channel counts as changed")
                    .containsExactlyInAnyOrderElementsOf(config.channels().stream().map(c -> c.id()).toList());
            assertThat(saved).as("the saved states are the current ones").isEqualTo(first.states());
        }
        Monitor second = new Monitor(config, alerts::add);
        if (first.started()) {
            second.resume(first.watermark(), saved::get, Monitor.OurSide.NEVER_HEARD);
            assertThat(second.states()).isEqualTo(first.states());
        }
        for (int i = cut; i < log.size(); i++) {
            MonitorFeed.accept(second, log.get(i));
        }
        second.advanceTo(end.toEpochMilli());

        assertThat(alerts).isEqualTo(whole);
        assertThat(second.states()).isEqualTo(uninterrupted.states());
    }

    @Test
    void drainChangedListsOnlyTheChannelsTouchedSinceTheLastCall() {
        MonitorConfig config = MonitorMatchesDetectorProperties.config();
        Monitor m = new Monitor(config, a -> { });
        Instant t0 = Instant.parse("2024-03-08T00:00:00Z");
        m.start(t0);
        m.drainChanged((id, s) -> { });
        List<String> changed = new ArrayList<>();
        m.drainChanged((id, s) -> changed.add(id));
        assertThat(changed).as("nothing since the last call").isEmpty();

        MonitorFeed.accept(m, CallEvent.of("dc", org.hotlinemonitor.core.model.EventKind.CALL_PLACED, t0.plusSeconds(60), null));
        m.drainChanged((id, s) -> changed.add(id));
        assertThat(changed).as("one event, one channel, once").containsExactly("dc");
    }

    @Test
    void resumeRefusesAMissingStateAndAStartedMonitor() {
        MonitorConfig config = MonitorMatchesDetectorProperties.config();
        Monitor m = new Monitor(config, a -> { });
        long t = Instant.parse("2024-03-08T00:00:00Z").toEpochMilli();
        assertThatThrownBy(() -> m.resume(t, id -> null, Monitor.OurSide.NEVER_HEARD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no state to resume channel");
        m.start(Instant.ofEpochMilli(t));
        assertThatThrownBy(() -> m.resume(t, id -> ChannelState.initial(t, t), Monitor.OurSide.NEVER_HEARD)).isInstanceOf(IllegalStateException.class);
    }
}
