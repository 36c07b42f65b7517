package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The replay's reading stage resolves channel ids a batch at a time, after parsing; every way an id
 * can arrive must end up at the right channel or in the right rejection, also across batch boundaries.
 */
class ReadingStageTest {

    private static MonitorConfig config(int channels) {
        List<Channel> list = new ArrayList<>();
        Schedule daily = Schedule.of(ZoneOffset.UTC, List.of(LocalTime.of(9, 0)), DayRule.everyDay(), "09:00 daily");
        for (int i = 0; i < channels; i++) {
            list.add(new Channel("ch-" + i, null, daily, Duration.ofHours(1), 1));
        }
        return new MonitorConfig(list);
    }

    private record Result(List<Alert> alerts, List<RejectRecord> rejects, ReplayReport report) {
    }

    private static Result replay(MonitorConfig config, String log) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        List<RejectRecord> rejects = new ArrayList<>();
        Replay replay = new Replay(new Replay.Options(config, Duration.ofMinutes(5), null, false), alerts::add,
                rejects::add, Replay.Progress.NONE);
        InputStream stdin = new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8));
        ReplayReport report = replay.run(List.of(LogInput.of("-", null)), stdin);
        return new Result(alerts, rejects, report);
    }

    @Test
    void everyChannelOfSeveralBatchesIsResolvedToItself() throws Exception {
        int channels = 3000; // more events than one batch of the reading stage
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < channels; i++) {
            // Odd channels answer, even ones ring out: each channel's alert says it was resolved to itself.
            String kind = i % 2 == 1 ? "ANSWERED" : "NO_ANSWER";
            log.append("{\"channel\":\"ch-").append(i).append("\",\"kind\":\"").append(kind)
                    .append("\",\"ts\":\"2023-04-06T09:00:10Z\",\"slot\":\"2023-04-06T09:00:00Z\"}\n");
        }
        log.append("{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T10:30:00Z\"}\n");
        Result r = replay(config(channels), log.toString());
        assertThat(r.rejects).isEmpty();
        List<String> down = r.alerts.stream().filter(a -> a.type().name().equals("CHANNEL_DOWN")).map(Alert::channel).toList();
        assertThat(down).hasSize(channels / 2).allMatch(id -> Integer.parseInt(id.substring(3)) % 2 == 0);
    }

    @Test
    void escapedUnknownAndBadIdsEachEndUpRight() throws Exception {
        String log = String.join("\n",
                "{\"channel\":\"ch\\u002d1\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-06T09:00:10Z\"}", // escaped: ch-1
                "{\"channel\":\"ch-9\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T09:00:10Z\"}",          // unknown
                "{\"channel\":\"ch-0\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T09:00:10Z\",\"slot\":\"2023-04-06T09:30:00Z\"}", // not a slot
                "{\"channel\":\"ch-0\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-05T07:00:00Z\",\"slot\":\"2023-04-06T09:00:00Z\"}", // too early
                "{\"channel\":\"ch-0\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T09:00:20Z\"}",
                "{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T10:30:00Z\"}",
                "");
        Result r = replay(config(2), log);
        assertThat(r.rejects).extracting(RejectRecord::reason)
                .containsExactly(Rejection.UNKNOWN_CHANNEL, Rejection.NOT_A_SLOT, Rejection.TOO_EARLY);
        assertThat(r.rejects.get(0).message()).contains("unknown channel 'ch-9'");
        assertThat(r.rejects.get(1).message()).contains("of channel 'ch-0'");
        assertThat(r.rejects.get(2).message()).contains("answerWithin (PT1H)");
        assertThat(r.rejects).extracting(RejectRecord::line).containsExactly(2L, 3L, 4L);
        assertThat(r.alerts).extracting(a -> a.type().name() + " " + a.channel())
                .containsExactly("SLOT_MISSED ch-1", "CHANNEL_DOWN ch-1");
        assertThat(r.alerts.get(0).at()).isEqualTo(Instant.parse("2023-04-06T10:00:00Z"));
    }
}
