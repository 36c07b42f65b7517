package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DetectorSettingsTest {

    @Test
    void defaultsAndTheStreamsConfigurationTheyMake() {
        DetectorSettings s = DetectorSettings.of("broker:9092");
        assertThat(s.applicationId()).isEqualTo("hotline-monitor-detector");
        assertThat(s.topics()).isEqualTo(DetectorTopics.DEFAULT);
        assertThat(s.allowedLateness()).isEqualTo(Duration.ofMillis(500));
        Properties p = s.withStateDir(Path.of("/var/lib/hotline")).withNumThreads(3)
                .withStreamsOverrides(Map.of("session.timeout.ms", "10000")).streamsProperties();
        assertThat(p).containsEntry("application.id", "hotline-monitor-detector")
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("num.stream.threads", 3)
                .containsEntry("state.dir", "/var/lib/hotline")
                .containsEntry("session.timeout.ms", "10000");
        assertThat(s.streamsProperties()).doesNotContainKey("state.dir");
    }

    @Test
    void failsOverFastByDefaultAndJoinsAsAStaticMemberOnlyWithAnInstanceId() {
        DetectorSettings s = DetectorSettings.of("broker:9092");
        assertThat(s.instanceId()).isNull();
        assertThat(s.streamsProperties()).containsEntry("session.timeout.ms", 6000)
                .containsEntry("heartbeat.interval.ms", 1000)
                .containsEntry("num.standby.replicas", DetectorSettings.STANDBY_REPLICAS)
                .doesNotContainKey("group.instance.id");
        assertThat(s.withInstanceId("detector-a.example.org").streamsProperties())
                .containsEntry("group.instance.id", "detector-a.example.org");
        assertThat(s.withStreamsOverrides(Map.of("session.timeout.ms", "20000")).streamsProperties())
                .as("an override wins").containsEntry("session.timeout.ms", "20000");
        assertThatThrownBy(() -> s.withInstanceId("host a")).hasMessageContaining("'host a'");
        assertThatThrownBy(() -> s.withInstanceId("")).hasMessageContaining("''");
    }

    @Test
    void refusesNonsenseNamingTheValue() {
        DetectorSettings s = DetectorSettings.of("broker:9092");
        assertThatThrownBy(() -> s.withNumThreads(0)).hasMessage("numThreads must be at least 1, was 0");
        assertThatThrownBy(() -> s.withAllowedLateness(Duration.ofSeconds(-1)))
                .hasMessage("allowedLateness must not be negative, was PT-1S");
        assertThatThrownBy(() -> s.withPunctuateInterval(Duration.ZERO)).hasMessage("punctuateInterval must be positive, was PT0S");
        assertThatThrownBy(() -> s.withApplicationId("my app")).hasMessageContaining("'my app'");
        assertThatThrownBy(() -> s.withStreamsOverrides(Map.of("processing.guarantee", "at_least_once")))
                .hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> new DetectorTopics("a", "b", "a")).hasMessageContaining("must differ");
    }
}
