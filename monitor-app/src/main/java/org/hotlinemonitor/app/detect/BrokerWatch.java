package org.hotlinemonitor.app.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BrokerContact} that asks the leader of every partition of the events topic for its end offset every
 * {@link #PROBE_EVERY}, on a daemon thread of its own. The leaders, not any broker: in a cluster, a broker that dies
 * keeps leading its partitions until the controllers fence it (after {@code broker.session.timeout.ms}, 9 s by
 * default) and elect new leaders; meanwhile the producers keep the events of those partitions, while every other
 * broker still answers a metadata request (the three-broker drill, docs/operations.md). A probe fails when any
 * leader does not answer.
 *
 * <ul>
 *   <li>While the probes succeed, the clock counts: {@code trustedUntil(now) = now}.</li>
 *   <li>From the first failed probe (or a success older than {@link #STALE}), the clock stops at the last success:
 *       an event stamped during the outage may be waiting in its producer.</li>
 *   <li>When the probes succeed again, the clock stays stopped for {@code grace} more: producers reconnect with a
 *       backoff of up to a second (Kafka's {@code reconnect.backoff.max.ms}) before they send what they kept, and the
 *       detector must read those events before it decides the deadlines of the outage.</li>
 * </ul>
 * Events keep moving time by their own event time meanwhile, as they always do. The watch measures with
 * {@link System#nanoTime()} and answers in the caller's clock ({@code now} minus the time since the outage began), so
 * it never reads the detector's clock. Thread-safe.
 */
public final class BrokerWatch implements BrokerContact, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);

    /** How often the broker is asked. */
    public static final Duration PROBE_EVERY = Duration.ofMillis(500);
    /** How long a probe may take. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);
    /** A last success older than this counts as an outage even before a probe has failed (a probe still waiting). */
    public static final Duration STALE = Duration.ofSeconds(2);
    /** How long the clock stays stopped after the broker is back: the producers' reconnect backoff, with margin. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    private final long grace;
    private final String name;
    private final Thread thread;
    private volatile boolean closed;

    /** {@link System#nanoTime()} of the last successful probe's start. */
    private volatile long lastOk;
    /** The last success before the current (or last) outage: where the clock stops. */
    private volatile long stoppedAt;
    /** When the probes first succeeded again after the last outage; meaningful only if {@link #wasDown}. */
    private volatile long backSince;
    private volatile boolean wasDown;
    private volatile boolean down;
    /** Whether the process knows its broker failed for good ({@link #brokerFailed()}). */
    private volatile boolean brokerFailed;

    /**
     * Starts probing the leaders of the {@code eventPartitions} partitions of {@code eventsTopic} with an admin client
     * of {@code adminConfig}; the first probe counts as a success at start, so that a detector starting with its broker
     * is not held up.
     */
    public BrokerWatch(Map<String, Object> adminConfig, Duration grace, String name, String eventsTopic, int eventPartitions) {
        this.grace = grace.toNanos();
        this.name = Objects.requireNonNull(name, "name");
        if (eventPartitions < 1) {
            throw new IllegalArgumentException("eventPartitions must be positive, was " + eventPartitions);
        }
        for (int p = 0; p < eventPartitions; p++) {
            partitions.put(new TopicPartition(Objects.requireNonNull(eventsTopic, "eventsTopic"), p), OffsetSpec.latest());
        }
        this.admin = Admin.create(adminConfig);
        this.lastOk = System.nanoTime();
        this.thread = new Thread(this::run, "broker-watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long trustedUntil(long now) {
        long t = System.nanoTime();
        if (down) {
            return now - millis(t - stoppedAt);
        }
        long ok = lastOk;
        if (t - ok > STALE.toNanos()) {
            return now - millis(t - ok);
        }
        if (wasDown && t - backSince < grace) {
            return now - millis(t - stoppedAt);
        }
        return now;
    }

    /** True while the last probe failed or is overdue. */
    public boolean down() {
        return down || System.nanoTime() - lastOk > STALE.toNanos();
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }

    private void run() {
        while (!closed) {
            long started = System.nanoTime();
            boolean ok;
            try {
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                        .all().get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
                ok = true;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                ok = false;
            }
            if (closed) {
                return;
            }
            if (ok) {
                if (down) {
                    backSince = started;
                    wasDown = true;
                    down = false;
                    LOG.info("detector {}: every leader of the events topic answers again; the clock counts again from {} (after {})", name,
                            Instant.now().plusNanos(grace), Duration.ofNanos(grace));
                }
                lastOk = started;
            } else if (!down) {
                stoppedAt = lastOk;
                down = true;
                String line = "detector {}: a leader of the events topic does not answer; no deadline after {} is decided until it is back";
                Instant after = Instant.now().minusNanos(System.nanoTime() - stoppedAt);
                if (brokerFailed) { // said once already, as an error naming the cause: this is a consequence of it
                    LOG.info(line, name, after);
                } else {
                    LOG.warn(line, name, after);
                }
            }
            try {
                Thread.sleep(Math.max(0, PROBE_EVERY.toMillis() - millis(System.nanoTime() - started)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Says the broker has failed for good and the process has said so (the embedded broker's full disk): an outage seen
     * from then on is logged at INFO, not as a warning of its own.
     */
    void brokerFailed() {
        brokerFailed = true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(PROBE_TIMEOUT.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
