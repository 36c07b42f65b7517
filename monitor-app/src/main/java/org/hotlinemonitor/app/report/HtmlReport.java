package org.hotlinemonitor.app.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.status.StatusLedger;
import org.hotlinemonitor.core.status.StatusLedger.Availability;
import org.hotlinemonitor.core.status.StatusLedger.Day;
import org.hotlinemonitor.core.status.StatusLedger.Incident;
import org.hotlinemonitor.core.status.StatusLedger.Slot;

/**
 * The visual replay report: one self-contained HTML file (inline CSS, SVG and a small script; no request of any
 * kind, so it works offline and from a mail attachment). Per channel, an SVG timeline of its local days over the
 * whole replayed period (a row per year, a rectangle per day whose hover text names the day's slots, outages as
 * bars with their duration; picking a month zooms every channel to it), its availability per month and per year,
 * its outages and its missed and not-placed slots; then the refused lines by reason with the first examples, and
 * the run's settings.
 *
 * <p>Everything taken from the input (channel names, refused lines) is HTML-escaped: a refused line is hostile
 * text. Written straight to the {@link Writer} as it goes, a channel at a time (a day is a few dozen bytes; 20
 * channels over 5 years are about 2 MB); the caller closes the writer.
 */
public final class HtmlReport {

    /** Width of a day in a year row, in SVG units (a year is 366 days wide). */
    static final int DAY = 3;
    /** Between two days' rectangles. */
    static final double GAP = 0.4;
    /** Left of a year row: the year's label. */
    static final int GUTTER = 44;
    static final int HEADER = 14;
    static final int ROW = 28;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter LOCAL_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final ReplayReport report;
    private final StatusLedger ledger;
    private final MonthlyAvailability monthly;
    private final RejectExamples rejects;
    private final Map<String, String> settings;
    private final Writer out;

    /**
     * @param report   the closed report of the replay
     * @param ledger   fed during the replay ({@link LedgerListener})
     * @param monthly  fed during the replay
     * @param rejects  the first refused records of each reason
     * @param settings the run's settings as people read them (option or file, value), in the order shown
     */
    private HtmlReport(ReplayReport report, StatusLedger ledger, MonthlyAvailability monthly, RejectExamples rejects,
                       Map<String, String> settings, Writer out) {
        this.report = Objects.requireNonNull(report, "report");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.monthly = Objects.requireNonNull(monthly, "monthly");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        this.settings = new java.util.LinkedHashMap<>(settings);
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Writes the report of a finished replay to {@code out} (not closed).
     *
     * @param settings the run's settings (name, value), in the order shown
     */
    public static void write(ReplayReport report, StatusLedger ledger, MonthlyAvailability monthly,
                             RejectExamples rejects, Map<String, String> settings, Writer out) throws IOException {
        new HtmlReport(report, ledger, monthly, rejects, settings, out).write();
    }

    /** The period the timelines cover: the first decided slot (else the first event) to the replay's end; null when none. */
    static Instant[] period(ReplayReport report, StatusLedger ledger) {
        Instant from = ledger.firstSlot() != null ? ledger.firstSlot() : report.firstEvent();
        Instant to = report.end() != null ? report.end() : ledger.lastSlot();
        if (from == null || to == null) {
            return null;
        }
        return new Instant[] {from, to.isBefore(from) ? from : to};
    }

    private void write() throws IOException {
        Map<String, Object> tree = report.toTree();
        Map<String, Object> input = map(tree.get("input"));
        Instant[] period = period(report, ledger);
        String title = period == null ? "Replay report" : "Replay report, " + date(period[0]) + " to " + date(period[1]);
        w("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // An icon of its own: without one a browser asks the page's server for /favicon.ico.
        w("<link rel=\"icon\" href=\"data:,\">\n<title>").text(title).w("</title>\n<style>\n").w(resource("report.css"))
                .w("</style>\n</head>\n<body>\n");
        w("<header>\n<h1>").text(title).w("</h1>\n");
        writeWarnings(input);
        writeFacts(tree, input, period);
        w("</header>\n");
        writeControls(period);
        writeSummary(tree);
        List<Incident> incidents = ledger.incidents();
        Map<String, Object> stats = new java.util.HashMap<>();
        for (Object c : list(tree.get("channels"))) {
            stats.put(String.valueOf(map(c).get("id")), c);
        }
        Map<String, List<Incident>> incidentsOf = new java.util.HashMap<>(); // by channel, in order: one pass, not one per channel
        for (Incident x : incidents) {
            incidentsOf.computeIfAbsent(x.channel(), k -> new java.util.ArrayList<>()).add(x);
        }
        List<Channel> channels = period == null ? List.of() : ledger.channels();
        for (int i = 0; i < channels.size(); i++) {
            // One channel's days at a time: only the ledger's slots stay in memory for the whole page.
            ChannelTimeline t = ChannelTimeline.of(ledger, channels.get(i), period[0], period[1]);
            writeChannel(i, t, map(stats.get(t.channel().id())), incidentsOf.getOrDefault(t.channel().id(), List.of()));
        }
        writeRejects(input);
        writeOurSide(tree);
        writeSettings(input);
        w("<script>\n").w(resource("report.js")).w("</script>\n</body>\n</html>\n");
    }

    private void writeWarnings(Map<String, Object> input) throws IOException {
        for (Object d : list(input.get("damaged"))) {
            Map<String, Object> m = map(d);
            w("<p class=\"warn\"><strong>Input damaged</strong>: ").text(m.get("input")).w(" at byte ").text(m.get("offset"))
                    .w(" (").text(m.get("problem")).w("): only the ").text(m.get("lines"))
                    .w(" line(s) before it are replayed.</p>\n");
        }
        long refused = ((Number) input.get("rejected")).longValue();
        if (refused > 0) {
            w("<p class=\"warn\"><strong>").text(refused).w(" input record(s) refused</strong>, left out of the alerts "
                    + "and of this report; <a href=\"#rejects\">by reason</a>.</p>\n");
        }
    }

    private void writeFacts(Map<String, Object> tree, Map<String, Object> input, Instant[] period) throws IOException {
        w("<p class=\"facts\">");
        if (period == null) {
            w("No slot was decided: nothing to draw.");
        } else {
            w("From ").text(utc(period[0])).w(" to ").text(utc(period[1]))
                    .w(" (slots with a later deadline are pending). ");
        }
        w(String.valueOf(input.get("events"))).w(" events from ").text(input.get("lines")).w(" lines; ")
                .text(input.get("rejected")).w(" refused. Alerts: ");
        Map<String, Object> alerts = map(tree.get("alerts"));
        if (alerts.isEmpty()) {
            w("none");
        }
        int n = 0;
        for (Map.Entry<String, Object> e : alerts.entrySet()) {
            w(n++ == 0 ? "" : ", ").text(e.getKey()).w(" ").text(e.getValue());
        }
        w(".</p>\n");
    }

    /** The month list (the months of the period in any channel's zone) and the legend. */
    private void writeControls(Instant[] period) throws IOException {
        TreeSet<YearMonth> months = new TreeSet<>();
        for (Channel c : period == null ? List.<Channel>of() : ledger.channels()) {
            YearMonth m = YearMonth.from(period[0].atZone(c.zone()));
            YearMonth last = YearMonth.from(period[1].atZone(c.zone()));
            for (; !m.isAfter(last); m = m.plusMonths(1)) {
                months.add(m);
            }
        }
        w("<nav class=\"controls\">\n<label>Zoom to a month <select id=\"zoom\">\n<option value=\"\">whole period</option>\n");
        Integer year = null;
        for (YearMonth m : months) {
            if (year == null || year != m.getYear()) {
                w(year == null ? "" : "</optgroup>\n").w("<optgroup label=\"").w(String.valueOf(m.getYear())).w("\">\n");
                year = m.getYear();
            }
            w("<option value=\"").w(m.toString()).w("\">").w(m.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                    .w(" ").w(String.valueOf(m.getYear())).w("</option>\n");
        }
        w(year == null ? "" : "</optgroup>\n").w("</select></label>\n");
        w("<span class=\"legend\">");
        for (StatusLedger.DayKind k : StatusLedger.DayKind.values()) {
            w("<span class=\"key ").w(k.wireName()).w("\"></span>").w(k.wireName()).w(" ");
        }
        w("<span class=\"key outage\"></span>outage</span>\n");
        w("<p class=\"hint\">A rectangle is a local day of the channel; hover for its slots, click to zoom to its month. "
                + "Days and months are in each channel's own time zone.</p>\n</nav>\n");
    }

    private void writeSummary(Map<String, Object> tree) throws IOException {
        w("<section id=\"summary\">\n<h2>Channels</h2>\n<table class=\"summary\">\n<thead><tr><th>channel</th>"
                + "<th>time zone</th><th>status at the end</th><th>availability</th><th>slots due</th><th>answered</th>"
                + "<th>missed</th><th>not placed</th><th>outages</th><th>last answer (UTC)</th></tr></thead>\n<tbody>\n");
        List<Object> channels = list(tree.get("channels"));
        for (int i = 0; i < channels.size(); i++) {
            Map<String, Object> c = map(channels.get(i));
            ZoneId zone = ledger.channels().get(i).zone();
            w("<tr><td><a href=\"#c-").w(String.valueOf(i)).w("\">").text(c.get("name")).w("</a> <code>").text(c.get("id"))
                    .w("</code></td><td>").text(zone.getId()).w("</td><td class=\"st-")
                    .text(String.valueOf(c.get("status")).toLowerCase(Locale.ROOT)).w("\">").text(c.get("status"))
                    .w("</td><td class=\"num\">").w(percent((Double) c.get("availability")))
                    .w("</td><td class=\"num\">").text(c.get("slotsDue"))
                    .w("</td><td class=\"num\">").text(c.get("answered"))
                    .w("</td><td class=\"num\">").text(map(c.get("missed")).get("total"))
                    .w("</td><td class=\"num\">").text(c.get("notPlaced"))
                    .w("</td><td class=\"num\">").text(list(c.get("outages")).size())
                    .w("</td><td>").text(c.get("lastAnswer") == null ? "never" : utc(Instant.parse((String) c.get("lastAnswer"))))
                    .w("</td></tr>\n");
        }
        w("</tbody>\n</table>\n</section>\n");
    }

    private void writeChannel(int index, ChannelTimeline t, Map<String, Object> stats, List<Incident> incidents)
            throws IOException {
        ZoneId zone = t.zone();
        w("<section class=\"channel\" id=\"c-").w(String.valueOf(index)).w("\" data-channel=\"").text(t.channel().id())
                .w("\">\n<h2>").text(t.channel().name()).w(" <code>").text(t.channel().id()).w("</code></h2>\n");
        Instant end = t.days().isEmpty() ? Instant.EPOCH
                : t.days().get(t.days().size() - 1).date().atStartOfDay(zone).toInstant();
        w("<p class=\"meta\">Time zone ").text(zone.getId()).w(" (standard time UTC")
                .text(zone.getRules().getStandardOffset(end).getId().replace("Z", "+00:00")).w("); ").text(t.channel().schedule().toString()).w("; answer within ").text(ReplayReport.human(t.channel().answerWithin()))
                .w(", down after ").text(t.channel().downAfter()).w(" missed in a row. Status at the end: ")
                .text(stats.get("status")).w("; availability ").w(percent((Double) stats.get("availability"))).w(".</p>\n");
        w("<div class=\"zoomed\" hidden></div>\n");
        // The report's count of an open outage's missed slots runs to the end; the CHANNEL_DOWN's stops at downAfter.
        Map<Instant, Integer> missedSoFar = new java.util.HashMap<>();
        for (Object o : list(stats.get("outages"))) {
            Map<String, Object> m = map(o);
            missedSoFar.put(Instant.parse((String) m.get("start")), ((Number) m.get("missedSlots")).intValue());
        }
        incidents = incidents.stream().map(x -> x.open() && missedSoFar.containsKey(x.start())
                ? new Incident(x.channel(), x.start(), x.detected(), null, missedSoFar.get(x.start())) : x).toList();
        writeTimeline(t, incidents);
        writeAvailability(t);
        writeIncidents(zone, incidents);
        writeMissedSlots(t);
        w("</section>\n");
    }

    /** A row per local year, a rectangle per local day, outage bars under the days. */
    private void writeTimeline(ChannelTimeline t, List<Incident> incidents) throws IOException {
        if (t.days().isEmpty()) {
            return;
        }
        ZoneId zone = t.zone();
        int firstYear = t.days().get(0).date().getYear();
        int lastYear = t.days().get(t.days().size() - 1).date().getYear();
        int width = GUTTER + 366 * DAY;
        int height = HEADER + (lastYear - firstYear + 1) * ROW;
        w("<svg class=\"timeline\" viewBox=\"").w(String.valueOf(-GUTTER)).w(" 0 ").w(String.valueOf(width)).w(" ")
                .w(String.valueOf(height)).w("\" width=\"").w(String.valueOf(width)).w("\" height=\"").w(String.valueOf(height))
                .w("\" role=\"img\" aria-label=\"").text(t.channel().id()).w(": days from ").text(t.days().get(0).date())
                .w(" to ").text(t.days().get(t.days().size() - 1).date()).w("\">\n<g class=\"months\">");
        for (Month m : Month.values()) {
            w("<text x=\"").w(String.valueOf((LocalDate.of(2001, m, 1).getDayOfYear() - 1) * DAY)).w("\" y=\"10\">")
                    .w(m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).w("</text>");
        }
        w("</g>\n");
        int at = 0;
        for (int year = firstYear; year <= lastYear; year++) {
            w("<g class=\"year\" data-year=\"").w(String.valueOf(year)).w("\" transform=\"translate(0,")
                    .w(String.valueOf(HEADER + (year - firstYear) * ROW)).w(")\">\n<text class=\"label\" x=\"-6\" y=\"9\">")
                    .w(String.valueOf(year)).w("</text>\n");
            while (at < t.days().size() && t.days().get(at).date().getYear() == year) {
                at = writeDays(t.days(), at, zone);
            }
            writeOutages(zone, year, incidents);
            w("</g>\n");
        }
        w("</svg>\n");
    }

    /**
     * The day at {@code from} and, when it is answered or unknown, the days after it in the same year that say the
     * same of the same slot times: such a run is one rectangle with one hover text (most days of most channels are
     * answered; a rectangle and a title per day make 5 years of 20 channels 36,600 rectangles and a page twice as
     * slow to load). A missed or partly answered day always has a rectangle and a title of its own. Returns the
     * index after the last day written.
     */
    private int writeDays(List<Day> days, int from, ZoneId zone) throws IOException {
        Day first = days.get(from);
        String what = what(first, zone);
        int to = from + 1;
        if (first.kind() == StatusLedger.DayKind.ANSWERED || first.kind() == StatusLedger.DayKind.UNKNOWN) {
            while (to < days.size() && days.get(to).date().getYear() == first.date().getYear()
                    && days.get(to).kind() == first.kind() && what(days.get(to), zone).equals(what)) {
                to++;
            }
        }
        if (to - from == 1) {
            w("<rect class=\"day ").w(first.kind().wireName()).w("\" x=\"").w(String.valueOf((first.date().getDayOfYear() - 1) * DAY))
                    .w("\"><title>").text(first.describe(zone)).w("</title></rect>\n");
            return to;
        }
        Day last = days.get(to - 1);
        // One rectangle as wide as the run; data-days and data-what give the zoomed view its days and their titles.
        w("<rect class=\"day ").w(first.kind().wireName()).w(" run\" x=\"").w(String.valueOf((first.date().getDayOfYear() - 1) * DAY))
                .w("\" width=\"").w(fixed((to - from) * DAY - GAP)).w("\" data-days=\"").w(String.valueOf(to - from))
                .w("\" data-what=\"").text(what).w("\"><title>").text(weekdayAndDate(first)).w(" to ").text(weekdayAndDate(last))
                .w(", ").text(to - from).w(" days, each: ").text(what).w("</title></rect>\n");
        return to;
    }

    /** What {@link Day#describe} says after the date: {@code 09:00 answered; 17:00 answered}, or {@code no data}. */
    private static String what(Day d, ZoneId zone) {
        String all = d.describe(zone);
        return all.substring(all.indexOf(": ") + 2);
    }

    private static String weekdayAndDate(Day d) {
        return d.date().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + d.date();
    }

    /** The parts of the outages that fall in {@code year} (local), as bars; a duration label where there is room. */
    private void writeOutages(ZoneId zone, int year, List<Incident> incidents) throws IOException {
        LocalDateTime yearStart = LocalDate.of(year, 1, 1).atStartOfDay();
        LocalDateTime yearEnd = yearStart.plusYears(1);
        double labelEnd = -1;
        for (Incident x : incidents) {
            LocalDateTime a = LocalDateTime.ofInstant(x.start(), zone);
            Instant stop = x.end() != null ? x.end() : report.end() != null ? report.end() : x.start();
            LocalDateTime b = LocalDateTime.ofInstant(stop, zone);
            if (!a.isBefore(yearEnd) || a.isBefore(yearStart) && !b.isAfter(yearStart)) {
                continue;
            }
            double from = days(yearStart, a.isBefore(yearStart) ? yearStart : a);
            double to = days(yearStart, b.isAfter(yearEnd) ? yearEnd : b);
            String duration = ReplayReport.human(x.duration(stop)) + (x.open() ? " so far" : "");
            w("<rect class=\"outage\" x=\"").w(fixed(from * DAY)).w("\" y=\"12\" width=\"")
                    .w(fixed(Math.max(1.0, (to - from) * DAY))).w("\" height=\"4\" data-from=\"").w(fixed(from))
                    .w("\" data-to=\"").w(fixed(to)).w("\" data-duration=\"").text(duration).w("\"><title>Outage from ")
                    .text(local(x.start(), zone)).w(" (").text(utc(x.start())).w(") to ")
                    .text(x.end() == null ? "ongoing at " + local(stop, zone) : local(x.end(), zone) + " (" + utc(x.end()) + ")")
                    .w(": ").text(duration).w(", ").text(x.missedSlots()).w(" missed slot(s)</title></rect>\n");
            double x0 = from * DAY;
            if (x0 > labelEnd) {
                w("<text class=\"duration\" x=\"").w(fixed(x0)).w("\" y=\"25\">").text(duration).w("</text>\n");
                labelEnd = x0 + duration.length() * 5.0 + 4;
            }
        }
    }

    private static double days(LocalDateTime from, LocalDateTime to) {
        return Duration.between(from, to).getSeconds() / 86_400.0;
    }

    private void writeAvailability(ChannelTimeline t) throws IOException {
        Map<YearMonth, Availability> months = monthly.months(t.channel().id());
        Map<Integer, Availability> years = monthly.years(t.channel().id());
        if (years.isEmpty()) {
            w("<p>No slot counted: no availability.</p>\n");
            return;
        }
        w("<table class=\"availability\">\n<caption>Availability per month and per year, local time; answered / "
                + "(answered + missed), maintenance and slots not placed left out</caption>\n<thead><tr><th>year</th>");
        for (Month m : Month.values()) {
            w("<th>").w(m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).w("</th>");
        }
        w("<th>year</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<Integer, Availability> y : years.entrySet()) {
            w("<tr><th>").w(String.valueOf(y.getKey())).w("</th>");
            for (Month m : Month.values()) {
                cell(months.get(YearMonth.of(y.getKey(), m)));
            }
            cell(y.getValue());
            w("</tr>\n");
        }
        w("</tbody>\n</table>\n");
    }

    private void cell(Availability a) throws IOException {
        if (a == null || a.ratio().isEmpty()) {
            w("<td class=\"none\">&ndash;</td>");
            return;
        }
        double r = a.ratio().getAsDouble();
        String band = r >= 0.9995 ? "a100" : r >= 0.99 ? "a99" : r >= 0.95 ? "a95" : r >= 0.8 ? "a80" : "alow";
        w("<td class=\"").w(band).w("\" title=\"").w(String.valueOf(a.answered())).w(" answered, ").w(String.valueOf(a.missed()))
                .w(" missed\">").w(percent(r)).w("</td>");
    }

    private void writeIncidents(ZoneId zone, List<Incident> incidents) throws IOException {
        w("<h3>Outages</h3>\n");
        if (incidents.isEmpty()) {
            w("<p>None.</p>\n");
            return;
        }
        w("<table class=\"outages\">\n<thead><tr><th>start (first missed slot)</th><th>UTC</th><th>declared down (UTC)</th>"
                + "<th>end (answered again)</th><th>UTC</th><th>duration</th><th>missed slots</th></tr></thead>\n<tbody>\n");
        for (Incident x : incidents) {
            Instant stop = x.end() != null ? x.end() : report.end() != null ? report.end() : x.start();
            w("<tr><td>").text(local(x.start(), zone)).w("</td><td>").text(utc(x.start())).w("</td><td>")
                    .text(x.detected() == null ? "before the replay" : utc(x.detected())).w("</td><td>")
                    .text(x.end() == null ? "ongoing" : local(x.end(), zone)).w("</td><td>")
                    .text(x.end() == null ? "" : utc(x.end())).w("</td><td class=\"num\">")
                    .text(ReplayReport.human(x.duration(stop)) + (x.open() ? " so far" : "")).w("</td><td class=\"num\">")
                    .text(x.missedSlots()).w("</td></tr>\n");
        }
        w("</tbody>\n</table>\n");
    }

    private void writeMissedSlots(ChannelTimeline t) throws IOException {
        List<Slot> slots = new ArrayList<>();
        long missed = 0;
        for (Day d : t.days()) {
            for (Slot s : d.slots()) {
                if (s.verdict() != Verdict.ANSWERED) {
                    slots.add(s);
                    missed += s.verdict() == Verdict.MISSED ? 1 : 0;
                }
            }
        }
        w("<details class=\"slots\"><summary>Missed and not-placed slots: ").w(String.valueOf(missed)).w(" missed, ")
                .w(String.valueOf(slots.size() - missed)).w(" not placed by our side</summary>\n");
        if (!slots.isEmpty()) {
            w("<table>\n<thead><tr><th>slot (local)</th><th>UTC</th><th>verdict</th></tr></thead>\n<tbody>\n");
            for (Slot s : slots) {
                w("<tr class=\"").w(s.verdict() == Verdict.MISSED ? "missed" : "not-placed").w("\"><td>")
                        .text(local(s.slot(), t.zone())).w("</td><td>").text(utc(s.slot())).w("</td><td>").text(s.describe())
                        .w("</td></tr>\n");
            }
            w("</tbody>\n</table>\n");
        }
        w("</details>\n");
    }

    private void writeRejects(Map<String, Object> input) throws IOException {
        w("<section id=\"rejects\">\n<h2>Refused lines</h2>\n");
        Map<String, Object> byReason = map(input.get("rejectedByReason"));
        if (byReason.isEmpty()) {
            w("<p>None.</p>\n</section>\n");
            return;
        }
        w("<table class=\"rejects\">\n<thead><tr><th>reason</th><th>count</th><th>first examples (of at most ")
                .w(String.valueOf(RejectExamples.PER_REASON)).w(")</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, Object> e : byReason.entrySet()) {
            w("<tr><td>").text(e.getKey()).w("</td><td class=\"num\">").text(e.getValue()).w("</td><td>");
            for (RejectRecord r : rejects.of(e.getKey())) {
                w("<div class=\"example\"><span class=\"where\">").text(r.where().describe()).w("</span>")
                        .w(r.field() == null ? "" : " field ").text(r.field() == null ? "" : r.field()).w(": ").text(r.message())
                        .w("<pre>").text(r.rawBase64() ? "(base64) " + r.raw() : r.raw()).w("</pre></div>");
            }
            w("</td></tr>\n");
        }
        w("</tbody>\n</table>\n</section>\n");
    }

    private void writeOurSide(Map<String, Object> tree) throws IOException {
        Map<String, Object> ourSide = map(tree.get("ourSide"));
        if (ourSide.isEmpty()) {
            return;
        }
        w("<section id=\"our-side\">\n<h2>Our side's silences</h2>\n<p>No heartbeat from our schedulers for ")
                .text(ourSide.get("silentAfter")).w(": nothing can be said of the far side then.</p>\n");
        List<Object> silences = list(ourSide.get("silences"));
        if (silences.isEmpty()) {
            w("<p>None.</p>\n</section>\n");
            return;
        }
        w("<table>\n<thead><tr><th>last heartbeat (UTC)</th><th>silent at</th><th>heard again</th><th>duration</th>"
                + "</tr></thead>\n<tbody>\n");
        for (Object o : silences) {
            Map<String, Object> s = map(o);
            w("<tr><td>").text(s.get("lastHeartbeat")).w("</td><td>").text(s.get("silentAt")).w("</td><td>")
                    .text(s.get("heardAgain")).w("</td><td>").text(ReplayReport.human(Duration.parse((String) s.get("duration"))))
                    .w("</td></tr>\n");
        }
        w("</tbody>\n</table>\n</section>\n");
    }

    private void writeSettings(Map<String, Object> input) throws IOException {
        w("<section id=\"settings\">\n<h2>Settings of the run</h2>\n<table class=\"settings\">\n<tbody>\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            row(e.getKey(), e.getValue());
        }
        row("inputs read", String.join(", ", list(input.get("inputs")).stream().map(String::valueOf).toList()));
        row("first event", input.get("firstEvent") == null ? "none" : String.valueOf(input.get("firstEvent")));
        row("end of the replay", input.get("end") == null ? "none" : String.valueOf(input.get("end")));
        row("allowed lateness", String.valueOf(input.get("allowedLateness")));
        row("events unscheduled / after their deadline / heartbeats", input.get("unscheduled") + " / "
                + input.get("afterDeadline") + " / " + input.get("heartbeats"));
        w("</tbody>\n</table>\n</section>\n");
    }

    private void row(String name, String value) throws IOException {
        w("<tr><th>").text(name).w("</th><td>").text(value).w("</td></tr>\n");
    }

    // --- writing ---

    private HtmlReport w(String html) throws IOException {
        out.write(html);
        return this;
    }

    /** Text from anywhere (the input, the configuration), escaped for an element's content or a quoted attribute. */
    private HtmlReport text(Object value) throws IOException {
        escapeTo(out, String.valueOf(value));
        return this;
    }

    /** Writes {@code s} with {@code & < > " '} escaped: safe in an element's content and in a quoted attribute. */
    static void escapeTo(Writer out, String s) throws IOException {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            String rep = switch (s.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null) {
                out.write(s, start, i - start);
                out.write(rep);
                start = i + 1;
            }
        }
        out.write(s, start, s.length() - start);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + HtmlReport.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static String percent(Double r) {
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", r * 100);
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String date(Instant i) {
        return i.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** {@code 2023-04-07 08:00 UTC}; seconds only when there are some. */
    static String utc(Instant i) {
        ZonedDateTime t = i.atZone(ZoneOffset.UTC);
        return (t.getSecond() == 0 ? LOCAL : LOCAL_SECONDS).format(t) + " UTC";
    }

    /** {@code 2023-04-07 17:00 KST}, in the channel's zone. */
    static String local(Instant i, ZoneId zone) {
        ZonedDateTime t = i.atZone(zone);
        return (t.getSecond() == 0 ? LOCAL : LOCAL_SECONDS).format(t) + " "
                + DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t);
    }
}
