package org.hotlinemonitor.core.alert;

/** The alerts the detector raises, with their fixed severities. */
public enum AlertType {
    /** A slot's deadline passed with our call placed but not answered, while the channel was not down. */
    SLOT_MISSED(Severity.WARNING),
    /** The {@code downAfter}-th consecutive missed slot: the far side is unreachable. */
    CHANNEL_DOWN(Severity.CRITICAL),
    /** The first answer after CHANNEL_DOWN, scheduled or not. */
    CHANNEL_RESTORED(Severity.RESOLVE),
    /** A slot's deadline passed and our side never placed the call: our fault, not the channel's. */
    CALL_NOT_PLACED(Severity.ERROR);

    private final Severity severity;

    AlertType(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
