package org.hotlinemonitor.core.replay;

/** Thrown in strict mode at the first refused record. */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RejectRecord reject;

    public BadInputException(RejectRecord reject) {
        super(reject.describe());
        this.reject = reject;
    }

    public RejectRecord reject() {
        return reject;
    }
}
