package org.hotlinemonitor.core.model;

/**
 * Times as epoch milliseconds in a plain {@code long}, where the project keeps them unboxed (channel states, open
 * slots, watermarks, the detector's fast paths) instead of {@link java.time.Instant}s.
 */
public final class Millis {

    /**
     * "No instant": an absent time (never heard, no slot named, not started, nothing open), as epoch milliseconds.
     * It is {@link Long#MIN_VALUE}, so it compares before every real time: {@code t < NONE} is never true.
     */
    public static final long NONE = Long.MIN_VALUE;

    private Millis() {
    }
}
