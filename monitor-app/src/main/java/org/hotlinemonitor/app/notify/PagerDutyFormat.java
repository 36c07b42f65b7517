package org.hotlinemonitor.app.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.Severity;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Secret;

/**
 * PagerDuty Events API v2: {@code POST <url>/v2/enqueue}, one event per request.
 *
 * <ul>
 *   <li>{@code CHANNEL_DOWN} triggers, and the {@code CHANNEL_RESTORED} of the same outage resolves, the incident
 *       keyed {@code dedup_key = hotline/<channel>/outage/<since>}: PagerDuty resolves exactly the incident the
 *       trigger opened, and a trigger delivered twice opens one incident.</li>
 *   <li>{@code OUR_SIDE_SILENT} ({@code error}) triggers, and its {@code OUR_SIDE_RESUMED} resolves, the incident
 *       keyed {@code hotline/our-side/silence/<last heartbeat>}.</li>
 *   <li>{@code SLOT_MISSED} ({@code warning}) and {@code CALL_NOT_PLACED} ({@code error}) trigger, keyed by their
 *       alert id; nothing resolves them.</li>
 *   <li>Grouping: an outage must stay one incident per channel, or the channel's restore could not resolve it,
 *       so DOWN and RESTORED go alone ({@link #groupable}); several SLOT_MISSED (or CALL_NOT_PLACED) of one
 *       evaluation go as one trigger keyed by the group, with every alert in {@code custom_details.alerts}.
 *       Storms of DOWN are for the PagerDuty service's own alert grouping to fold.</li>
 * </ul>
 */
public final class PagerDutyFormat implements PageFormat {

    private final URI endpoint;
    private final Secret routingKey;

    /** @param baseUrl {@code https://events.pagerduty.com} */
    public PagerDutyFormat(URI baseUrl, Secret routingKey) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v2/enqueue");
        this.routingKey = routingKey;
    }

    @Override
    public boolean groupable(Alert alert) {
        return alert.type() == AlertType.SLOT_MISSED || alert.type() == AlertType.CALL_NOT_PLACED;
    }

    @Override
    public Page build(List<Alert> alerts, String key) {
        Alert first = alerts.get(0);
        ObjectNode event = PageFormat.JSON.createObjectNode();
        event.put("routing_key", routingKey.value());
        if (first.type().resolves() != null) { // CHANNEL_RESTORED, OUR_SIDE_RESUMED: the key is their page's
            event.put("event_action", "resolve");
            event.put("dedup_key", key);
            return new Page(endpoint, PageFormat.json(event), Map.of());
        }
        event.put("event_action", "trigger");
        event.put("dedup_key", key);
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", truncate(AlertText.summary(alerts), 1024));
        payload.put("source", alerts.size() == 1 ? "hotline-monitor/" + first.channel() : "hotline-monitor");
        payload.put("severity", severity(first.severity()));
        payload.put("timestamp", first.at().toString());
        if (alerts.size() == 1) {
            payload.put("component", first.channel());
        }
        payload.put("group", "hotline-monitor");
        payload.put("class", first.type().name());
        ObjectNode details = payload.putObject("custom_details");
        ArrayNode list = details.putArray("alerts");
        for (Alert alert : alerts) {
            list.add(tree(alert));
        }
        return new Page(endpoint, PageFormat.json(event), Map.of());
    }

    /** PagerDuty's severities: critical, error, warning, info. */
    static String severity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "critical";
            case ERROR -> "error";
            case WARNING -> "warning";
            case RESOLVE -> "info";
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(Alert alert) {
        try {
            return PageFormat.JSON.readTree(AlertCodec.toJson(alert));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the canonical alert JSON is JSON", e);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
