package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.hotlinemonitor.app.broker.KafkaSettings.InvalidSettingsException;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings from options, then environment, then defaults; bad values named by their source, all at once. */
class KafkaSettingsTest {

    /** Every option, none given: what a command with KafkaOptions sees when the user types none. */
    static Map<Setting, String> noOptions() {
        Map<Setting, String> options = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            options.put(s, null);
        }
        return options;
    }

    @Test
    void nothingGivenIsTheDefaults() {
        KafkaSettings settings = KafkaSettings.resolve(noOptions(), Map.<String, String>of()::get);
        assertThat(settings).isEqualTo(KafkaSettings.DEFAULT);
        assertThat(settings.embedded()).isTrue();
        assertThat(settings.broker()).isEqualTo(new EmbeddedBroker.Config(Path.of("data"), 9092, 9093));
        assertThat(settings.topics().names()).containsExactly("hotline.events", "hotline.alerts", "hotline.rejects",
                "hotline.notify-rejects");
        assertThat(settings.topicSpecs()).extracting(TopicSpec::name)
                .containsExactly("hotline.events", "hotline.alerts", "hotline.rejects", "hotline.notify-rejects", "hotline.silences");
        assertThat(settings.topicSpecs().subList(0, 4))
                .allMatch(s -> s.partitions() == 6 && s.replicationFactor().equals(Optional.of((short) 1)) && s.configs().isEmpty());
        assertThat(settings.topicSpecs().get(4)).as("the silences: one partition, compacted")
                .isEqualTo(new TopicSpec("hotline.silences", 1, Optional.of((short) 1), Map.of("cleanup.policy", "compact")));
    }

    @Test
    void everyOptionHasAVariableOfTheSameName() {
        assertThat(Setting.DATA_DIR.option()).isEqualTo("--data-dir");
        assertThat(Setting.DATA_DIR.envVar()).isEqualTo("HOTLINE_DATA_DIR");
        assertThat(Setting.BOOTSTRAP_SERVERS.envVar()).isEqualTo("HOTLINE_BOOTSTRAP_SERVERS");
        assertThat(Setting.TOPIC_EVENTS.option()).isEqualTo("--topic-events");
        assertThat(Setting.TOPIC_EVENTS.envVar()).isEqualTo("HOTLINE_TOPIC_EVENTS");
    }

    @Test
    void theEnvironmentFillsWhatTheCommandLineLeavesAndTheCommandLineWins() {
        Map<String, String> env = Map.of(
                "HOTLINE_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
                "HOTLINE_TOPIC_EVENTS", "env.events",
                "HOTLINE_TOPIC_ALERTS", "env.alerts",
                "HOTLINE_PARTITIONS", "12",
                "HOTLINE_DATA_DIR", "  ",
                "HOTLINE_BROKER_PORT", "19092");
        Map<Setting, String> options = noOptions();
        options.put(Setting.TOPIC_ALERTS, "cli.alerts");
        options.put(Setting.BROKER_PORT, "0");

        KafkaSettings settings = KafkaSettings.resolve(options, env::get);

        assertThat(settings.bootstrapServers()).contains("kafka-1:9092,kafka-2:9092");
        assertThat(settings.embedded()).isFalse();
        assertThat(settings.topics()).isEqualTo(new Topics("env.events", "cli.alerts", "hotline.rejects"));
        assertThat(settings.partitions()).isEqualTo(12);
        assertThat(settings.broker()).isEqualTo(new EmbeddedBroker.Config(Path.of("data"), 0, 9093)); // blank counts as unset
        // An existing cluster: its own default replication factor, unless one is given.
        assertThat(settings.topicSpecs()).allMatch(s -> s.replicationFactor().isEmpty());
    }

    @Test
    void aSettingTheCommandHasNoOptionForIgnoresTheEnvironment() {
        Map<Setting, String> brokerCommand = noOptions();
        brokerCommand.remove(Setting.BOOTSTRAP_SERVERS);

        KafkaSettings settings = KafkaSettings.resolve(brokerCommand, Map.of("HOTLINE_BOOTSTRAP_SERVERS", "elsewhere:9092")::get);

        assertThat(settings.embedded()).isTrue();
    }

    @Test
    void aGivenReplicationFactorIsUsedEverywhere() {
        Map<Setting, String> options = noOptions();
        options.put(Setting.REPLICATION_FACTOR, "3");
        assertThat(KafkaSettings.resolve(options, Map.<String, String>of()::get).topicSpecs())
                .allMatch(s -> s.replicationFactor().equals(Optional.of((short) 3)));
    }

    @Test
    void everyBadValueIsReportedAtOnceNamingWhereItCameFrom() {
        Map<Setting, String> options = noOptions();
        options.put(Setting.BROKER_PORT, "ninety");
        options.put(Setting.TOPIC_EVENTS, "bad topic");
        Map<String, String> env = Map.of("HOTLINE_PARTITIONS", "0", "HOTLINE_BOOTSTRAP_SERVERS", "kafka-1");

        assertThatThrownBy(() -> KafkaSettings.resolve(options, env::get))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "HOTLINE_BOOTSTRAP_SERVERS: expected host:port[,host:port...], was 'kafka-1'",
                        "--topic-events: illegal topic name 'bad topic': use 1-249 ASCII letters, digits, '.', '_' or '-' (not \".\" or \"..\")",
                        "HOTLINE_PARTITIONS: expected a whole number from 1 to 2147483647, was '0'",
                        "--broker-port: expected a port number 0-65535 (0: any free port), was 'ninety'"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            same ports          | BROKER_PORT=9000;CONTROLLER_PORT=9000 | --broker-port, --controller-port: must differ, both were 9000
            same topics         | TOPIC_EVENTS=x;TOPIC_ALERTS=x         | --topic-events, --topic-alerts, --topic-rejects, --topic-notify-rejects: events, alerts, rejects and the notifier's rejects need four different topics, were x, x, hotline.rejects, hotline.notify-rejects
            silences not apart  | TOPIC_SILENCES=hotline.alerts         | --topic-events, --topic-alerts, --topic-rejects, --topic-notify-rejects, --topic-silences: silences need a topic of their own, was hotline.alerts (events, alerts, rejects, notifier's rejects: hotline.events, hotline.alerts, hotline.rejects, hotline.notify-rejects)
            port too high       | CONTROLLER_PORT=65536                 | --controller-port: expected a port number 0-65535 (0: any free port), was '65536'
            replication 0       | REPLICATION_FACTOR=0                  | --replication-factor: expected a whole number from 1 to 32767, was '0'
            bootstrap with gap  | BOOTSTRAP_SERVERS=a:1,,b:2            | --bootstrap-servers: expected host:port[,host:port...], was 'a:1,,b:2'
            """)
    void badCombinationsAreNamed(String name, String given, String problem) {
        Map<Setting, String> options = noOptions();
        for (String pair : given.split(";")) {
            String[] kv = pair.split("=", 2);
            options.put(Setting.valueOf(kv[0]), kv[1]);
        }
        assertThatThrownBy(() -> KafkaSettings.resolve(options, Map.<String, String>of()::get))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage(problem);
    }

    @Test
    void bootstrapServersMayBeIpv6OrSeveral() {
        Map<Setting, String> options = noOptions();
        options.put(Setting.BOOTSTRAP_SERVERS, "[::1]:9092, kafka-2.example:9093");
        assertThat(KafkaSettings.resolve(options, Map.<String, String>of()::get).bootstrapServers())
                .contains("[::1]:9092, kafka-2.example:9093");
    }
}
