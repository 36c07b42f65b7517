package org.hotlinemonitor.core.detect;

import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * The result of one detector step: the new state, the alerts that became true, the slots decided,
 * and what happened to the event (for time advances, {@link EventOutcome#TIME_ONLY}).
 */
public record Step(ChannelState state, List<Alert> alerts, List<SlotVerdict> verdicts, EventOutcome outcome) {

    public Step {
        alerts = List.copyOf(alerts);
        verdicts = List.copyOf(verdicts);
    }

    static Step unchanged(ChannelState state, EventOutcome outcome) {
        return new Step(state, List.of(), List.of(), outcome);
    }
}
