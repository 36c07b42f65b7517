package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.hotlinemonitor.app.kafka.DetectorSettings;
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
}
