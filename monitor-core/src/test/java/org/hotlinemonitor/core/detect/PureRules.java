package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The plainest composition of the pure rules, the reference the {@link Monitor} is checked against: one immutable
 * {@link ChannelState} per channel stepped by its {@link Detector}'s public methods, one {@link Monitor.OurSide}
 * stepped by {@link OurSideRule}'s, and between them only what the monitor documents as its own: the order of the
 * steps (each deadline and the silence in time order, the silence first at an equal instant, equal deadlines in
 * channel-id order), the start, and which events older than the monitor's time are taken. No calendar, no lazy
 * advancing, no interning, no cursors: every step scans every channel.
 */
final class PureRules {

    private final boolean reportOurSide;
    private final List<Detector> byId;
    private final Map<String, Detector> detectors = new LinkedHashMap<>();
    private final Map<String, ChannelState> states = new LinkedHashMap<>();
    private final OurSideRule ourSideRule;
    private Monitor.OurSide ourSide = Monitor.OurSide.NEVER_HEARD;
    private long watermark = NONE;
    private long floor = NONE;

    final List<Alert> alerts = new ArrayList<>();
    final List<SlotVerdict> verdicts = new ArrayList<>();
    /** How many alerts {@link OurSideRule#covers} left out. */
    int covered;
    /** How many silences were declared at the instant of a channel's deadline (the silence comes first). */
    int silencesAtADeadline;

    PureRules(MonitorConfig config, boolean reportOurSide) {
        this.reportOurSide = reportOurSide;
        this.ourSideRule = new OurSideRule(config.silentAfter());
        for (Channel c : config.channels()) {
            detectors.put(c.id(), new Detector(c));
        }
        this.byId = detectors.values().stream().sorted(Comparator.comparing(d -> d.channel().id())).toList();
    }

    boolean started() {
        return watermark != NONE;
    }

    void start(long at) {
        watermark = at;
        floor = at;
        detectors.forEach((id, d) -> states.put(id, d.initial(Instant.ofEpochMilli(at))));
    }

    /**
     * What {@link Monitor#resume} changes for a monitor that stopped and resumed at its watermark, compared with one
     * that never stopped: nothing before the resumption is taken (a heartbeat older than it is late).
     */
    void resumedHere() {
        floor = watermark;
    }

    /** {@link MonitorFeed#accept} (a {@link Monitor}): validates, starts at the first valid event, then applies it. */
    EventOutcome accept(CallEvent e) {
        Detector d = e.kind() == EventKind.HEARTBEAT ? null : detectors.get(e.channel());
        if (e.kind() != EventKind.HEARTBEAT) {
            if (d == null) {
                return EventOutcome.UNKNOWN_CHANNEL;
            }
            EventOutcome invalid = d.validate(e);
            if (invalid != null) {
                return invalid;
            }
        }
        long ts = e.ts().toEpochMilli();
        if (!started()) {
            start(ts);
        }
        if (ts >= watermark) {
            advance(ts);
        } else if (d == null && ts < floor) {
            return EventOutcome.LATE; // a heartbeat from before the start
        }
        // Behind the monitor's time a channel event is taken when its channel's own time is not past it (the
        // Detector says LATE otherwise), a heartbeat when OurSideRule does not call it late.
        if (d == null) {
            OurSideRule.Result r = ourSideRule.heartbeat(ourSide, ts, e.source());
            ourSide = r.state();
            ourSideAlerts(r.alerts());
            return r.outcome();
        }
        Step step = d.applyValidated(states.get(d.channel().id()), e);
        states.put(d.channel().id(), step.state());
        channelDecisions(step);
        return step.outcome();
    }

    /** {@link Monitor#advanceTo}: the silence and every deadline before {@code to}, in time order. */
    void advance(long to) {
        if (!started()) {
            start(to);
        }
        if (to <= watermark) {
            return;
        }
        while (true) {
            long deadline = Long.MAX_VALUE;
            for (Detector d : byId) {
                long next = d.nextDeadline(states.get(d.channel().id()));
                if (next != NONE) {
                    deadline = Math.min(deadline, next);
                }
            }
            long silence = ourSideRule.silenceDue(ourSide);
            if (silence < to && silence <= deadline) {
                if (silence == deadline) {
                    silencesAtADeadline++;
                }
                OurSideRule.Result r = ourSideRule.advance(ourSide, silence + 1);
                ourSide = r.state();
                ourSideAlerts(r.alerts());
            } else if (deadline < to) {
                for (Detector d : byId) {
                    String id = d.channel().id();
                    if (d.nextDeadline(states.get(id)) == deadline) {
                        Step step = d.advance(states.get(id), deadline + 1);
                        states.put(id, step.state());
                        channelDecisions(step);
                    }
                }
            } else {
                break;
            }
        }
        watermark = to;
    }

    private void channelDecisions(Step step) {
        verdicts.addAll(step.verdicts());
        for (Alert a : step.alerts()) {
            if (ourSideRule.covers(ourSide, a)) {
                covered++;
            } else {
                alerts.add(a);
            }
        }
    }

    private void ourSideAlerts(List<Alert> made) {
        if (reportOurSide) {
            alerts.addAll(made);
        }
    }

    Map<String, ChannelState> states() {
        return states;
    }

    Monitor.OurSide ourSide() {
        return ourSide;
    }

    long watermark() {
        return watermark;
    }
}
