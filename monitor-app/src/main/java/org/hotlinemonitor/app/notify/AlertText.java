package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.hotlinemonitor.core.alert.Alert;

/**
 * Sentences for people about alerts: the summaries of pages and chat messages. Instants are shown in UTC, as in
 * the alerts themselves.
 *
 * <p>Thread-safety: stateless.
 */
public final class AlertText {

    private AlertText() {
    }

    /** One line about one alert, e.g. {@code liaison-office is DOWN: 2 missed slots since 2023-04-07T08:00:00Z}. */
    public static String summary(Alert a) {
        return switch (a.type()) {
            case CHANNEL_DOWN -> a.channel() + " is DOWN: " + a.missedSlots() + " missed slot(s) since " + a.since();
            case CHANNEL_RESTORED -> a.channel() + " is RESTORED at " + a.at() + " after " + human(a.duration())
                    + " down (" + a.missedSlots() + " missed slot(s))";
            case SLOT_MISSED -> a.channel() + " missed its " + a.slot() + " check" + (a.cause() == null ? ""
                    : " (" + a.cause().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
            case CALL_NOT_PLACED -> a.channel() + ": our side never placed the " + a.slot() + " call";
            case OUR_SIDE_SILENT -> "our side is SILENT: no heartbeat since " + a.since()
                    + "; channels are unknown and unplaced calls are not paged one by one";
            case OUR_SIDE_RESUMED -> "our side is heard again at " + a.at() + " after " + human(a.duration())
                    + " of silence (since the heartbeat of " + a.since() + ")";
        };
    }

    /** One line about a group (one alert: its summary), e.g. {@code 3 channels are DOWN at ...: a, b, c}. */
    static String summary(List<Alert> alerts) {
        if (alerts.size() == 1) {
            return summary(alerts.get(0));
        }
        Alert first = alerts.get(0);
        String channels = String.join(", ", alerts.stream().map(Alert::channel).toList());
        String what = switch (first.type()) {
            case CHANNEL_DOWN -> "channels are DOWN";
            case CHANNEL_RESTORED -> "channels are RESTORED";
            case SLOT_MISSED -> "channels missed their check";
            case CALL_NOT_PLACED -> "calls were never placed by our side";
            case OUR_SIDE_SILENT -> "silences of our side began"; // one per episode; only a replayed topic has more
            case OUR_SIDE_RESUMED -> "silences of our side ended";
        };
        return alerts.size() + " " + what + " at " + first.at() + ": " + channels;
    }

    /** A duration as {@code 88h 2m 10s}. */
    public static String human(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append("h ");
        }
        if (s >= 60) {
            out.append(s % 3600 / 60).append("m ");
        }
        return out.append(s % 60).append('s').toString();
    }
}
