package org.hotlinemonitor.core.notify;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hotlinemonitor.core.alert.Alert;

/**
 * Plans the deliveries of a batch of alerts to one sink: which alerts go out together as one page, and in which
 * order. A pure function of the batch.
 *
 * <p>Alerts of one type stamped with the same instant ({@link Alert#at()}, the deadline of the slot that was
 * decided) come from the same evaluation: when one line drops, so do its neighbours, and their deadlines are the
 * same. Those in one batch form one group, delivered as one page, so that ten lines going down at once make one
 * page, not ten.
 *
 * <p>Order per channel is kept: a channel's alerts are delivered in batch order, never one before an earlier one
 * of the same channel. The plan repeatedly takes the earliest alert not yet planned (which is necessarily the
 * oldest of its channel) and puts with it every other alert of the same type and instant that is likewise the
 * oldest unplanned alert of its own channel. An alert that is not yet at the head of its channel then, rare by
 * construction, goes in a later page.
 *
 * <p>Thread-safety: stateless.
 */
public final class AlertGroups {

    private AlertGroups() {
    }

    /**
     * The deliveries of {@code batch}, in the order they are to be made.
     *
     * @param batch     items in the order they were read; each channel's in its log order
     * @param alertOf   the alert of an item
     * @param grouping  false: one delivery per item, in batch order
     * @param groupable which alerts may share a page with others (a sink may need some alone)
     * @param <T>       an alert with whatever the caller keeps with it (its offset)
     * @return every item exactly once, as a list of non-empty groups
     */
    public static <T> List<List<T>> plan(List<T> batch, Function<T, Alert> alertOf, boolean grouping,
                                         Predicate<Alert> groupable) {
        Objects.requireNonNull(alertOf, "alertOf");
        Objects.requireNonNull(groupable, "groupable");
        List<List<T>> plan = new ArrayList<>();
        if (!grouping) {
            batch.forEach(item -> plan.add(List.of(item)));
            return plan;
        }
        Map<String, Deque<Integer>> byChannel = new LinkedHashMap<>(); // positions of each channel's unplanned items
        for (int i = 0; i < batch.size(); i++) {
            byChannel.computeIfAbsent(alertOf.apply(batch.get(i)).channel(), c -> new ArrayDeque<>()).add(i);
        }
        boolean[] planned = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (planned[i]) {
                continue;
            }
            Alert first = alertOf.apply(batch.get(i));
            List<T> group = new ArrayList<>();
            take(i, batch, alertOf, byChannel, planned, group);
            if (groupable.test(first)) {
                for (Deque<Integer> positions : byChannel.values()) {
                    Integer head = positions.peekFirst();
                    if (head != null && sameEvaluation(first, alertOf.apply(batch.get(head)))
                            && groupable.test(alertOf.apply(batch.get(head)))) {
                        take(head, batch, alertOf, byChannel, planned, group);
                    }
                }
            }
            plan.add(List.copyOf(group));
        }
        return plan;
    }

    private static <T> void take(int position, List<T> batch, Function<T, Alert> alertOf,
                                 Map<String, Deque<Integer>> byChannel, boolean[] planned, List<T> group) {
        Deque<Integer> positions = byChannel.get(alertOf.apply(batch.get(position)).channel());
        if (positions.peekFirst() != position) {
            throw new IllegalStateException("planned out of channel order"); // cannot happen: see the class comment
        }
        positions.removeFirst();
        planned[position] = true;
        group.add(batch.get(position));
    }

    private static boolean sameEvaluation(Alert a, Alert b) {
        Instant at = a.at();
        return a.type() == b.type() && at.equals(b.at());
    }
}
