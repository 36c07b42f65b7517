package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Duration;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.junit.jupiter.api.Test;

/**
 * {@link OurSideRule}'s pure form, step by step ({@code silentAfter} 10 minutes): the same rules the {@link Monitor}
 * runs in place ({@link OurSideSilenceTest} has them through the monitor).
 */
class OurSideRuleTest {

    private static final OurSideRule RULE = new OurSideRule(Duration.ofMinutes(10));

    private static long t(String time) {
        return at(time).toEpochMilli();
    }

    @Test
    void silentWhenTimePassesSilentAfterBeyondTheLastHeartbeatAndResumedAtTheNext() {
        OurSideRule.Result r = RULE.heartbeat(Monitor.OurSide.NEVER_HEARD, t("04-06T08:00"), "sched-a");
        assertThat(r.outcome()).isEqualTo(EventOutcome.TIME_ONLY);
        assertThat(r.alerts()).isEmpty();
        assertThat(RULE.silenceDue(r.state())).isEqualTo(t("04-06T08:10"));

        OurSideRule.Result inTime = RULE.advance(r.state(), t("04-06T08:10"));
        assertThat(inTime.alerts()).as("exactly silentAfter later is in time").isEmpty();

        OurSideRule.Result silent = RULE.advance(r.state(), t("04-06T08:10") + 1);
        assertThat(silent.alerts()).containsExactly(Alert.ourSideSilent(at("04-06T08:00"), at("04-06T08:10"))
                .withSources(List.of("sched-a")));
        assertThat(silent.state().silentSince()).isEqualTo(t("04-06T08:10"));
        assertThat(RULE.silenceDue(silent.state())).as("one silence, one alert").isEqualTo(Long.MAX_VALUE);
        assertThat(RULE.advance(silent.state(), t("04-06T12:00")).alerts()).isEmpty();

        OurSideRule.Result resumed = RULE.heartbeat(silent.state(), t("04-06T09:30"), "sched-b");
        assertThat(resumed.alerts()).containsExactly(Alert.ourSideResumed(at("04-06T08:00"), at("04-06T09:30"))
                .withSources(List.of("sched-b")));
        assertThat(resumed.state()).isEqualTo(new Monitor.OurSide(t("04-06T09:30"), NONE, t("04-06T09:30"), "sched-b"));
    }

    @Test
    void aHeartbeatOlderThanOneAppliedOrThanADeclaredSilenceIsLate() {
        Monitor.OurSide heard = RULE.heartbeat(Monitor.OurSide.NEVER_HEARD, t("04-06T08:05"), "s").state();
        OurSideRule.Result older = RULE.heartbeat(heard, t("04-06T08:04"), "s");
        assertThat(older.outcome()).isEqualTo(EventOutcome.LATE);
        assertThat(older.state()).isSameAs(heard);

        Monitor.OurSide silent = RULE.advance(heard, t("04-06T09:00")).state();
        assertThat(RULE.heartbeat(silent, t("04-06T08:14"), "s").outcome()).as("before the silence").isEqualTo(EventOutcome.LATE);
        assertThat(RULE.heartbeat(silent, t("04-06T08:15"), "s").outcome()).as("at its start: resumes")
                .isEqualTo(EventOutcome.TIME_ONLY);
    }

    @Test
    void ofEqualTimesTheSmallestSourceNameIsKept() {
        Monitor.OurSide s = RULE.heartbeat(Monitor.OurSide.NEVER_HEARD, t("04-06T08:00"), "sched-b").state();
        s = RULE.heartbeat(s, t("04-06T08:00"), "sched-a").state();
        s = RULE.heartbeat(s, t("04-06T08:00"), "sched-c").state();
        s = RULE.heartbeat(s, t("04-06T08:00"), null).state();
        assertThat(s.lastHeartbeatSource()).isEqualTo("sched-a");
    }

    @Test
    void coversOnlyTheUnplacedSlotsWhoseWindowOverlapsASilence() {
        Alert unplaced9 = Alert.callNotPlaced("c", at("04-06T09:00"), at("04-06T10:00"));
        Alert missed = Alert.slotMissed("c", at("04-06T09:00"), at("04-06T10:00"), MissCause.NO_ANSWER);
        Monitor.OurSide heard = RULE.heartbeat(Monitor.OurSide.NEVER_HEARD, t("04-06T08:30"), null).state();
        assertThat(RULE.covers(heard, unplaced9)).as("heard all along").isFalse();

        Monitor.OurSide silent = RULE.advance(heard, t("04-06T10:00")).state();
        assertThat(RULE.covers(silent, unplaced9)).as("decided while silent").isTrue();
        assertThat(RULE.covers(silent, missed)).as("a miss is the far side's, silent or not").isFalse();

        Monitor.OurSide resumedAfterSlot = RULE.heartbeat(silent, t("04-06T09:30"), null).state();
        assertThat(RULE.covers(resumedAfterSlot, unplaced9)).as("window began during the silence").isTrue();
        Monitor.OurSide resumedAtSlot = RULE.heartbeat(silent, t("04-06T09:00"), null).state();
        assertThat(RULE.covers(resumedAtSlot, unplaced9)).as("heard again at the slot itself").isFalse();
        assertThat(unplaced9.type()).isEqualTo(AlertType.CALL_NOT_PLACED);
    }

    @Test
    void offWithoutSilentAfter() {
        OurSideRule off = new OurSideRule(null);
        assertThat(off.on()).isFalse();
        Monitor.OurSide s = off.heartbeat(Monitor.OurSide.NEVER_HEARD, t("04-06T08:00"), "s").state();
        assertThat(off.silenceDue(s)).isEqualTo(Long.MAX_VALUE);
        assertThat(off.advance(s, t("04-07T08:00")).alerts()).isEmpty();
        assertThat(off.covers(s, Alert.callNotPlaced("c", at("04-06T09:00"), at("04-06T10:00")))).isFalse();
        assertThat(RULE.silenceDue(Monitor.OurSide.NEVER_HEARD)).as("not armed before a heartbeat").isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new OurSideRule(Duration.ZERO)).hasMessageContaining("silentAfter must be positive");
    }
}
