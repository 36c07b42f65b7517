package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.event;
import static org.hotlinemonitor.app.detect.Harness.header;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels added, changed and removed while the detector runs (a channels topic feeds its {@link ChannelRegistry}):
 * each task applies the change at its watermark, as a restart with the new configuration would.
 */
class ChannelChangesTest {

    private static final Duration LATENESS = Duration.ofMillis(500);
    private static final Instant DAY = Instant.parse("2024-03-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private static Channel channel(String yamlItem) {
        return Harness.config("channels:\n  - " + yamlItem + "\n").channels().get(0);
    }

    private static Instant at(String time) {
        return Instant.parse("2024-03-01T" + time + "Z");
    }

    @Test
    void aChannelAddedChangedAndRemovedWhileRunningIsFollowedWithoutARestart() {
        ChannelRegistry channels = ChannelRegistry.of(List.of(channel("{id: a, zone: UTC, checks: ['09:00'], downAfter: 2}")), 1);
        try (Harness h = new Harness(channels, null, LATENESS, DetectorTopology.Options.defaults(1), at("08:00:00"), stateDir)) {
            h.tick(at("08:00:00"));
            h.tick(at("08:00:05")); // idle past the backlog threshold: the clock counts, and the task starts
            h.sendAt(at("08:30:00"), "a", event("a", "CALL_PLACED", at("08:30:00"), at("09:00:00")));
            h.tick(at("10:00:01"));
            assertThat(alerts(h)).extracting(Alert::type, Alert::channel)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertType.SLOT_MISSED, "a"));

            // b is not known yet: refused; then added, it is watched from the watermark on.
            h.sendAt(at("10:29:00"), "b", event("b", "CALL_PLACED", at("10:29:00"), at("11:00:00")));
            assertThat(h.rejects()).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("unknown-channel");
            channels.put(channel("{id: b, zone: UTC, checks: ['11:00', '15:00']}"));
            h.tick(at("10:30:00"));
            assertThat(h.view.channel("b")).as("b joins the view at once").isPresent();
            h.sendAt(at("10:31:00"), "b", event("b", "CALL_PLACED", at("10:31:00"), at("11:00:00")));
            h.tick(at("12:00:01"));
            assertThat(h.rejects()).as("b's events are taken now").isEmpty();
            assertThat(alerts(h)).extracting(Alert::type, Alert::channel, Alert::slot)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertType.SLOT_MISSED, "b", at("11:00:00")));

            // a's schedule changes: it restarts at the watermark, and its streak (one miss) is kept: the next miss is the
            // second, and a is down.
            channels.put(channel("{id: a, zone: UTC, checks: ['13:00'], downAfter: 2}"));
            h.tick(at("12:30:00"));
            h.sendAt(at("12:45:00"), "a", event("a", "CALL_PLACED", at("12:45:00"), at("13:00:00")));
            h.tick(at("14:00:01"));
            assertThat(alerts(h)).extracting(Alert::type, Alert::channel, Alert::slot).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(AlertType.SLOT_MISSED, "a", at("13:00:00")),
                    org.assertj.core.groups.Tuple.tuple(AlertType.CHANNEL_DOWN, "a", null));

            // b is removed while one of its records waits for the watermark: that record is checked again, and refused.
            h.sendAt(at("14:30:00"), "b", event("b", "CALL_PLACED", at("14:30:00"), at("15:00:00")));
            assertThat(h.rejects()).isEmpty();
            channels.remove("b");
            h.tick(at("14:30:01"));
            List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> refused = h.rejects();
            assertThat(refused).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("unknown-channel");
            assertThat(header(refused.get(0), DeadLetters.MESSAGE)).contains("'b'");
            assertThat(h.view.channel("b")).isEmpty();
            KeyValueStore<String, StoredChannel> store = h.driver.getKeyValueStore(DetectorTopology.CHANNEL_STORE);
            assertThat(store.get("b")).as("b's state is dropped").isNull();
            assertThat(store.get("a")).isNotNull();
            h.tick(at("16:00:01"));
            assertThat(alerts(h)).as("nothing more of b, nothing due for a").isEmpty();
            h.sendAt(at("16:01:00"), "b", event("b", "CALL_PLACED", at("16:01:00"), null));
            assertThat(h.rejects()).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("unknown-channel");

            // a changed only in name keeps its state and schedule: its 13:00 slot of the next day is judged as before (no
            // call was placed for it).
            channels.put(channel("{id: a, name: Line A, zone: UTC, checks: ['13:00'], downAfter: 2}"));
            h.tick(DAY.plus(Duration.ofHours(24 + 14)).plusSeconds(1));
            assertThat(alerts(h)).extracting(Alert::type, Alert::channel, Alert::slot).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(AlertType.CALL_NOT_PLACED, "a", DAY.plus(Duration.ofHours(24 + 13))));
        }
    }

    private static List<Alert> alerts(Harness h) {
        return h.alerts().stream().map(AlertCodec::fromJson).toList();
    }
}
