package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.SEOUL;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.t;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;

/** What a restarted scheduler makes of its own events. */
class PlacementHistoryTest {

    static final String ME = "scheduler-1";
    static final Instant SLOT = t("2023-04-07T00:00:00Z");
    static final Instant DEADLINE = t("2023-04-07T01:00:00Z");

    static CallEvent ev(EventKind kind, String ts, Instant slot, int attempt, String source) {
        return new CallEvent(SEOUL.id(), kind, t(ts), slot, EventIds.attempt(SEOUL.id(), slot, kind, attempt), source, null);
    }

    static Placements rebuild(String now, CallEvent... events) {
        List<CallEvent> log = new ArrayList<>(List.of(events));
        log.add(CallEvent.heartbeat(t("2023-04-07T00:00:00Z"), ME));
        return PlacementHistory.rebuild(log, List.of(SEOUL), ME, t(now), RetryPolicy.DEFAULT);
    }

    @Test
    void theCursorIsTheLatestPlacedSlotAndClosedSlotsAreNotKept() {
        Placements p = rebuild("2023-04-07T03:00:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-06T08:00:00Z", t("2023-04-06T08:00:00Z"), 1, ME),
                ev(EventKind.CALL_PLACED, "2023-04-07T00:00:00Z", SLOT, 1, ME),
                ev(EventKind.NO_ANSWER, "2023-04-07T00:01:00Z", SLOT, 1, ME));
        assertThat(p.cursor(SEOUL.id())).isEqualTo(SLOT);
        assertThat(p.slots(SEOUL.id())).isEmpty();
    }

    @Test
    void anAnsweredSlotNeedsNothingMore() {
        Placements p = rebuild("2023-04-07T00:10:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-07T00:00:00Z", SLOT, 1, ME),
                ev(EventKind.NO_ANSWER, "2023-04-07T00:01:00Z", SLOT, 1, ME),
                ev(EventKind.CALL_PLACED, "2023-04-07T00:06:00Z", SLOT, 2, ME),
                ev(EventKind.ANSWERED, "2023-04-07T00:06:30Z", SLOT, 2, ME));
        assertThat(p.slot(SEOUL.id(), SLOT)).isEqualTo(new Placements.SlotRecord(SLOT, DEADLINE, 2, false, true, null));
    }

    @Test
    void anUnansweredAttemptKeepsItsRetryTime() {
        Placements p = rebuild("2023-04-07T00:03:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-07T00:00:00Z", SLOT, 1, ME),
                ev(EventKind.LINE_FAULT, "2023-04-07T00:00:05Z", SLOT, 1, ME));
        assertThat(p.slot(SEOUL.id(), SLOT)).isEqualTo(new Placements.SlotRecord(SLOT, DEADLINE, 1, false, false, t("2023-04-07T00:05:05Z")));
    }

    @Test
    void anInterruptedAttemptIsRetriedAtOnceUnderANewNumber() {
        Placements p = rebuild("2023-04-07T00:58:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-07T00:00:00Z", SLOT, 1, ME),
                ev(EventKind.NO_ANSWER, "2023-04-07T00:01:00Z", SLOT, 1, ME),
                ev(EventKind.CALL_PLACED, "2023-04-07T00:06:00Z", SLOT, 2, ME));
        assertThat(p.slot(SEOUL.id(), SLOT)).isEqualTo(new Placements.SlotRecord(SLOT, DEADLINE, 2, false, false, t("2023-04-07T00:58:00Z")));
    }

    @Test
    void anInterruptedLastAttemptIsNotRetried() {
        Placements p = rebuild("2023-04-07T00:20:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-07T00:12:00Z", SLOT, 3, ME));
        assertThat(p.slot(SEOUL.id(), SLOT).retryAt()).isNull();
    }

    @Test
    void othersEventsAndUnknownChannelsAreIgnored() {
        Placements p = rebuild("2023-04-07T00:10:00Z",
                ev(EventKind.CALL_PLACED, "2023-04-07T00:00:00Z", SLOT, 1, "scheduler-2"),
                new CallEvent("elsewhere", EventKind.CALL_PLACED, SLOT, SLOT, "elsewhere/x/CALL_PLACED/1", ME, null),
                new CallEvent(SEOUL.id(), EventKind.ANSWERED, t("2023-04-07T00:02:00Z"), SLOT, "op", ME, null));
        assertThat(p.cursor(SEOUL.id())).isNull();
        assertThat(p.cursor("elsewhere")).isNull();
        assertThat(p.slots(SEOUL.id())).isEmpty();
    }
}
