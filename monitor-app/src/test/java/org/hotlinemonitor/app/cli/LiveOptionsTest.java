package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopology;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LiveOptionsTest {

    @Test
    void membershipGoesIntoTheDetectorsStreamsSettings() {
        DetectorSettings settings = DetectorSettings.of("broker:9092").withStreamsOverrides(Map.of("commit.interval.ms", "100"));
        var given = new LiveOptions.Membership("detector-a", Duration.ofSeconds(10)).applyTo(settings).streamsProperties();
        assertThat(given).containsEntry("group.instance.id", "detector-a").containsEntry("session.timeout.ms", "10000")
                .as("other overrides kept").containsEntry("commit.interval.ms", "100");

        LiveOptions.Detector none = new LiveOptions.Detector();
        LiveOptions.Membership defaults = none.membership(new CommandLine(none));
        assertThat(defaults).isEqualTo(new LiveOptions.Membership(null, DetectorSettings.SESSION_TIMEOUT));
        assertThat(defaults.applyTo(settings).streamsProperties()).doesNotContainKey("group.instance.id")
                .containsEntry("session.timeout.ms", "6000");
    }

    @Test
    void allowedLatenessAndBacklogThresholdReplaceTheDetectorsDefaultsAndNothingElse() {
        Clock clock = Clock.systemUTC();
        LiveOptions.Detector none = new LiveOptions.Detector();
        Live.Timing defaults = none.timing(new CommandLine(none), clock);
        assertThat(defaults).isEqualTo(Live.Timing.forClock(clock));
        assertThat(defaults.allowedLateness()).isEqualTo(DetectorTopology.DEFAULT_ALLOWED_LATENESS);
        assertThat(defaults.backlogThreshold()).isEqualTo(DetectorTopology.DEFAULT_BACKLOG_THRESHOLD);

        LiveOptions.Detector bulk = new LiveOptions.Detector();
        CommandLine cl = new CommandLine(bulk);
        cl.parseArgs("--allowed-lateness", "PT5M", "--backlog-threshold", "PT24H");
        Live.Timing given = bulk.timing(cl, clock);
        assertThat(given.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(given.backlogThreshold()).isEqualTo(Duration.ofHours(24));
        assertThat(given.heartbeatEvery()).isEqualTo(defaults.heartbeatEvery());
        assertThat(given.lateAfter()).isEqualTo(defaults.lateAfter());

        Clock fast = AcceleratedClock.paused(Instant.parse("2023-04-01T00:00:00Z"), 60);
        LiveOptions.Detector one = new LiveOptions.Detector();
        CommandLine oneCl = new CommandLine(one);
        oneCl.parseArgs("--allowed-lateness", "PT0S");
        Live.Timing scaled = one.timing(oneCl, fast);
        assertThat(scaled.allowedLateness()).isEqualTo(Duration.ZERO);
        assertThat(scaled.backlogThreshold()).as("the other one still scaled with the clock")
                .isEqualTo(Live.Timing.forClock(fast).backlogThreshold()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aNegativeLatenessOrANonPositiveBacklogThresholdIsAUsageErrorNamingTheOption() {
        LiveOptions.Detector late = new LiveOptions.Detector();
        CommandLine lateCl = new CommandLine(late);
        lateCl.parseArgs("--allowed-lateness", "-PT1S");
        assertThatThrownBy(() -> late.timing(lateCl, Clock.systemUTC())).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--allowed-lateness (or HOTLINE_ALLOWED_LATENESS) must not be negative, was PT-1S");
        LiveOptions.Detector backlog = new LiveOptions.Detector();
        CommandLine backlogCl = new CommandLine(backlog);
        backlogCl.parseArgs("--backlog-threshold", "PT0S");
        assertThatThrownBy(() -> backlog.timing(backlogCl, Clock.systemUTC())).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--backlog-threshold (or HOTLINE_BACKLOG_THRESHOLD) must be positive, was PT0S");
    }
}
