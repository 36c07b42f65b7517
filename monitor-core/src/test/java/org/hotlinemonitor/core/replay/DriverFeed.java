package org.hotlinemonitor.core.replay;

import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * Feeds a {@link ReplayDriver} events held as {@link CallEvent}s, as replay's reading thread would hand them over: the
 * gate's checks first ({@code EventGate.check}: until, channel, slot, too early; no source signs here), then the event
 * in parts. For tests; the driver itself takes events in parts only.
 */
public final class DriverFeed {

    private DriverFeed() {
    }

    /** {@code null} when taken, {@link ReplayDriver#HELD} when held, else why it was refused. */
    public static Rejection offer(ReplayDriver driver, CallEvent event) {
        Rejection invalid = driver.gate().check(event);
        if (invalid != null) {
            return invalid;
        }
        int channel = event.kind() == EventKind.HEARTBEAT ? -1 : driver.gate().indexOf(event.channel());
        return driver.offerChecked(channel, event.kind(), event.ts().toEpochMilli(),
                event.slot() == null ? Millis.NONE : event.slot().toEpochMilli(), event.source());
    }
}
