package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.MonitorFeed;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The replayed metrics from a story: channel "c" checks at 09:00 and 17:00 UTC (answer within 1 h, down after 2),
 * our side heartbeats every 5 minutes ({@code silentAfter} 10 minutes). On 04-06 it answers at 09:01, misses 17:00; on
 * 04-07 it misses 09:00 (down at 10:00), our side is silent from 11:10 to 11:30, and the far side calls at 13:00.
 */
class ChannelHistoryTest {

    private static final Channel C = new Channel("c", null, Schedule.of(ZoneId.of("UTC"),
            List.of(LocalTime.parse("09:00"), LocalTime.parse("17:00")), DayRule.everyDay(), "checks 09:00,17:00"),
            Duration.ofHours(1), 2);
    private static final MonitorConfig CONFIG = new MonitorConfig(List.of(C), null, Duration.ofMinutes(10));
    private static final Instant START = at("04-06T08:00");
    private static final Instant END = at("04-07T14:00:30");

    @Test
    void statesCountersAndTimesAtTheirEventTimesWithASampleEveryStep() throws Exception {
        Map<String, TreeMap<Long, Double>> series = render(Duration.ofMinutes(5));

        String up = "hotline_channel_state{channel=c,state=up}";
        String missed = "hotline_channel_state{channel=c,state=missed}";
        String down = "hotline_channel_state{channel=c,state=down}";
        String unknown = "hotline_channel_state{channel=c,state=unknown}";
        // One state at a time.
        for (long t : series.get(up).keySet()) {
            assertThat(value(series, up, t) + value(series, missed, t) + value(series, down, t) + value(series, unknown, t))
                    .as("states at " + Instant.ofEpochMilli(t)).isEqualTo(1);
        }
        assertThat(stateAt(series, "04-06T08:00")).isEqualTo("unknown");
        assertThat(stateAt(series, "04-06T09:00:59.999")).isEqualTo("unknown");
        assertThat(stateAt(series, "04-06T09:01")).as("an answer makes it up at once").isEqualTo("up");
        assertThat(stateAt(series, "04-06T17:59:59.999")).isEqualTo("up");
        assertThat(stateAt(series, "04-06T18:00")).as("17:00 missed at its deadline").isEqualTo("missed");
        assertThat(stateAt(series, "04-07T09:59:59.999")).isEqualTo("missed");
        assertThat(stateAt(series, "04-07T10:00")).isEqualTo("down");
        assertThat(stateAt(series, "04-07T11:09:59.999")).isEqualTo("down");
        assertThat(stateAt(series, "04-07T11:10")).as("our side silent: unknown, as live").isEqualTo("unknown");
        assertThat(stateAt(series, "04-07T11:30")).as("heard again: down as before").isEqualTo("down");
        assertThat(stateAt(series, "04-07T13:00")).as("restored by the far side's call").isEqualTo("up");

        String streak = "hotline_channel_consecutive_missed_slots{channel=c}";
        assertThat(valueAt(series, streak, "04-06T18:00")).isEqualTo(1);
        assertThat(valueAt(series, streak, "04-07T10:00")).isEqualTo(2);
        assertThat(valueAt(series, streak, "04-07T13:00")).isEqualTo(0);
        String outage = "hotline_channel_outage_start_timestamp_seconds{channel=c}";
        assertThat(valueAt(series, outage, "04-06T17:59")).isNaN();
        assertThat(valueAt(series, outage, "04-07T12:00")).isEqualTo(at("04-06T17:00").getEpochSecond());
        assertThat(valueAt(series, outage, "04-07T13:00")).isNaN();
        String lastAnswer = "hotline_channel_last_answer_timestamp_seconds{channel=c}";
        assertThat(valueAt(series, lastAnswer, "04-06T09:00")).isNaN();
        assertThat(valueAt(series, lastAnswer, "04-07T12:00")).isEqualTo(at("04-06T09:01").getEpochSecond());
        assertThat(valueAt(series, lastAnswer, "04-07T14:00")).isEqualTo(at("04-07T13:00").getEpochSecond());

        String answered = "hotline_channel_slots_total{channel=c,verdict=ANSWERED}";
        String missedSlots = "hotline_channel_slots_total{channel=c,verdict=MISSED}";
        assertThat(valueAt(series, answered, "04-06T09:59:59.999")).isZero();
        assertThat(valueAt(series, answered, "04-06T10:00")).as("counted at the deadline").isEqualTo(1);
        assertThat(valueAt(series, missedSlots, "04-06T18:00")).isEqualTo(1);
        assertThat(valueAt(series, missedSlots, "04-07T14:00:30")).isEqualTo(2);
        assertThat(valueAt(series, "hotline_channel_slots_total{channel=c,verdict=NOT_PLACED}", "04-07T14:00:30")).isZero();
        assertThat(valueAt(series, "hotline_alerts_total{type=CHANNEL_DOWN}", "04-07T10:00")).isEqualTo(1);
        assertThat(valueAt(series, "hotline_alerts_total{type=OUR_SIDE_SILENT}", "04-07T14:00")).isEqualTo(1);
        assertThat(valueAt(series, "hotline_alerts_total{type=SLOT_MISSED}", "04-07T14:00")).isEqualTo(2);

        // Every series: from the start to the end, a sample at each multiple of the step and at each change, in order.
        assertThat(series).hasSize(4 + 3 + 3 + 6);
        for (Map.Entry<String, TreeMap<Long, Double>> s : series.entrySet()) {
            TreeMap<Long, Double> samples = s.getValue();
            assertThat(samples.firstKey()).as(s.getKey()).isEqualTo(START.toEpochMilli());
            assertThat(samples.lastKey()).as(s.getKey()).isEqualTo(END.toEpochMilli());
            for (long t = START.toEpochMilli(); t <= END.toEpochMilli(); t += Duration.ofMinutes(5).toMillis()) {
                assertThat(samples).as(s.getKey() + " at " + Instant.ofEpochMilli(t)).containsKey(t);
            }
        }
        assertThat(series.get(up)).as("changes off the step: the answer at 09:01").containsKey(at("04-06T09:01").toEpochMilli());
        // The grid (every 5 min from 08:00 to 14:00), the answer at 09:01, the end at 14:00:30; nothing else.
        assertThat(series.get(up).size()).isEqualTo((int) (Duration.between(START, END).toMinutes() / 5) + 1 + 1 + 1);
    }

    @Test
    void aLongerStepThinsTheSamplesButKeepsEveryChange() throws Exception {
        Map<String, TreeMap<Long, Double>> series = render(Duration.ofHours(1));
        assertThat(series.get("hotline_channel_state{channel=c,state=unknown}")).containsKeys(at("04-07T11:10").toEpochMilli(),
                at("04-07T11:30").toEpochMilli(), at("04-07T12:00").toEpochMilli()).doesNotContainKey(at("04-07T11:05").toEpochMilli());
        assertThatThrownBy(() -> new ChannelHistory(CONFIG).render(END, Duration.ZERO, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChannelHistory(CONFIG).render(END, Duration.ZERO, new Collect()))
                .hasMessageContaining("step must be at least 1 ms, was PT0S");
    }

    @Test
    void withoutEventsOnlyTheFamilies() throws Exception {
        Collect out = new Collect();
        new ChannelHistory(CONFIG).render(null, Duration.ofMinutes(5), out);
        assertThat(out.families).containsExactly("hotline_channel_state gauge", "hotline_channel_consecutive_missed_slots gauge",
                "hotline_channel_last_answer_timestamp_seconds gauge", "hotline_channel_outage_start_timestamp_seconds gauge",
                "hotline_channel_slots counter", "hotline_alerts counter");
        assertThat(out.series).isEmpty();
    }

    private static Map<String, TreeMap<Long, Double>> render(Duration step) throws Exception {
        ChannelHistory history = new ChannelHistory(CONFIG);
        Monitor monitor = new Monitor(CONFIG, history);
        for (CallEvent e : story()) {
            assertThat(MonitorFeed.accept(monitor, e).rejected()).as(e.toString()).isFalse();
        }
        monitor.advanceTo(END.toEpochMilli());
        assertThat(history.start()).isEqualTo(START);
        Collect out = new Collect();
        history.render(END, step, out);
        return out.series;
    }

    private static List<CallEvent> story() {
        List<CallEvent> events = new ArrayList<>();
        for (Instant t = START; !t.isAfter(END); t = t.plus(Duration.ofMinutes(5))) {
            if (t.isBefore(at("04-07T11:01")) || !t.isBefore(at("04-07T11:30"))) {
                events.add(CallEvent.heartbeat(t, "scheduler"));
            }
            if (t.equals(at("04-06T09:00")) || t.equals(at("04-06T17:00")) || t.equals(at("04-07T09:00"))) {
                events.add(CallEvent.of("c", EventKind.CALL_PLACED, t, null));
            }
            if (t.equals(at("04-06T09:00"))) {
                events.add(CallEvent.of("c", EventKind.ANSWERED, t.plusSeconds(60), null));
            }
            if (t.equals(at("04-07T13:00"))) {
                events.add(CallEvent.of("c", EventKind.ANSWERED, t, null));
            }
        }
        events.sort(java.util.Comparator.comparing(CallEvent::ts));
        return events;
    }

    private static String stateAt(Map<String, TreeMap<Long, Double>> series, String time) {
        List<String> in = new ArrayList<>();
        for (String s : List.of("up", "missed", "down", "unknown")) {
            if (valueAt(series, "hotline_channel_state{channel=c,state=" + s + "}", time) == 1) {
                in.add(s);
            }
        }
        assertThat(in).as("one state at " + time).hasSize(1);
        return in.get(0);
    }

    /** The value a query at {@code time} sees: the last sample at or before it. */
    private static double valueAt(Map<String, TreeMap<Long, Double>> series, String name, String time) {
        return value(series, name, at(time).toEpochMilli());
    }

    private static double value(Map<String, TreeMap<Long, Double>> series, String name, long t) {
        assertThat(series).containsKey(name);
        Map.Entry<Long, Double> e = series.get(name).floorEntry(t);
        assertThat(e).as(name + " at " + Instant.ofEpochMilli(t)).isNotNull();
        return e.getValue();
    }

    private static Instant at(String shortTime) {
        String t = shortTime.length() == 11 ? shortTime + ":00" : shortTime;
        return Instant.parse("2023-" + t + "Z");
    }

    /** Collects what is written, checking the order the interface promises. */
    private static final class Collect implements ChannelHistory.Exposition {
        final List<String> families = new ArrayList<>();
        final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
        TreeMap<Long, Double> current;

        @Override
        public void family(String name, ChannelHistory.Type type, String unit, String help) {
            assertThat(help).isNotBlank();
            assertThat(unit == null || name.endsWith("_" + unit)).as(name + " unit " + unit).isTrue();
            families.add(name + " " + type.wireName());
            current = null;
        }

        @Override
        public void series(String sampleName, List<String[]> labels) {
            StringBuilder b = new StringBuilder(sampleName).append('{');
            for (String[] l : labels) {
                b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(l[0]).append('=').append(l[1]);
            }
            String name = b.append('}').toString();
            assertThat(series).as("each series once").doesNotContainKey(name);
            current = new TreeMap<>();
            series.put(name, current);
        }

        @Override
        public void sample(long atMillis, double value) {
            assertThat(current).as("a sample after its series").isNotNull();
            if (!current.isEmpty()) {
                assertThat(atMillis).as("increasing time").isGreaterThan(current.lastKey());
            }
            current.put(atMillis, value);
        }
    }
}
