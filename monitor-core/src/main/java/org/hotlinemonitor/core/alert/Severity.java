package org.hotlinemonitor.core.alert;

/** How an alert should be treated by a pager. Serialised in lower case. */
public enum Severity {
    /** Worth attention, not worth waking anyone: one missed slot. */
    WARNING,
    /** Our own side failed: page our own operators, not the channel's. */
    ERROR,
    /** Page now: the channel is down. */
    CRITICAL,
    /** Resolves an earlier critical alert: the channel is back. */
    RESOLVE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
