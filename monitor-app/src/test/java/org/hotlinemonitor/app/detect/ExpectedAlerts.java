package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.ReplayDriver;

/** What the live tests compare with: core's replay over the events they sent. */
public final class ExpectedAlerts {

    private ExpectedAlerts() {
    }

    /**
     * The alerts, as JSON lines in the order replay raises them, that core's replay computes from {@code events} (in
     * the order given) up to {@code until}: what the live detectors must have raised by then. Every event must be taken
     * (held until a jump is confirmed counts as taken): a test that feeds replay what it would refuse is wrong.
     */
    public static List<String> replay(MonitorConfig config, Duration lateness, List<CallEvent> events, Instant until) {
        List<String> alerts = new ArrayList<>();
        ReplayDriver replay = new ReplayDriver(config, lateness, ReplayDriver.DEFAULT_MAX_JUMP, until,
                org.hotlinemonitor.core.codec.SigningConfig.NONE, new Monitor.Listener() {
            @Override
            public void onAlert(Alert alert) {
                alerts.add(AlertCodec.toJson(alert));
            }
        }, new ReplayDriver.HeldListener() {
            @Override
            public void taken(long token) {
            }

            @Override
            public void refused(long token, Rejection why) {
                throw new AssertionError("replay refused a held event: " + why);
            }
        });
        for (CallEvent e : events) {
            assertThat(replay.gate().check(e)).as("replay's checks pass %s", e).isNull();
            int channel = e.kind() == EventKind.HEARTBEAT ? -1 : replay.gate().indexOf(e.channel());
            assertThat(replay.offerChecked(channel, e.kind(), e.ts().toEpochMilli(),
                    e.slot() == null ? Millis.NONE : e.slot().toEpochMilli(), e.source()))
                    .as("replay takes %s (or holds it until the jump is confirmed)", e).isIn(null, ReplayDriver.HELD);
        }
        replay.finish();
        return alerts;
    }
}
