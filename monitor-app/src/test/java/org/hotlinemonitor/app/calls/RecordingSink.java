package org.hotlinemonitor.app.calls;

import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/** An {@link EventPublisher} that keeps what it is given. */
public final class RecordingSink implements EventPublisher {

    public final List<CallEvent> events = new ArrayList<>();
    public final List<CallEvent> heartbeats = new ArrayList<>();

    @Override
    public synchronized void publish(CallEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void publishHeartbeat(CallEvent heartbeat) {
        heartbeats.add(heartbeat);
    }

    public synchronized List<CallEvent> ofKind(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    public synchronized List<String> ids() {
        return events.stream().map(CallEvent::id).toList();
    }

    public synchronized List<String> json() {
        return events.stream().map(EventWriter::toJson).toList();
    }
}
