package org.hotlinemonitor.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;

/**
 * Prometheus Alertmanager, API v2: {@code POST <url>/api/v2/alerts} with a JSON array of alerts. Alertmanager
 * identifies an alert by its labels, and groups, deduplicates, silences and routes them itself.
 *
 * <ul>
 *   <li>{@code CHANNEL_DOWN} fires {@code HotlineChannelDown}; the {@code CHANNEL_RESTORED} of the same outage
 *       posts the same labels with {@code endsAt} set to the answer's instant, which resolves it. While the outage
 *       lasts the alert carries {@code endsAt = startsAt + }{@link #DOWN_ACTIVE_FOR}: the monitor posts it once,
 *       not every evaluation as Prometheus does, so without it Alertmanager would resolve it by itself after its
 *       {@code resolve_timeout}.</li>
 *   <li>{@code OUR_SIDE_SILENT} fires {@code HotlineOurSideSilent} (channel {@code our-side}, severity {@code error})
 *       likewise, and the {@code OUR_SIDE_RESUMED} of the same silence resolves it; {@code startsAt} is the last heartbeat
 *       heard before the silence.</li>
 *   <li>{@code SLOT_MISSED} ({@code HotlineSlotMissed}) and {@code CALL_NOT_PLACED} ({@code HotlineCallNotPlaced})
 *       are events, nothing resolves them: they fire with {@code endsAt = at + }{@link #EVENT_ACTIVE_FOR}.</li>
 *   <li>Labels: {@code alertname}, {@code channel}, {@code severity} (the firing alert's: a restore keeps
 *       {@code critical}), {@code type} (the firing alert's type), {@code monitor="hotline-monitor"}. Slots and
 *       instants go in annotations, not labels, so that each outage is one alert.</li>
 *   <li>{@code startsAt}: the outage's first missed slot for an outage, the last heartbeat for a silence, else the
 *       alert's instant.</li>
 * </ul>
 *
 * <p>A group is simply several alerts in one array: one request.
 */
public final class AlertmanagerFormat implements PageFormat {

    /** How long a CHANNEL_DOWN stays firing in Alertmanager if no CHANNEL_RESTORED ever comes. */
    public static final Duration DOWN_ACTIVE_FOR = Duration.ofDays(365);
    /** How long a SLOT_MISSED or CALL_NOT_PLACED stays firing in Alertmanager. */
    public static final Duration EVENT_ACTIVE_FOR = Duration.ofHours(1);

    private final URI endpoint;

    /** @param baseUrl Alertmanager's, like {@code http://127.0.0.1:9093} */
    public AlertmanagerFormat(URI baseUrl) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/alerts");
    }

    @Override
    public Page build(List<Alert> alerts, String key) {
        ArrayNode array = JSON.createArrayNode();
        for (Alert alert : alerts) {
            array.add(alert(alert));
        }
        return new Page(endpoint, PageFormat.json(array), Map.of());
    }

    private static ObjectNode alert(Alert a) {
        boolean outage = a.type() == AlertType.CHANNEL_DOWN || a.type() == AlertType.CHANNEL_RESTORED;
        boolean silence = a.type().aboutOurSide();
        AlertType firing = a.type().resolves() != null ? a.type().resolves() : a.type();
        ObjectNode node = JSON.createObjectNode();
        ObjectNode labels = node.putObject("labels");
        labels.put("alertname", alertname(firing));
        labels.put("channel", a.channel());
        labels.put("severity", firing.severity().wireName());
        labels.put("type", firing.name());
        labels.put("monitor", "hotline-monitor");
        ObjectNode annotations = node.putObject("annotations");
        annotations.put("summary", AlertText.summary(a));
        annotations.put("description", description(a));
        // The firing and the resolving post of an outage or a silence carry the same start: what both alerts know.
        Instant starts = outage || silence ? a.since() : a.at();
        Instant ends = switch (a.type()) {
            case CHANNEL_DOWN, OUR_SIDE_SILENT -> a.at().plus(DOWN_ACTIVE_FOR);
            case CHANNEL_RESTORED, OUR_SIDE_RESUMED -> a.at();
            case SLOT_MISSED, CALL_NOT_PLACED -> a.at().plus(EVENT_ACTIVE_FOR);
        };
        node.put("startsAt", starts.toString());
        node.put("endsAt", ends.toString());
        return node;
    }

    static String alertname(AlertType type) {
        return switch (type) {
            case CHANNEL_DOWN, CHANNEL_RESTORED -> "HotlineChannelDown";
            case SLOT_MISSED -> "HotlineSlotMissed";
            case CALL_NOT_PLACED -> "HotlineCallNotPlaced";
            case OUR_SIDE_SILENT, OUR_SIDE_RESUMED -> "HotlineOurSideSilent";
        };
    }

    private static String description(Alert a) {
        return switch (a.type()) {
            case CHANNEL_DOWN -> "The far side of " + a.channel() + " has not answered " + a.missedSlots()
                    + " consecutive routine calls, the first at " + a.since() + "; down since " + a.at() + ".";
            case CHANNEL_RESTORED -> "The far side of " + a.channel() + " answered at " + a.at() + ", ending the outage"
                    + " that began with the missed call at " + a.since() + ".";
            case SLOT_MISSED -> "The routine call of " + a.slot() + " was placed but not answered by " + a.at() + ".";
            case CALL_NOT_PLACED -> "Our side did not place the routine call of " + a.slot()
                    + ": check our switchboard and operators, not the far side.";
            case OUR_SIDE_SILENT -> "No heartbeat from our side's schedulers since " + a.since() + " (silent at " + a.at()
                    + "): our schedulers or their path to the monitor are down. Every channel is unknown until they are"
                    + " heard again; the calls they fail to place are not paged one by one.";
            case OUR_SIDE_RESUMED -> "Our side's schedulers are heard again at " + a.at() + ", after silence since the"
                    + " heartbeat of " + a.since() + ".";
        };
    }
}
