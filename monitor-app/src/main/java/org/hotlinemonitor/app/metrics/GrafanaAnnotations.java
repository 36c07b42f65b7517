package org.hotlinemonitor.app.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.hotlinemonitor.app.notify.AlertText;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.JsonStrings;
import org.hotlinemonitor.core.model.Millis;

/**
 * Alerts as Grafana annotations, one JSON object each, the body of Grafana's {@code POST /api/annotations}:
 * {@code time} (epoch milliseconds), {@code timeEnd} for a region, {@code tags} and {@code text}.
 *
 * <ul>
 *   <li>An outage is one region: from its {@code CHANNEL_DOWN}'s time to its {@code CHANNEL_RESTORED}'s, written when
 *       the restoration comes; likewise a silence of our side, {@code OUR_SIDE_SILENT} to {@code OUR_SIDE_RESUMED}.
 *       A resolution whose beginning was not seen (the input starts mid-outage) is a region from the outage's
 *       {@code since}. A beginning never resolved is written at {@link #finish} as a point ({@code ongoing} in its
 *       text and tags).</li>
 *   <li>Every other alert ({@code SLOT_MISSED}, {@code CALL_NOT_PLACED}) is a point at its time.</li>
 *   <li>Tags: {@code hotline}, the alert type ({@code CHANNEL_DOWN} for an outage), the channel id (or
 *       {@code our-side}) and the severity; a dashboard's annotation query selects them by tag.</li>
 * </ul>
 *
 * The output is a function of the alerts alone: the same alerts, live or replayed, give the same annotations. Not
 * thread-safe.
 */
public final class GrafanaAnnotations {

    /** The tag every annotation of the monitor carries. */
    public static final String TAG = "hotline";

    private final Consumer<String> out;
    /** Beginnings not yet resolved, by type, channel and since (the episode's identity). */
    private final Map<String, Alert> open = new LinkedHashMap<>();
    private long written;

    /** @param out takes each annotation as one line of JSON, without a line terminator */
    public GrafanaAnnotations(Consumer<String> out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Takes the next alert, in the order the monitor raised them. */
    public void accept(Alert alert) {
        AlertType type = alert.type();
        if (type == AlertType.CHANNEL_DOWN || type == AlertType.OUR_SIDE_SILENT) {
            open.put(key(type, alert), alert);
        } else if (type.resolves() != null) {
            Alert begin = open.remove(key(type.resolves(), alert));
            long from = begin != null ? begin.at().toEpochMilli()
                    : alert.since() != null ? alert.since().toEpochMilli() : alert.at().toEpochMilli();
            String text = (begin != null ? AlertText.summary(begin) + "; " : "") + AlertText.summary(alert);
            write(from, alert.at().toEpochMilli(), List.of(TAG, type.resolves().name(), alert.channel(),
                    type.resolves().severity().wireName()), text);
        } else {
            write(alert.at().toEpochMilli(), Millis.NONE, tags(alert), AlertText.summary(alert));
        }
    }

    /** Writes the beginnings never resolved, as points; call at the end of the input. */
    public void finish() {
        for (Alert a : open.values()) {
            List<String> tags = new ArrayList<>(tags(a));
            tags.add("ongoing");
            write(a.at().toEpochMilli(), Millis.NONE, tags, AlertText.summary(a) + " (ongoing at the end of the input)");
        }
        open.clear();
    }

    /** Annotations written so far. */
    public long written() {
        return written;
    }

    private static String key(AlertType type, Alert a) {
        return type + "/" + a.channel() + "/" + a.since();
    }

    private static List<String> tags(Alert a) {
        return List.of(TAG, a.type().name(), a.channel(), a.severity().wireName().toLowerCase(Locale.ROOT));
    }

    private void write(long time, long timeEnd, List<String> tags, String text) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":").append(time);
        if (timeEnd != Millis.NONE) {
            b.append(",\"timeEnd\":").append(timeEnd);
        }
        b.append(",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            JsonStrings.appendQuoted(b, tags.get(i));
        }
        b.append("],\"text\":");
        JsonStrings.appendQuoted(b, text);
        b.append('}');
        out.accept(b.toString());
        written++;
    }
}
