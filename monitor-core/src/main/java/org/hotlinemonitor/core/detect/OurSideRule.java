package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.model.Millis;

/**
 * The rules about our own side (the schedulers that place the calls), as a pure function:
 * {@code step(state, heartbeat | advance) -> (state, alerts)}, next to the {@link Detector}'s rules for one channel.
 * On only when the configuration sets {@code silentAfter}; off, heartbeats change nothing but the state's record of
 * the last one, and nothing is ever covered. No clock, no I/O.
 *
 * <h2>The rules</h2>
 * <ol>
 *   <li><b>Silent.</b> Once a heartbeat has been seen, time passing {@code silentAfter} beyond the last one makes our
 *       side silent: one {@code OUR_SIDE_SILENT} at {@code last heartbeat + silentAfter}, keyed and with {@code since}
 *       the last heartbeat, naming its source. A silence is a deadline: {@code advance(t)} declares it when it is
 *       before {@code t}, so a heartbeat exactly {@code silentAfter} after the last one is in time.</li>
 *   <li><b>Resumed.</b> The next heartbeat ends the silence: {@code OUR_SIDE_RESUMED} at the heartbeat's time, with
 *       the same key, naming the heartbeat's source.</li>
 *   <li><b>Late.</b> A heartbeat older than one already applied, or than a declared silence, is
 *       {@link EventOutcome#LATE} and changes nothing (it would change nothing, or would have prevented the silence).
 *       Of heartbeats at the same time the last one's source is the smallest name.</li>
 *   <li><b>Covered slots.</b> A slot our side did not place, decided while our side is silent or whose slot time is
 *       before the heartbeat that ended the last silence, raises no {@code CALL_NOT_PLACED}: the one alert about our
 *       side stands for them all ({@link #covers(Monitor.OurSide, Alert)}). The slot's verdict is still
 *       {@link Verdict#NOT_PLACED}.</li>
 * </ol>
 * The rules are about time order across channels: a silence and the slots' deadlines are decided in time order, the
 * silence first at equal instants (so it covers the deadlines of its instant). That order is the driver's
 * ({@link Monitor}); the rules here say what each step does.
 *
 * <h2>Two forms, one set of rules</h2>
 * As in {@link Detector}: the public methods are pure (a {@link Monitor.OurSide} in, a {@link Result} out); the rules
 * work in place on a {@link Cursor} and hand alerts to a sink; the pure methods copy in and freeze out. The
 * {@link Monitor} keeps one cursor and runs the same rules without copies.
 *
 * <p>Thread-safety: immutable; share freely (a cursor belongs to one thread at a time).
 */
public final class OurSideRule {

    /** {@code silentAfter} in milliseconds, or {@link Millis#NONE} when the rule is off. */
    private final long silentAfter;

    /** @param silentAfter how long without a heartbeat before our side is silent; {@code null}: the rule is off */
    public OurSideRule(Duration silentAfter) {
        if (silentAfter != null && (silentAfter.isNegative() || silentAfter.isZero())) {
            throw new IllegalArgumentException("silentAfter must be positive, was " + silentAfter);
        }
        this.silentAfter = silentAfter == null ? NONE : silentAfter.toMillis();
    }

    /** Whether the rule is on ({@code silentAfter} set). */
    public boolean on() {
        return silentAfter != NONE;
    }

    /** The result of one step: our side's new state, the alerts that became true, and what happened to the heartbeat. */
    public record Result(Monitor.OurSide state, List<Alert> alerts, EventOutcome outcome) {
        public Result {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * When our side goes silent unless a heartbeat comes first (epoch milliseconds), or {@code Long.MAX_VALUE} when it
     * cannot now (the rule is off, no heartbeat yet, or already silent).
     */
    public long silenceDue(Monitor.OurSide s) {
        return silenceDue(s.lastHeartbeat(), s.silentSince());
    }

    private long silenceDue(long lastHeartbeat, long silentSince) {
        return silentAfter == NONE || lastHeartbeat == NONE || silentSince != NONE ? Long.MAX_VALUE
                : lastHeartbeat + silentAfter;
    }

    /** Moves time to {@code to} (epoch milliseconds): declares the silence if it is due before it. */
    public Result advance(Monitor.OurSide s, long to) {
        Cursor c = new Cursor(this, s);
        List<Alert> out = new ArrayList<>(1);
        advance(c, to, out::add);
        return new Result(c.freeze(), out, EventOutcome.TIME_ONLY);
    }

    /**
     * A heartbeat at {@code ts} (epoch milliseconds) from {@code source} ({@code null}: none): {@link EventOutcome#LATE}
     * if it is older than a heartbeat applied or than a declared silence, else our side is heard
     * ({@link EventOutcome#TIME_ONLY}). Time is the caller's: a heartbeat in time order comes after
     * {@link #advance(Monitor.OurSide, long) advance} to its time (which may declare a silence first); one behind the
     * caller's time is applied without moving time. A silence such a heartbeat makes due before the caller's time is
     * declared at the next advance.
     */
    public Result heartbeat(Monitor.OurSide s, long ts, String source) {
        Cursor c = new Cursor(this, s);
        List<Alert> out = new ArrayList<>(1);
        EventOutcome outcome = heartbeat(c, ts, source, out::add);
        return outcome == EventOutcome.LATE ? new Result(s, List.of(), outcome) : new Result(c.freeze(), out, outcome);
    }

    /** {@link #heartbeat(Monitor.OurSide, long, String)} in place. */
    EventOutcome heartbeat(Cursor c, long ts, String source, Consumer<Alert> out) {
        if (late(c, ts)) {
            return EventOutcome.LATE;
        }
        heard(c, ts, source, out);
        return EventOutcome.TIME_ONLY;
    }

    /**
     * Whether a channel's alert, made (by {@link Detector}) while our side is in state {@code s}, is covered by our
     * side's silence and is not to be raised: a {@code CALL_NOT_PLACED} whose slot's window overlaps a silence (decided
     * while silent, or its slot before the heartbeat that ended the last silence). Every other alert stands.
     */
    public boolean covers(Monitor.OurSide s, Alert alert) {
        return covers(s.silentSince(), s.resumedAt(), alert);
    }

    /** {@link #covers(Monitor.OurSide, Alert)} on a cursor. */
    boolean covers(Cursor c, Alert alert) {
        return covers(c.silentSince, c.resumedAt, alert);
    }

    private static boolean covers(long silentSince, long resumedAt, Alert alert) {
        return alert.type() == AlertType.CALL_NOT_PLACED
                && (silentSince != NONE || (resumedAt != NONE && resumedAt > alert.slot().toEpochMilli()));
    }

    /** {@link #advance(Monitor.OurSide, long)} in place. One comparison when no silence is due before {@code to}. */
    void advance(Cursor c, long to, Consumer<Alert> out) {
        if (c.silenceDue < to) {
            goSilent(c, c.silenceDue, out);
        }
    }

    private void goSilent(Cursor c, long at, Consumer<Alert> out) {
        c.silentSince = at;
        c.silenceDue = Long.MAX_VALUE;
        out.accept(Alert.ourSideSilent(Instant.ofEpochMilli(c.lastHeartbeat), Instant.ofEpochMilli(at))
                .withSources(c.lastHeartbeatSource == null ? List.of() : List.of(c.lastHeartbeatSource)));
    }

    /**
     * Whether a heartbeat at {@code ts} is {@link EventOutcome#LATE}: older than one applied or than a declared
     * silence. A heartbeat at or after every decided time is never late.
     */
    private boolean late(Cursor c, long ts) {
        return ts < c.lastHeartbeat || ts < c.silentSince; // NONE is Long.MIN_VALUE: never later than ts
    }

    /** A heartbeat at {@code ts} from {@code source}, not {@link #late}: our side is heard. */
    private void heard(Cursor c, long ts, String source, Consumer<Alert> out) {
        if (c.silentSince != NONE) {
            c.silentSince = NONE;
            c.resumedAt = ts;
            out.accept(Alert.ourSideResumed(Instant.ofEpochMilli(c.lastHeartbeat), Instant.ofEpochMilli(ts))
                    .withSources(source == null ? List.of() : List.of(source)));
        }
        if (ts > c.lastHeartbeat) {
            c.lastHeartbeat = ts;
            c.lastHeartbeatSource = source;
        } else if (ts == c.lastHeartbeat && source != null
                && (c.lastHeartbeatSource == null || source.compareTo(c.lastHeartbeatSource) < 0)) {
            c.lastHeartbeatSource = source; // equal times: the smallest name, whichever came first
        }
        c.silenceDue = silenceDue(c.lastHeartbeat, c.silentSince);
    }

    /**
     * Our side's {@link Monitor.OurSide} in mutable form, with {@link #silenceDue} kept from it for the driver's one
     * comparison per advance. Owned by one thread at a time.
     */
    static final class Cursor {
        long lastHeartbeat = NONE;
        long silentSince = NONE;
        long resumedAt = NONE;
        String lastHeartbeatSource;
        /** {@link OurSideRule#silenceDue(Monitor.OurSide)} of the fields above. */
        long silenceDue = Long.MAX_VALUE;

        Cursor() {
        }

        Cursor(OurSideRule rule, Monitor.OurSide s) {
            load(rule, s);
        }

        void load(OurSideRule rule, Monitor.OurSide s) {
            lastHeartbeat = s.lastHeartbeat();
            silentSince = s.silentSince();
            resumedAt = s.resumedAt();
            lastHeartbeatSource = s.lastHeartbeatSource();
            silenceDue = rule.silenceDue(s);
        }

        Monitor.OurSide freeze() {
            return new Monitor.OurSide(lastHeartbeat, silentSince, resumedAt, lastHeartbeatSource);
        }
    }
}
