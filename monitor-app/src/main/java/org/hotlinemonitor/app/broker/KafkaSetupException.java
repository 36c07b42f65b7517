package org.hotlinemonitor.app.broker;

/**
 * The monitor's Kafka side could not be set up: the embedded broker did not start, or its topics could not be
 * made. The message is one line that names the problem and, where there is one, the way out (for example
 * "port 9092 is already in use (embedded broker listener); choose another with --broker-port"), so that the
 * command line can print it alone, without a stack trace. The cause, if any, is Kafka's own exception.
 */
public final class KafkaSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaSetupException(String message) {
        super(message);
    }

    public KafkaSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
