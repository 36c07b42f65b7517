package org.hotlinemonitor.core.alert;

/** The alerts the detector raises, with their fixed severities. */
public enum AlertType {
    /** A slot's deadline passed with our call placed but not answered, while the channel was not down. */
    SLOT_MISSED(Severity.WARNING, null),
    /** The {@code downAfter}-th consecutive missed slot: the far side is unreachable. */
    CHANNEL_DOWN(Severity.CRITICAL, null),
    /** The first answer after CHANNEL_DOWN, scheduled or not. */
    CHANNEL_RESTORED(Severity.RESOLVE, CHANNEL_DOWN),
    /** A slot's deadline passed and our side never placed the call: our fault, not the channel's. */
    CALL_NOT_PLACED(Severity.ERROR, null),
    /**
     * No heartbeat from our own side for {@code silentAfter}: our schedulers or their path to the monitor are down.
     * One alert for all channels (channel {@code our-side}); while it lasts, unplaced calls raise no CALL_NOT_PLACED.
     */
    OUR_SIDE_SILENT(Severity.ERROR, null),
    /** The first heartbeat after OUR_SIDE_SILENT. */
    OUR_SIDE_RESUMED(Severity.RESOLVE, OUR_SIDE_SILENT);

    private final Severity severity;
    private final AlertType resolves;

    AlertType(Severity severity, AlertType resolves) {
        this.severity = severity;
        this.resolves = resolves;
    }

    public Severity severity() {
        return severity;
    }

    /** The type of the alert this one resolves (it shares that alert's key), or {@code null} when it resolves nothing. */
    public AlertType resolves() {
        return resolves;
    }

    /** Whether this is about our own side as a whole rather than about one channel. */
    public boolean aboutOurSide() {
        return this == OUR_SIDE_SILENT || this == OUR_SIDE_RESUMED;
    }
}
