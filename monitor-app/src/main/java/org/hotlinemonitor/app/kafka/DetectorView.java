package org.hotlinemonitor.app.kafka;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.model.EventKind;

/**
 * What this detector instance knows, for readers on other threads (metrics, the HTTP API): the state of each
 * channel its tasks own, each task's watermark, and counts of events and alerts.
 *
 * <p>The tasks publish at each commit, just after saving to their stores ({@link DetectorProcessor}), so a reader
 * sees the committed state, at most {@code commit.interval.ms} old: the same state a restart would resume from.
 * Alerts are counted as they are sent. A task that moves to another instance takes its channels with it: with
 * several instances, each one's view holds the channels of its own tasks.
 *
 * <p>Thread-safe: written by the stream threads, read from anywhere.
 */
public final class DetectorView {

    private static final EventKind[] KINDS = EventKind.values();
    private static final AlertType[] TYPES = AlertType.values();

    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();
    private final AtomicLongArray events = new AtomicLongArray(KINDS.length);
    private final LongAdder[] alerts = new LongAdder[TYPES.length];

    public DetectorView() {
        for (int i = 0; i < alerts.length; i++) {
            alerts[i] = new LongAdder();
        }
    }

    /** The committed state of a channel owned by this instance, if any. */
    public Optional<ChannelState> channel(String id) {
        return Optional.ofNullable(channels.get(id));
    }

    /** The committed states of the channels this instance owns, by id; a copy. */
    public Map<String, ChannelState> channels() {
        return Map.copyOf(channels);
    }

    /** Each owned partition's watermark (epoch ms): every deadline before it is decided. A copy. */
    public Map<Integer, Long> watermarks() {
        return Map.copyOf(watermarks);
    }

    /** Events accepted on arrival (not refused) by kind, since this instance started. */
    public Map<EventKind, Long> events() {
        Map<EventKind, Long> out = new EnumMap<>(EventKind.class);
        for (EventKind k : KINDS) {
            out.put(k, events.get(k.ordinal()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Alerts sent by type, since this instance started. */
    public Map<AlertType, Long> alerts() {
        Map<AlertType, Long> out = new EnumMap<>(AlertType.class);
        for (AlertType t : TYPES) {
            out.put(t, alerts[t.ordinal()].sum());
        }
        return Collections.unmodifiableMap(out);
    }

    void putChannel(String id, ChannelState state) {
        channels.put(id, state);
    }

    void removeChannels(Iterable<String> ids) {
        for (String id : ids) {
            channels.remove(id);
        }
    }

    void putWatermark(int partition, long watermark) {
        watermarks.put(partition, watermark);
    }

    void removeWatermark(int partition) {
        watermarks.remove(partition);
    }

    /** Adds a task's event counts (indexed by {@link EventKind#ordinal()}) and zeroes them. */
    void addEvents(long[] byKind) {
        for (int i = 0; i < byKind.length; i++) {
            if (byKind[i] != 0) {
                events.addAndGet(i, byKind[i]);
                byKind[i] = 0;
            }
        }
    }

    void alertSent(AlertType type) {
        alerts[type.ordinal()].increment();
    }

    @Override
    public String toString() {
        Map<String, Object> m = new HashMap<>();
        m.put("channels", channels.size());
        m.put("watermarks", watermarks);
        return "DetectorView" + m;
    }
}
