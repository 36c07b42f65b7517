package org.hotlinemonitor.app.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.alert.Alert;

/**
 * A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): {@code POST <url>} with
 * {@code {"text": "..."}}, one readable message per page: a line for one alert, or a headline and a bullet per
 * channel for a group.
 */
public final class SlackFormat implements PageFormat {

    private final URI url;

    public SlackFormat(URI url) {
        this.url = url;
    }

    @Override
    public Page build(List<Alert> alerts, String key) {
        ObjectNode message = PageFormat.JSON.createObjectNode();
        message.put("text", text(alerts));
        return new Page(url, PageFormat.json(message), Map.of());
    }

    static String text(List<Alert> alerts) {
        Alert first = alerts.get(0);
        String icon = switch (first.type()) {
            case CHANNEL_DOWN -> ":red_circle:";
            case CHANNEL_RESTORED -> ":large_green_circle:";
            case SLOT_MISSED -> ":warning:";
            case CALL_NOT_PLACED -> ":telephone_receiver:";
            case OUR_SIDE_SILENT -> ":mute:";
            case OUR_SIDE_RESUMED -> ":loud_sound:";
        };
        if (alerts.size() == 1) {
            return icon + " " + AlertText.summary(first);
        }
        StringBuilder text = new StringBuilder(icon).append(' ').append(AlertText.summary(alerts));
        for (Alert alert : alerts) {
            text.append("\n• ").append(AlertText.summary(alert));
        }
        return text.toString();
    }
}
