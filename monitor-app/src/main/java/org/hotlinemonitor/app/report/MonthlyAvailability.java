package org.hotlinemonitor.app.report;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.ChannelIndex;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.status.StatusLedger;
import org.hotlinemonitor.core.status.StatusLedger.Availability;

/**
 * Each channel's counted slots per month of its own time zone, by {@link StatusLedger}'s rule (answered and missed
 * slots count, slots in a maintenance window and slots our side did not place do not), kept as two counters per
 * month: the JSON report's {@code availabilityByMonth} and {@code availabilityByYear} and the HTML report's table,
 * without keeping the slots (a ledger keeps every slot: too much for a JSON report of 10,000 channels).
 * Fed on the replay's thread; not thread-safe.
 */
public final class MonthlyAvailability implements Monitor.Listener {

    private final List<Channel> channels;
    private final ChannelIndex index;
    private final MaintenanceWindows maintenance;
    /** Per channel position: answered and missed per month. */
    private final List<Map<YearMonth, long[]>> months = new ArrayList<>();
    /** Per channel position: the month of the last slot counted, its bounds in epoch ms and its counters. */
    private final long[] monthFrom;
    private final long[] monthTo;
    private final long[][] current;

    public MonthlyAvailability(MonitorConfig config, List<Silence> silences) {
        this.channels = List.copyOf(config.channels());
        this.index = new ChannelIndex(channels);
        this.maintenance = new MaintenanceWindows(config, silences);
        for (int i = 0; i < channels.size(); i++) {
            months.add(new TreeMap<>());
        }
        monthFrom = new long[channels.size()];
        monthTo = new long[channels.size()];
        current = new long[channels.size()][];
    }

    @Override
    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                          long firstAnswer) {
        if (channel < 0 || channel >= channels.size() || verdict == Verdict.NOT_PLACED
                || maintenance.covers(channel, Instant.ofEpochMilli(slot))) {
            return;
        }
        long[] counts = current[channel];
        if (counts == null || slot < monthFrom[channel] || slot >= monthTo[channel]) {
            // A new month (slots come in order per channel): find its counters and bounds once.
            ZoneId zone = channels.get(channel).zone();
            YearMonth month = YearMonth.from(Instant.ofEpochMilli(slot).atZone(zone));
            ZonedDateTime start = month.atDay(1).atStartOfDay(zone);
            monthFrom[channel] = start.toInstant().toEpochMilli();
            monthTo[channel] = start.plusMonths(1).toInstant().toEpochMilli();
            counts = months.get(channel).computeIfAbsent(month, m -> new long[2]);
            current[channel] = counts;
        }
        counts[verdict == Verdict.ANSWERED ? 0 : 1]++;
    }

    @Override
    public void onAlert(Alert alert) {
    }

    /** The channel's counted slots per local month, months without one absent; empty for an unknown channel. */
    public Map<YearMonth, Availability> months(String channel) {
        int i = index.indexOf(channel);
        Map<YearMonth, Availability> out = new TreeMap<>();
        if (i >= 0) {
            months.get(i).forEach((m, c) -> out.put(m, new Availability(c[0], c[1])));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The channel's counted slots per local year, years without one absent. */
    public Map<Integer, Availability> years(String channel) {
        Map<Integer, long[]> sums = new TreeMap<>();
        months(channel).forEach((m, a) -> {
            long[] s = sums.computeIfAbsent(m.getYear(), y -> new long[2]);
            s[0] += a.answered();
            s[1] += a.missed();
        });
        Map<Integer, Availability> out = new TreeMap<>();
        sums.forEach((y, s) -> out.put(y, new Availability(s[0], s[1])));
        return Collections.unmodifiableMap(out);
    }
}
