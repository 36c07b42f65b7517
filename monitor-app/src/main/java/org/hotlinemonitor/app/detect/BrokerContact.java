package org.hotlinemonitor.app.detect;

/**
 * How far the detector may trust its clock, given what it knows of the broker: while the broker cannot be reached,
 * events the producers keep for it (stamped during the outage) cannot reach the detector, so the clock must not decide
 * the deadlines they belong to. The detector's watermark follows the clock only up to {@link #trustedUntil}
 * (docs/time.md, "Broker outages").
 */
@FunctionalInterface
public interface BrokerContact {

    /** Always in contact: the clock counts as it is (tests of the topology without a broker). */
    BrokerContact ALWAYS = now -> now;

    /**
     * The latest clock time up to which every event a producer stamped and sent could have reached the broker;
     * {@code now} while the broker is reachable, earlier during an outage and shortly after it.
     */
    long trustedUntil(long now);
}
