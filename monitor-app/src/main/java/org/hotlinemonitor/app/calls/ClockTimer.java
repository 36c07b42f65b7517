package org.hotlinemonitor.app.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks at instants of a {@link Clock}, one at a time, in order of instant (then of submission).
 *
 * <p>Works with any clock: the system clock, a fixed or mutable clock in tests, or an accelerated clock
 * that runs N times faster than real time. The timer cannot know how fast its clock runs, so its thread
 * never waits longer than {@code maxRealWait} of real time before it reads the clock again: with a clock
 * running N times faster, a task runs at most about {@code N * maxRealWait} of clock time after its
 * instant (3600x and 10 ms: 36 clock seconds).
 *
 * <p>Two ways to drive it, never both: {@link #start()} a thread of its own (production), or call
 * {@link #runDue()} after moving a mutable clock by hand (tests: deterministic, no sleeps). Either way,
 * tasks run on one thread at a time, so state touched only by tasks needs no locking.
 *
 * <p>Thread-safety: {@link #at}, {@link #execute}, {@link #nextDue} and {@link #close} are safe from any
 * thread. A task that throws is logged and does not stop the timer. {@link #close()} drops the pending
 * tasks; tasks submitted after it are ignored.
 */
public final class ClockTimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClockTimer.class);

    /** The default longest real-time wait between two readings of the clock. */
    public static final Duration DEFAULT_MAX_REAL_WAIT = Duration.ofMillis(50);

    private final Clock clock;
    private final long maxRealWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparing(Task::when).thenComparingLong(Task::seq));
    private long seq;
    private boolean closed;
    private Thread thread;

    private record Task(Instant when, long seq, Runnable action) {
    }

    /**
     * @param clock       the clock whose instants tasks are scheduled at
     * @param maxRealWait the longest real time the thread waits before reading the clock again; positive
     */
    public ClockTimer(Clock clock, Duration maxRealWait) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRealWait.isNegative() || maxRealWait.isZero()) {
            throw new IllegalArgumentException("maxRealWait must be positive, was " + maxRealWait);
        }
        this.maxRealWaitNanos = maxRealWait.toNanos();
    }

    public ClockTimer(Clock clock) {
        this(clock, DEFAULT_MAX_REAL_WAIT);
    }

    public Clock clock() {
        return clock;
    }

    /** The clock's current instant, truncated to milliseconds (the precision of events). */
    public Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** Runs {@code action} once the clock reads {@code when} or later. */
    public void at(Instant when, Runnable action) {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (closed) {
                LOG.debug("timer closed: dropping a task for {}", when);
                return;
            }
            queue.add(new Task(when, seq++, action));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} as soon as possible, after the tasks already due. */
    public void execute(Runnable action) {
        at(Instant.MIN, action);
    }

    /** The instant of the earliest pending task, if any. */
    public Optional<Instant> nextDue() {
        lock.lock();
        try {
            Task head = queue.peek();
            return head == null ? Optional.empty() : Optional.of(head.when());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs, on the calling thread, every task due at the clock's current instant, including tasks that
     * those tasks submit for instants already reached. For tests, with a clock moved by hand.
     *
     * @return how many tasks ran
     * @throws IllegalStateException if the timer's own thread is running
     */
    public int runDue() {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("the timer runs on its own thread; runDue() is for timers driven by hand");
            }
        } finally {
            lock.unlock();
        }
        int ran = 0;
        Task task;
        while ((task = pollDue()) != null) {
            run(task);
            ran++;
        }
        return ran;
    }

    /** Starts the thread that runs due tasks. At most once. */
    public void start() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("timer closed");
            }
            if (thread != null) {
                throw new IllegalStateException("timer already started");
            }
            thread = new Thread(this::loop, "hotline-scheduler");
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread (waiting for a running task to finish) and drops the pending tasks. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Task pollDue() {
        lock.lock();
        try {
            Task head = queue.peek();
            if (closed || head == null || head.when().isAfter(clock.instant())) {
                return null;
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            Task task;
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return;
                    }
                    Task head = queue.peek();
                    Instant now = clock.instant();
                    if (head != null && !head.when().isAfter(now)) {
                        task = queue.poll();
                        break;
                    }
                    long wait = maxRealWaitNanos;
                    if (head != null) {
                        // Clock time until the task, as real time: exact for a real-time clock, an
                        // overestimate for a faster one (then maxRealWait bounds it).
                        wait = Math.min(wait, saturatedNanos(now, head.when()));
                    }
                    changed.awaitNanos(Math.max(wait, 1));
                }
            } catch (InterruptedException e) {
                LOG.warn("scheduler thread interrupted: stopping");
                return;
            } finally {
                lock.unlock();
            }
            run(task);
        }
    }

    private static long saturatedNanos(Instant from, Instant to) {
        try {
            return Duration.between(from, to).toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void run(Task task) {
        try {
            task.action().run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            LOG.error("scheduled task failed", e);
        }
    }
}
