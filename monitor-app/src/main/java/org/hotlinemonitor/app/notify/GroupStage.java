package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.notify.AlertGroups;

/**
 * The group stage of a sink's {@link NotifyPipeline}: how long a batch stays open after its first record (the
 * grouping window, {@code groupWait}, when grouping is on; none otherwise), and the pages made of the alerts of a
 * closed batch ({@link AlertGroups#plan}: one page per type and instant when grouping is on, a channel's alerts in
 * log order).
 *
 * <p>Thread-safety: immutable (the sink's {@code groupable} is).
 */
final class GroupStage {

    private final boolean grouping;
    private final Duration window;
    private final Predicate<Alert> groupable;

    /**
     * @param groupWait how long a batch gathers records after its first, when {@code grouping}; not negative
     * @param groupable which alerts the sink takes with others on one page
     */
    GroupStage(boolean grouping, Duration groupWait, Predicate<Alert> groupable) {
        this.grouping = grouping;
        this.window = grouping ? Objects.requireNonNull(groupWait, "groupWait") : Duration.ZERO;
        this.groupable = Objects.requireNonNull(groupable, "groupable");
    }

    /** When a batch whose first record came at {@code opened} closes: records offered before then join it. */
    Instant closesAt(Instant opened) {
        return opened.plus(window);
    }

    /** The pages of a closed batch's deliverable items, in the order they are to be delivered. */
    <T> List<List<T>> pages(List<T> items, Function<T, Alert> alertOf) {
        return AlertGroups.plan(items, alertOf, grouping, groupable);
    }
}
