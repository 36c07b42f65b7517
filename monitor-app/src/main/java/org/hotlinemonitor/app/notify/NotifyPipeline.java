package org.hotlinemonitor.app.notify;

import java.time.Instant;
import org.hotlinemonitor.core.notify.NotifyConfig;
import java.util.function.Supplier;
import java.util.function.Predicate;
import java.util.function.DoubleSupplier;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.ingest.Rejection;

/**
 * One sink's delivery of the records it reads, as stages: {@link RouteStage} (is the alert for this sink),
 * {@link RepeatStage} (did the sink take it already in this process), {@link SilenceStage} (does a maintenance
 * window cover it), {@link GroupStage} (the batch's window, and its pages), {@link DeliverStage} (one attempt at a
 * page) and {@link RetryStage} (what follows a failure). No I/O of its own but the sink's, no Kafka: whoever reads
 * the records (the {@link Notifier}'s consumer loop) offers them, calls {@link #tick()} while something is
 * {@link #due()}, and acts on each {@link Step}: writes its dead letters, then commits its positions.
 *
 * <p>Records come in batches. The first record offered opens one, which gathers records until the group stage's
 * window closes; then the batch is closed: each record is classified (not an alert: done, and a dead letter if this
 * pipeline reports those; routed elsewhere, taken before, silenced: done), and the rest are planned into pages.
 * Pages are delivered in order, one attempt per tick; a page that failed in a retryable way is tried again when the
 * retry stage says, and nothing after it is attempted before it is done. While a batch has pages, no record is
 * accepted ({@link #accepting()}): the reader pauses. When the last page is done the batch is over.
 *
 * <p>Commit points: per lane (a partition), the offset of the batch's first record not done (delivered, given up
 * on as a dead letter, or dropped by a stage), or one past the last. A {@link Step} carries them after each page
 * the pipeline finished, and after a batch with nothing to deliver.
 *
 * <p>Time: {@code time} says when a batch opened and closes and when a retry is due; it need not be the wall clock
 * (the notifier gives a monotonic one), and a test gives one it moves by hand. No call waits.
 *
 * <p>Thread-safety: not thread-safe; one worker thread.
 *
 * @param <R> the record as its reader keeps it (for dead letters)
 * @param <L> a lane: records of one lane are offered in offset order
 */
final class NotifyPipeline<R, L> {

    /**
     * A record read: where it is and its alert, or why it is not one.
     *
     * @param alert   the alert, or {@code null} when the record is not one
     * @param problem why it is not an alert, exactly when {@code alert} is {@code null}
     */
    record Read<R, L>(R source, L lane, long offset, Alert alert, String problem) {
        Read {
            Objects.requireNonNull(lane, "lane");
            if ((alert == null) == (problem == null)) {
                throw new IllegalArgumentException("a record read is an alert or has a problem, not both nor neither");
            }
        }
    }

    /**
     * A record to put on the dead-letter topic.
     *
     * @param reason {@value Rejection#MALFORMED} (not an alert) or {@value NotifyRejects#SINK_REJECTED}
     * @param detail the parser's message, or the sink's reason for refusing
     */
    record DeadLetter<R>(R source, String reason, String detail) {
    }

    /**
     * What the reader does after a tick, in this order: writes {@code deadLetters}, then, unless it is empty,
     * commits {@code commit} (per lane, the offset of the next record to read).
     */
    record Step<R, L>(List<DeadLetter<R>> deadLetters, Map<L, Long> commit) {
        Step {
            deadLetters = List.copyOf(deadLetters);
            commit = Map.copyOf(commit);
        }

        static <R, L> Step<R, L> none() {
            return new Step<>(List.of(), Map.of());
        }
    }

    private static final class Entry<R, L> {
        final Read<R, L> read;
        boolean done;

        Entry(Read<R, L> read) {
            this.read = read;
        }
    }

    /** A page to attempt: its entries, its next attempt's number and instant, and whether a commit follows it. */
    private static final class Page<R, L> {
        final List<Entry<R, L>> entries;
        final boolean commitAfter;
        int attempt = 1;
        Instant due;

        Page(List<Entry<R, L>> entries, Instant due, boolean commitAfter) {
            this.entries = entries;
            this.due = due;
            this.commitAfter = commitAfter;
        }

        List<Alert> alerts() {
            return entries.stream().map(e -> e.read.alert()).toList();
        }
    }

    private final RouteStage route;
    private final RepeatStage repeats;
    private final SilenceStage silence;
    private final GroupStage group;
    private final DeliverStage deliver;
    private final RetryStage retry;
    private final boolean reportsMalformed;
    private final InstantSource time;

    private final List<Entry<R, L>> batch = new ArrayList<>();
    /** When the open batch closes; {@code null} when none is gathering. */
    private Instant closesAt;
    private final Deque<Page<R, L>> pages = new ArrayDeque<>();


    /**
     * The pipeline of one sink, its stages made from the notifier's configuration: the one way the notifier and the
     * tests put it together.
     *
     * @param silences       the silences in force now (read for each alert)
     * @param wallClock      for the delivery latency
     * @param random         the jitter of the backoff
     * @param time           when batches close and retries are due (monotonic in the notifier)
     */
    static <R, L> NotifyPipeline<R, L> forSink(NotifyConfig config, Sink sink, Supplier<Predicate<Alert>> silences,
                                               DeliveryCounter deliveries, Clock wallClock, DoubleSupplier random,
                                               String deadLetterTopic, boolean reportsMalformed, InstantSource time) {
        return new NotifyPipeline<>(new RouteStage(config, sink.name()), new RepeatStage(sink.name(), deliveries),
                new SilenceStage(sink.name(), silences, deliveries),
                new GroupStage(config.grouping(), config.groupWait(), sink::groupable),
                new DeliverStage(sink, deliveries, wallClock),
                new RetryStage(sink.name(), config.backoff(), random, deliveries, deadLetterTopic),
                reportsMalformed, time);
    }
    /**
     * @param reportsMalformed whether records that are not alerts become dead letters here (one sink's pipeline
     *                         reports them, so that each is reported once)
     * @param time             when things happen, for batching and retries
     */
    NotifyPipeline(RouteStage route, RepeatStage repeats, SilenceStage silence, GroupStage group, DeliverStage deliver,
                   RetryStage retry, boolean reportsMalformed, InstantSource time) {
        this.route = Objects.requireNonNull(route, "route");
        this.repeats = Objects.requireNonNull(repeats, "repeats");
        this.silence = Objects.requireNonNull(silence, "silence");
        this.group = Objects.requireNonNull(group, "group");
        this.deliver = Objects.requireNonNull(deliver, "deliver");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.reportsMalformed = reportsMalformed;
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Whether records may be offered: no batch is being delivered (none is open, or one is gathering). */
    boolean accepting() {
        return pages.isEmpty();
    }

    /**
     * Takes a record into the open batch, opening one if none is.
     *
     * @throws IllegalStateException when not {@link #accepting()}
     */
    void offer(Read<R, L> read) {
        Objects.requireNonNull(read, "read");
        if (!accepting()) {
            throw new IllegalStateException("a batch is being delivered: records are offered only while accepting()");
        }
        if (closesAt == null) {
            closesAt = group.closesAt(time.instant());
        }
        batch.add(new Entry<>(read));
    }

    /** When {@link #tick()} has something to do: the open batch closes, or the next page is due; empty: nothing. */
    Optional<Instant> due() {
        if (closesAt != null) {
            return Optional.of(closesAt);
        }
        Page<R, L> head = pages.peekFirst();
        return head == null ? Optional.empty() : Optional.of(head.due);
    }

    /**
     * Does the one thing due now, if any: closes the open batch, or makes one attempt at the next page.
     *
     * @throws InterruptedException when the sink was interrupted waiting for its receiver
     */
    Step<R, L> tick() throws InterruptedException {
        Instant now = time.instant();
        if (closesAt != null) {
            return now.isBefore(closesAt) ? Step.none() : close(now);
        }
        Page<R, L> page = pages.peekFirst();
        if (page == null || now.isBefore(page.due)) {
            return Step.none();
        }
        List<Alert> alerts = page.alerts();
        DeliveryResult result = deliver.attempt(alerts);
        if (result instanceof DeliveryResult.Delivered) {
            page.entries.forEach(this::finish);
            return pageDone(List.of());
        }
        Instant failedAt = time.instant();
        RetryStage.Next next = retry.after(page.attempt, alerts, result, failedAt);
        if (next instanceof RetryStage.Again again) {
            page.attempt++;
            page.due = again.at();
            return Step.none();
        }
        if (next instanceof RetryStage.OneByOne) {
            pages.removeFirst();
            for (int i = page.entries.size() - 1; i >= 0; i--) {
                boolean last = i == page.entries.size() - 1;
                pages.addFirst(new Page<>(List.of(page.entries.get(i)), failedAt, last && page.commitAfter));
            }
            return Step.none();
        }
        Entry<R, L> refused = page.entries.get(0);
        finish(refused);
        String reason = ((RetryStage.GiveUp) next).reason();
        return pageDone(List.of(new DeadLetter<>(refused.read.source(), NotifyRejects.SINK_REJECTED, reason)));
    }

    /**
     * Drops the batch (the reader could not commit, or lost lanes): what is not yet done will be offered again.
     * What the sink took stays remembered.
     *
     * @return per lane of the batch, the offset to read again from: its first record not done, or one past the last
     */
    Map<L, Long> abandon() {
        Map<L, Long> from = commitPoints();
        batch.clear();
        pages.clear();
        closesAt = null;
        return from;
    }

    private Step<R, L> close(Instant now) {
        closesAt = null;
        List<DeadLetter<R>> deadLetters = new ArrayList<>();
        List<Entry<R, L>> deliverable = new ArrayList<>();
        for (Entry<R, L> entry : batch) {
            Alert alert = entry.read.alert();
            if (alert == null) {
                if (reportsMalformed) {
                    deadLetters.add(new DeadLetter<>(entry.read.source(), Rejection.MALFORMED, entry.read.problem()));
                }
                entry.done = true;
            } else if (!route.takes(alert) || repeats.drops(alert) || silence.drops(alert)) {
                entry.done = true;
            } else {
                deliverable.add(entry);
            }
        }
        for (List<Entry<R, L>> page : group.pages(deliverable, e -> e.read.alert())) {
            pages.addLast(new Page<>(page, now, true));
        }
        if (!pages.isEmpty()) {
            return new Step<>(deadLetters, Map.of());
        }
        Map<L, Long> commit = commitPoints();
        batch.clear();
        return new Step<>(deadLetters, commit);
    }

    private void finish(Entry<R, L> entry) {
        entry.done = true;
        repeats.remember(entry.read.alert());
    }

    /** The head page is done: the next is due at once; a commit follows if the page asks for it. */
    private Step<R, L> pageDone(List<DeadLetter<R>> deadLetters) {
        Page<R, L> page = pages.removeFirst();
        Map<L, Long> commit = page.commitAfter ? commitPoints() : Map.of();
        if (pages.isEmpty()) {
            batch.clear();
        }
        return new Step<>(deadLetters, commit);
    }

    /** Per lane: the offset of the batch's first record not done, or one past its last. */
    private Map<L, Long> commitPoints() {
        Map<L, Long> next = new LinkedHashMap<>();
        Set<L> blocked = new HashSet<>();
        for (Entry<R, L> entry : batch) { // each lane's records are in offset order
            L lane = entry.read.lane();
            if (blocked.contains(lane)) {
                continue;
            }
            if (entry.done) {
                next.put(lane, entry.read.offset() + 1);
            } else {
                next.put(lane, entry.read.offset());
                blocked.add(lane);
            }
        }
        return next;
    }
}
