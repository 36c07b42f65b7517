package org.hotlinemonitor.app.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;

/** A channel as {@code GET /api/v1/channels} shows it: its configuration and, when this instance owns it, its committed state. Pure. */
final class ChannelViews {

    /** What {@code owner} says of a channel this instance has no state for. */
    static final String NOT_OWNED = "other instance or not started";
    static final String OWNED = "this instance";

    private ChannelViews() {
    }

    /**
     * @param state       the detector's committed state, or {@code null} when this instance does not own the channel
     *                    (another instance's task does, or the detector has not started or restored it yet)
     * @param silentSince when our own side went silent for the task that owns the channel (epoch ms), or
     *                    {@link Millis#NONE}: while silent the channel's {@code state} is {@code unknown}
     */
    static Map<String, Object> json(Channel channel, ChannelState state, long silentSince) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", channel.id());
        m.put("name", channel.name());
        m.put("zone", channel.zone().getId());
        m.put("schedule", channel.schedule().toString());
        m.put("answerWithin", channel.answerWithin().toString());
        m.put("downAfter", channel.downAfter());
        if (state == null) {
            m.put("state", "unknown");
            m.put("owner", NOT_OWNED);
            return m;
        }
        m.put("state", DetectorView.shown(state, silentSince).name().toLowerCase(Locale.ROOT));
        m.put("detectorState", state.status().name().toLowerCase(Locale.ROOT));
        m.put("ourSideSilentSince", instant(silentSince));
        m.put("owner", OWNED);
        m.put("lastAnswer", instant(state.lastAnswer()));
        m.put("streak", state.streak());
        if (state.streak() > 0) {
            Map<String, Object> outage = new LinkedHashMap<>();
            outage.put("since", instant(state.streakSince()));
            outage.put("missedSlots", state.streak());
            outage.put("down", state.down());
            m.put("outage", outage);
        } else {
            m.put("outage", null);
        }
        m.put("nextSlot", instant(state.cursor()));
        m.put("nextDeadline", instant(new Detector(channel).nextDeadline(state)));
        m.put("decidedUntil", instant(state.watermark()));
        return m;
    }

    private static String instant(long epochMillis) {
        return epochMillis == Millis.NONE ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
