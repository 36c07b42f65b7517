package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.notify.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry stage of a sink's {@link NotifyPipeline}: what follows a failed attempt at a page.
 * <ul>
 *   <li>{@link DeliveryResult.Retryable}: the same page again after {@link Backoff#delay} (exponential with full
 *       jitter, at least the receiver's {@code Retry-After}, at most the backoff's {@code max}), counted from the
 *       instant the failure was known; for as long as it takes: a retryable failure is never given up on.</li>
 *   <li>{@link DeliveryResult.Permanent}: a page of several alerts is tried again one alert at a time, so that one
 *       bad alert does not sink its neighbours; an alert refused alone is given up on, to be a dead letter with the
 *       sink's reason.</li>
 * </ul>
 *
 * <p>Thread-safety: one worker thread (the random source is called from it).
 */
final class RetryStage {

    /** What follows a failed attempt. */
    sealed interface Next {
    }

    /** The same page again, not before {@code at}. */
    record Again(Instant at) implements Next {
    }

    /** Each alert of the page alone, in page order, each from its first attempt. */
    record OneByOne() implements Next {
    }

    /** The page's one alert is given up on; {@code reason} is the sink's. */
    record GiveUp(String reason) implements Next {
    }

    /** The notifier's logger: these lines read as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final String sink;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final DeliveryCounter deliveries;
    private final String deadLetterTopic;

    /**
     * @param random          uniform in [0, 1), for the backoff's jitter
     * @param deadLetterTopic where dead letters go, for logs only
     */
    RetryStage(String sink, Backoff backoff, DoubleSupplier random, DeliveryCounter deliveries, String deadLetterTopic) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.random = Objects.requireNonNull(random, "random");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    }

    /**
     * What follows attempt number {@code attempt} (from 1) at {@code page}, which failed with {@code failure},
     * known at {@code failedAt}. A retry is counted {@link DeliveryCounter#RETRIED}; each decision is logged.
     */
    Next after(int attempt, List<Alert> page, DeliveryResult failure, Instant failedAt) {
        if (failure instanceof DeliveryResult.Retryable retry) {
            deliveries.add(sink, DeliveryCounter.RETRIED, 1);
            Duration wait = backoff.delay(attempt, retry.retryAfter(), random.getAsDouble());
            LOG.warn("Sink {}: attempt {} at {} alert(s) failed ({}); next in {} ms", sink, attempt, page.size(),
                    retry.reason(), wait.toMillis());
            return new Again(failedAt.plus(wait));
        }
        if (failure instanceof DeliveryResult.Permanent permanent) {
            if (page.size() > 1) {
                LOG.warn("Sink {} refused a page of {} alerts ({}); trying them one by one", sink, page.size(),
                        permanent.reason());
                return new OneByOne();
            }
            LOG.error("Sink {} refused alert {} for good: {}; sent to {}", sink, page.get(0).id(), permanent.reason(),
                    deadLetterTopic);
            return new GiveUp(permanent.reason());
        }
        throw new IllegalArgumentException("not a failure: " + failure);
    }
}
