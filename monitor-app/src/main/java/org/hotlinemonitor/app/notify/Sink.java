package org.hotlinemonitor.app.notify;

import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * A pager: {@code send(alerts) -> Delivered | Retryable | Permanent}. One attempt per call; the
 * {@link Notifier} decides about retries (its {@link RetryStage}).
 *
 * <p>Thread-safety: implementations are safe from any thread; the notifier calls each from one thread.
 */
public interface Sink {

    /** The configured name, for routes, logs and rejects. */
    String name();

    /** Whether {@code alert} may share a page with others of its evaluation. */
    boolean groupable(Alert alert);

    /**
     * One attempt to deliver one page of {@code alerts}.
     *
     * @param alerts one, or several of one type and instant
     * @throws InterruptedException when the thread is interrupted while waiting for the receiver (stopping)
     */
    DeliveryResult send(List<Alert> alerts) throws InterruptedException;
}
