package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places each channel's routine call at each slot through a {@link CallPlacer}, publishes
 * {@code CALL_PLACED} and the outcome to an {@link EventPublisher}, retries unanswered calls within the
 * answer window, and publishes {@code HEARTBEAT}s.
 *
 * <p>The decisions are {@link SlotPlanner#plan}'s; this class is the loop around it. Everything runs
 * as tasks of one {@link ClockTimer}: a tick at every slot instant (and at every retry), a heartbeat
 * every {@code heartbeatEvery}, and the placer's outcomes, which are moved onto the timer's thread when
 * they complete. So the state needs no locks, and a test drives the whole scheduler by moving a clock
 * and calling {@link ClockTimer#runDue()}.
 *
 * <p>Events: {@code ts} is the clock's time when the call was placed, or the outcome's time; {@code slot}
 * the slot; {@code id} from {@link EventIds}; {@code source} this scheduler's name; a late first attempt
 * has the note {@code late: placed PT25M after the slot}. With a placer that does not place calls itself
 * ({@link CallPlacer#placesCalls()} false: the operator), no slot event is published at all; the
 * placer is only reminded of each slot.
 *
 * <p>Ownership: the scheduler owns nothing it is given; the caller closes the timer, placer and sink
 * (after {@link #close()}).
 *
 * <p>Thread-safety: {@link #start()}, {@link #close()} and {@link #stats()} may be called from any thread;
 * everything else runs on the timer's thread.
 */
public final class CallScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallScheduler.class);

    /**
     * How the scheduler behaves.
     *
     * @param source         this scheduler's instance name, in every event's {@code source}; it also
     *                       tells a restarted scheduler which events are its own
     * @param lateAfter      how long after its slot a first attempt still counts as on time; not negative
     * @param retry          retries of unanswered calls
     * @param heartbeatEvery clock time between heartbeats; positive
     */
    public record Settings(String source, Duration lateAfter, RetryPolicy retry, Duration heartbeatEvery) {

        public static final Duration DEFAULT_LATE_AFTER = Duration.ofMinutes(1);
        public static final Duration DEFAULT_HEARTBEAT_EVERY = Duration.ofSeconds(5);

        public Settings {
            Objects.requireNonNull(source, "source");
            if (source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            Objects.requireNonNull(lateAfter, "lateAfter");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
            if (lateAfter.isNegative()) {
                throw new IllegalArgumentException("lateAfter must not be negative, was " + lateAfter);
            }
            if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
                throw new IllegalArgumentException("heartbeatEvery must be positive, was " + heartbeatEvery);
            }
        }

        /** Defaults: late after a minute, {@link RetryPolicy#DEFAULT}, a heartbeat every 5 s. */
        public static Settings defaults(String source) {
            return new Settings(source, DEFAULT_LATE_AFTER, RetryPolicy.DEFAULT, DEFAULT_HEARTBEAT_EVERY);
        }
    }

    /**
     * Counters since start, for logs and metrics.
     *
     * @param placed         attempts placed (with {@code CALL_PLACED}), retries included
     * @param late           first attempts placed late
     * @param retries        attempts after the first
     * @param notPlaced      slots whose window closed before they could be placed
     * @param reminded       slots handed to a placer that does not place calls (the operator)
     * @param answered       outcomes {@code ANSWERED}
     * @param noAnswer       outcomes {@code NO_ANSWER}
     * @param lineFault      outcomes {@code LINE_FAULT}
     * @param placerFailures attempts whose placer failed (no outcome published)
     * @param heartbeats     heartbeats published
     */
    public record Stats(long placed, long late, long retries, long notPlaced, long reminded, long answered,
                        long noAnswer, long lineFault, long placerFailures, long heartbeats) {
    }

    private final List<Channel> channels;
    private final CallPlacer placer;
    private final EventPublisher sink;
    private final ClockTimer timer;
    private final Settings settings;
    private final Placements placements;
    private volatile boolean started;
    private volatile boolean closed;
    /** The earliest tick scheduled for a slot instant (retries schedule their own ticks). */
    private Instant pendingTick;

    private final AtomicLong placed = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong notPlaced = new AtomicLong();
    private final AtomicLong reminded = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();
    private final AtomicLong lineFault = new AtomicLong();
    private final AtomicLong placerFailures = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    /** Per channel: attempts placed, and attempts whose placer failed; every channel from the start, at 0. */
    private final Map<String, AtomicLong> placedByChannel;
    private final Map<String, AtomicLong> failedByChannel;

    /**
     * @param channels   the channels to call
     * @param placer     places the calls
     * @param sink       receives the events
     * @param timer      runs the scheduler; its clock is the scheduler's time
     * @param settings   behaviour
     * @param placements what was already placed: empty for a first start, else from {@link PlacementHistory};
     *                   the scheduler takes it over
     */
    public CallScheduler(List<Channel> channels, CallPlacer placer, EventPublisher sink, ClockTimer timer, Settings settings,
                         Placements placements) {
        this.channels = List.copyOf(channels);
        this.placer = Objects.requireNonNull(placer, "placer");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.placements = Objects.requireNonNull(placements, "placements");
        Map<String, AtomicLong> p = new java.util.HashMap<>();
        Map<String, AtomicLong> f = new java.util.HashMap<>();
        for (Channel c : this.channels) {
            p.put(c.id(), new AtomicLong());
            f.put(c.id(), new AtomicLong());
        }
        this.placedByChannel = Map.copyOf(p);
        this.failedByChannel = Map.copyOf(f);
    }

    /** Schedules the first tick and heartbeat, both at once. At most once. */
    public void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        timer.execute(this::heartbeat);
        timer.execute(this::tick);
    }

    /** Stops: nothing more is placed or published, outcomes still to come are dropped. */
    @Override
    public void close() {
        closed = true;
    }

    public Stats stats() {
        return new Stats(placed.get(), late.get(), retries.get(), notPlaced.get(), reminded.get(), answered.get(),
                noAnswer.get(), lineFault.get(), placerFailures.get(), heartbeats.get());
    }

    /**
     * Calls to the channel's placer since start: {@code placed} ones (published as {@code CALL_PLACED}, retries
     * included) or those whose placer {@code failed} (no outcome published); 0 for a channel not scheduled here.
     */
    public long placerCalls(String channel, boolean failed) {
        AtomicLong n = (failed ? failedByChannel : placedByChannel).get(channel);
        return n == null ? 0 : n.get();
    }

    private void tick() {
        if (closed) {
            return;
        }
        Instant now = timer.now();
        List<SlotPlanner.Decision> decisions = SlotPlanner.plan(channels, now, placements, settings.lateAfter());
        Map<String, List<Instant>> missed = new LinkedHashMap<>();
        for (SlotPlanner.Decision d : decisions) {
            if (d instanceof SlotPlanner.Place p) {
                place(p, now);
            } else {
                notPlaced.incrementAndGet();
                missed.computeIfAbsent(d.channel().id(), k -> new ArrayList<>()).add(d.slot());
            }
        }
        missed.forEach((channel, slots) -> LOG.warn(
                "{}: {} slot(s) passed their answer window before they could be placed ({}); "
                        + "the detector reports them as CALL_NOT_PLACED, our side's fault",
                channel, slots.size(), describe(slots)));
        for (Channel c : channels) {
            placements.handled(c.id(), now);
        }
        placements.prune(now);
        if (pendingTick == null || !pendingTick.isAfter(now)) {
            pendingTick = SlotPlanner.nextSlot(channels, now);
            if (pendingTick != null) {
                timer.at(pendingTick, this::tick);
            }
        }
    }

    private void place(SlotPlanner.Place p, Instant now) {
        Channel channel = p.channel();
        CallAttempt attempt = new CallAttempt(channel, p.slot(), p.attempt(), now, p.late());
        if (!placer.placesCalls()) {
            reminded.incrementAndGet();
            placer.place(attempt);
            return;
        }
        placements.placed(channel.id(), p.slot(), attempt.deadline(), p.attempt());
        placed.incrementAndGet();
        placedByChannel.get(channel.id()).incrementAndGet();
        if (p.attempt() > 1) {
            retries.incrementAndGet();
        }
        String note = null;
        if (p.late()) {
            late.incrementAndGet();
            note = "late: placed " + Duration.between(p.slot(), now) + " after the slot";
            LOG.info("{}: placing the call for {} late, {} after the slot", channel.id(), p.slot(), Duration.between(p.slot(), now));
        }
        sink.publish(new CallEvent(channel.id(), EventKind.CALL_PLACED, now, p.slot(),
                EventIds.attempt(channel.id(), p.slot(), EventKind.CALL_PLACED, p.attempt()), settings.source(), note));
        CompletionStage<CallOutcome> stage;
        try {
            stage = placer.place(attempt);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((outcome, error) -> timer.execute(() -> ended(attempt, outcome, error)));
    }

    private void ended(CallAttempt attempt, CallOutcome outcome, Throwable error) {
        if (closed) {
            return;
        }
        String id = attempt.channel().id();
        Instant retryAt;
        boolean ok = false;
        if (error != null || outcome == null) {
            placerFailures.incrementAndGet();
            failedByChannel.get(id).incrementAndGet();
            LOG.warn("{}: the {} placer failed on attempt {} for {}; no outcome published", id, placer.name(),
                    attempt.attempt(), attempt.slot(), error);
            retryAt = settings.retry().next(attempt.attempt(), timer.now(), attempt.deadline());
        } else {
            Instant at = outcome.at().isBefore(attempt.placedAt()) ? attempt.placedAt() : outcome.at();
            at = Instant.ofEpochMilli(at.toEpochMilli());
            ok = outcome.answered();
            (switch (outcome.kind()) {
                case ANSWERED -> answered;
                case NO_ANSWER -> noAnswer;
                default -> lineFault;
            }).incrementAndGet();
            sink.publish(new CallEvent(id, outcome.kind(), at, attempt.slot(),
                    EventIds.attempt(id, attempt.slot(), outcome.kind(), attempt.attempt()), settings.source(), outcome.note()));
            retryAt = ok ? null : settings.retry().next(attempt.attempt(), at, attempt.deadline());
        }
        placements.ended(id, attempt.slot(), ok, retryAt);
        if (retryAt != null) {
            timer.at(retryAt, this::tick);
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        Instant now = timer.now();
        sink.publishHeartbeat(new CallEvent(null, EventKind.HEARTBEAT, now, null,
                EventIds.heartbeat(settings.source(), now), settings.source(), null));
        heartbeats.incrementAndGet();
        timer.at(now.plus(settings.heartbeatEvery()), this::heartbeat);
    }

    private static String describe(List<Instant> slots) {
        String shown = slots.stream().limit(5).map(s -> Timestamps.format(s.toEpochMilli())).collect(Collectors.joining(", "));
        return slots.size() > 5 ? shown + ", ..." : shown;
    }
}
