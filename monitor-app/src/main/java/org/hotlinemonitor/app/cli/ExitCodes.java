package org.hotlinemonitor.app.cli;

/** The process exit codes, a public contract (see docs/cli.md). */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Any other failure: I/O errors, bugs. */
    public static final int FAILURE = 1;
    /** Bad command line: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** Bad input: invalid configuration, unreadable input file, or a bad line under {@code --strict}. */
    public static final int BAD_INPUT = 3;
    /** A replay that finished, but refused some of its input (kept in the rejects, counted in the report). */
    public static final int REFUSED = 4;
    /**
     * A replay whose input was damaged part way (a truncated or corrupt gzip file): every line before the damage
     * replayed, the alerts and the report written, nothing after the damage read. Takes precedence over {@link #REFUSED}.
     */
    public static final int DAMAGED = 5;

    private ExitCodes() {
    }
}
