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

    private ExitCodes() {
    }
}
