package org.hotlinemonitor.app.metrics;

/**
 * The HTTP server could not start. The message is one line that names the problem and the way out (for example
 * "port 9400 is already in use (HTTP server for /metrics and the API); choose another with --http-port"), so that the
 * command line can print it alone, without a stack trace.
 */
public final class MetricsServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetricsServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
