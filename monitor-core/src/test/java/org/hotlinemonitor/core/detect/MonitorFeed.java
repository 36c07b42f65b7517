package org.hotlinemonitor.core.detect;

import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * Feeds a {@link Monitor} events held as {@link CallEvent}s, for tests: the monitor itself takes events only in parts
 * (see its "one form per operation"), as replay and the live detector hand them over.
 */
public final class MonitorFeed {
    private MonitorFeed() {
    }

    /**
     * Validates {@code event} as the replay does on arrival (its channel is configured, a slot it names is valid, by
     * {@link Detector#validate(CallEvent)}) and applies it if valid ({@link Monitor#acceptValidated}). Returns the
     * rejection or what applying gave.
     */
    public static EventOutcome accept(Monitor monitor, CallEvent event) {
        EventOutcome invalid = validate(monitor.validator(), event);
        if (invalid != null) {
            return invalid;
        }
        int channel = event.kind() == EventKind.HEARTBEAT ? -1 : monitor.validator().indexOf(event.channel());
        return monitor.acceptValidated(channel, event.kind(), event.ts().toEpochMilli(),
                event.slot() == null ? Millis.NONE : event.slot().toEpochMilli(), monitor.sourceId(event.source()));
    }

    /** The rejection of {@code event} by its channel's {@link Detector#validate(CallEvent)}, or {@code null}. */
    public static EventOutcome validate(Monitor.Validator validator, CallEvent event) {
        if (event.kind() == EventKind.HEARTBEAT) {
            return null;
        }
        int channel = validator.indexOf(event.channel());
        return channel < 0 ? EventOutcome.UNKNOWN_CHANNEL : new Detector(validator.channelAt(channel)).validate(event);
    }
}
