package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.status.StatusLedger;

/**
 * The body of {@code GET /api/v1/status} (docs/api.md), what the status page shows: a pure function of a
 * {@link StatusLedger}, the silences and the time. Instants are UTC (ISO-8601); each channel carries its zone, and its
 * day strips are its own local days.
 */
final class StatusView {

    /** Day strips per channel, the last one today in the channel's zone. */
    static final int DAYS = 90;
    /** Availability windows, ending now: {@code 1d}, {@code 7d}, {@code 30d}, {@code 90d}. */
    static final Map<String, Duration> WINDOWS = windows();
    /** Incidents shown at most, newest first: the open ones and those that ended within the last {@link #DAYS} days. */
    static final int MAX_INCIDENTS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusView() {
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> m = new LinkedHashMap<>();
        for (int days : new int[] {1, 7, 30, DAYS}) {
            m.put(days + "d", Duration.ofDays(days));
        }
        return m;
    }

    /**
     * @param silences every silence the process knows (shown: those not yet ended at {@code now})
     * @param now      the monitor's clock: "today", the windows' end, an open incident's duration so far
     */
    static Map<String, Object> json(StatusLedger ledger, List<SilenceStore.Entry> silences, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", now.truncatedTo(ChronoUnit.MILLIS).toString()); // a JavaScript Date reads milliseconds
        Instant first = ledger.firstSlot();
        m.put("dataSince", first == null ? null : first.toString());
        Instant silent = ledger.ourSideSilentSince();
        m.put("ourSideSilentSince", silent == null ? null : silent.toString());
        List<Object> channels = new ArrayList<>();
        for (Channel c : ledger.channels()) {
            channels.add(channel(ledger, c, now));
        }
        m.put("channels", channels);
        m.put("incidents", incidents(ledger, now));
        List<Object> alerts = new ArrayList<>();
        List<Alert> recent = ledger.recentAlerts();
        for (int i = recent.size() - 1; i >= 0; i--) {
            try {
                alerts.add(JSON.readTree(AlertCodec.toJson(recent.get(i))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("AlertCodec wrote JSON that does not parse", e);
            }
        }
        m.put("alerts", alerts);
        List<Object> current = new ArrayList<>();
        for (SilenceStore.Entry e : silences) {
            if (e.silence().end() == null || e.silence().end().isAfter(now)) {
                Map<String, Object> s = SilenceRequest.json(e);
                s.put("activeNow", e.silence().activeAt(now));
                current.add(s);
            }
        }
        m.put("silences", current);
        return m;
    }

    private static Map<String, Object> channel(StatusLedger ledger, Channel c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("zone", c.zone().getId());
        m.put("state", ledger.state(c.id()).wireName());
        m.put("downSince", text(ledger.downSince(c.id())));
        m.put("lastAnswered", text(ledger.lastAnswered(c.id())));
        Map<String, Object> availability = new LinkedHashMap<>();
        WINDOWS.forEach((name, window) -> {
            StatusLedger.Availability a = ledger.availability(c.id(), now.minus(window), now);
            availability.put(name, a.ratio().isPresent() ? a.ratio().getAsDouble() : null);
        });
        m.put("availability", availability);
        List<Object> days = new ArrayList<>(DAYS);
        LocalDate today = now.atZone(c.zone()).toLocalDate();
        for (StatusLedger.Day d : ledger.days(c.id(), today, DAYS)) {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.date().toString());
            day.put("kind", d.kind().wireName());
            day.put("text", d.describe(c.zone()));
            days.add(day);
        }
        m.put("days", days);
        return m;
    }

    private static List<Object> incidents(StatusLedger ledger, Instant now) {
        Instant from = now.minus(Duration.ofDays(DAYS));
        List<StatusLedger.Incident> shown = new ArrayList<>();
        for (StatusLedger.Incident i : ledger.incidents()) {
            if (i.open() || !i.end().isBefore(from)) {
                shown.add(i);
            }
        }
        shown.sort(Comparator.comparing(StatusLedger.Incident::start).reversed());
        List<Object> out = new ArrayList<>();
        for (StatusLedger.Incident i : shown.subList(0, Math.min(MAX_INCIDENTS, shown.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", i.channel());
            m.put("start", i.start().toString());
            m.put("detected", text(i.detected()));
            m.put("end", text(i.end()));
            m.put("durationSeconds", i.duration(now).toSeconds());
            m.put("missedSlots", i.missedSlots());
            out.add(m);
        }
        return out;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
