package org.hotlinemonitor.core.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.hotlinemonitor.core.alert.Alert;

/**
 * Makes the order of alerts a function of the alerts alone. The monitor hands alerts on in
 * non-decreasing time; among alerts of the same instant, their order can follow the arrival order of
 * equal-time events. (An alert from an event applied behind the monitor's time, which is earlier than alerts
 * already held, is passed on at once.) This holds back each instant's alerts and passes them on sorted by channel id,
 * keeping each channel's own order (which is causal: SLOT_MISSED before CHANNEL_DOWN).
 */
public final class AlertOrder implements Consumer<Alert> {

    private static final Comparator<Alert> BY_CHANNEL = Comparator.comparing(Alert::channel);

    private final Consumer<Alert> downstream;
    private final List<Alert> held = new ArrayList<>();

    public AlertOrder(Consumer<Alert> downstream) {
        this.downstream = downstream;
    }

    @Override
    public void accept(Alert alert) {
        if (!held.isEmpty() && !held.get(0).at().equals(alert.at())) {
            if (alert.at().isBefore(held.get(0).at())) {
                // From an event applied behind the monitor's time (Monitor#acceptValidated): its channel saw nothing since,
                // so its alert is true at its own instant; it leaves at once, ahead of the alerts held for a later one.
                downstream.accept(alert);
                return;
            }
            flush();
        }
        held.add(alert);
    }

    /** Passes on what is held; call at the end of the input. */
    public void flush() {
        held.sort(BY_CHANNEL); // stable: a channel's own alerts keep their order
        held.forEach(downstream);
        held.clear();
    }
}
