package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.Severity;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.SinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotifyConfigLoaderTest {

    private static final String FILE = "monitor.yaml";
    private static final Set<String> CHANNELS = Set.of("liaison-office", "east-coast-military", "ship-to-ship");
    private static final Map<String, String> ENV = Map.of("PAGERDUTY_KEY", "pd-routing-key-123",
            "WEBHOOK_SECRET", "hmac-secret", "SLACK_URL", "https://hooks.slack.test/services/T0/B0/XYZ");

    private static final String CHANNELS_YAML = """
            channels:
              - id: liaison-office
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
            """;

    private static final String VALID = CHANNELS_YAML + """
            notify:
              groupId: notify-test
              groupWait: PT0.5S
              retry: {initial: PT1S, max: PT20S}
              sinks:
                - name: oncall
                  type: pagerduty
                  routingKey: ${PAGERDUTY_KEY}
                - name: am
                  type: alertmanager
                  url: http://127.0.0.1:9093
                - name: hook
                  type: webhook
                  url: https://example.org/hotline
                  secret: ${WEBHOOK_SECRET}
                - name: chat
                  type: slack
                  url: ${SLACK_URL}
              routes:
                - severity: [critical, resolve]
                  channels: ['liaison-*', ship-to-ship]
                  sinks: [oncall, am]
                - severity: warning
                  sinks: chat
                - sinks: [hook]
            """;

    private static Optional<NotifyConfig> load(String yaml) throws ConfigException {
        return NotifyConfigLoader.load(FILE, new StringReader(yaml), CHANNELS, ENV::get);
    }

    @Test
    void readsEverySetting() throws Exception {
        NotifyConfig config = load(VALID).orElseThrow();
        assertThat(config.groupId()).isEqualTo("notify-test");
        assertThat(config.grouping()).isTrue();
        assertThat(config.groupWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.backoff()).isEqualTo(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(20)));
        assertThat(config.sinks()).extracting(s -> s.name() + "/" + s.type())
                .containsExactly("oncall/PAGERDUTY", "am/ALERTMANAGER", "hook/WEBHOOK", "chat/SLACK");
        assertThat(config.sink("oncall").url()).isEqualTo(URI.create("https://events.pagerduty.com"));
        assertThat(config.sink("oncall").secret().value()).isEqualTo("pd-routing-key-123");
        assertThat(config.sink("chat").url().toString()).isEqualTo(ENV.get("SLACK_URL"));
        assertThat(config.routes()).containsExactly(
                new Route(Set.of(Severity.CRITICAL, Severity.RESOLVE), List.of("liaison-*", "ship-to-ship"), List.of("oncall", "am")),
                new Route(Set.of(Severity.WARNING), List.of(), List.of("chat")),
                new Route(Set.of(), List.of(), List.of("hook")));
        assertThat(config.groupIdOf("am")).isEqualTo("notify-test.am");
    }

    @Test
    void secretsNeverShowInToString() throws Exception {
        NotifyConfig config = load(VALID).orElseThrow();
        assertThat(config.toString()).doesNotContain("pd-routing-key-123", "hmac-secret", "XYZ", "services");
        assertThat(config.sink("oncall").secret()).hasToString("Secret[${PAGERDUTY_KEY}]");
    }

    @Test
    void noSectionIsEmpty() throws Exception {
        assertThat(load(CHANNELS_YAML)).isEmpty();
    }

    @Test
    void theChannelLoaderAcceptsTheSection() throws Exception {
        assertThat(ConfigLoader.load(FILE, new StringReader(VALID)).channels()).hasSize(1);
    }

    /** A notify section with one pagerduty sink; {@code %s} marks where each case puts its lines. */
    private static final String ONE_SINK = CHANNELS_YAML + """
            notify:
              groupWait: %s
              sinks:
                - name: oncall
                  type: %s
                  url: %s
                  routingKey: %s
              routes:
                - sinks: [oncall]
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad type       | PT1S | pagerdooty | https://x.test | ${PAGERDUTY_KEY} | monitor.yaml:9:13: notify.sinks[0].type: unknown sink type 'pagerdooty'; expected one of alertmanager, pagerduty, webhook, slack",
        "literal secret | PT1S | pagerduty  | https://x.test | abc123           | monitor.yaml:11:19: notify.sinks[0].routingKey: write secrets as ${VARIABLE}, the name of an environment variable that holds the value, not the value itself",
        "unset variable | PT1S | pagerduty  | https://x.test | ${NOT_SET}       | monitor.yaml:11:19: notify.sinks[0].routingKey: the environment variable NOT_SET is not set",
        "bad url        | PT1S | pagerduty  | ftp://x.test   | ${PAGERDUTY_KEY} | monitor.yaml:10:12: notify.sinks[0].url: expected an http or https URL with a host, was 'ftp://x.test'",
        "url variable   | PT1S | pagerduty  | ${NOT_SET}     | ${PAGERDUTY_KEY} | monitor.yaml:10:12: notify.sinks[0].url: the environment variable NOT_SET is not set",
        "bad duration   | 5s   | pagerduty  | https://x.test | ${PAGERDUTY_KEY} | monitor.yaml:6:14: notify.groupWait: bad duration '5s', expected ISO-8601 like PT0.25S",
        "negative wait  | -PT1S| pagerduty  | https://x.test | ${PAGERDUTY_KEY} | monitor.yaml:6:14: notify.groupWait: must not be negative, was PT-1S",
    })
    void badSettingsAreReportedWithFileLineAndField(String what, String groupWait, String type, String url, String key,
                                                    String expected) {
        String yaml = ONE_SINK.formatted(groupWait, type, url, key);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e).as(yaml).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(expected);
        assertThat(e.getMessage()).doesNotContain("pd-routing-key-123");
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        String yaml = CHANNELS_YAML + """
                notify:
                  sinkz: []
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e.problems()).extracting(ConfigProblem::toString).contains(
                "monitor.yaml:6:3: notify.sinkz: unknown key 'sinkz' (did you mean 'sinks'?)");
    }

    @Test
    void theLongestBackoffIsBoundedSoThatARecoveredPagerIsTriedSoon() throws Exception {
        String yaml = CHANNELS_YAML + """
                notify:
                  retry: {initial: PT1S, max: PT5M}
                  sinks: [{name: am, type: alertmanager, url: 'http://127.0.0.1:9093'}]
                  routes: [{sinks: [am]}]
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "monitor.yaml:6:31: notify.retry.max: must be at most PT20S (a pager that recovers is tried again within max), was PT5M");
        assertThat(load(yaml.replace("PT5M", "PT20S")).orElseThrow().backoff().max()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aRouteMayNameOurSide() throws Exception {
        String yaml = CHANNELS_YAML + """
                notify:
                  sinks:
                    - name: ops
                      type: alertmanager
                      url: http://127.0.0.1:9093
                  routes:
                    - channels: [our-side]
                      sinks: [ops]
                """;
        NotifyConfig config = load(yaml).orElseThrow();
        Alert silent = Alert.ourSideSilent(Instant.parse("2023-04-09T23:50:00Z"), Instant.parse("2023-04-10T00:05:00Z"));
        assertThat(config.sinksFor(silent)).containsExactly("ops");
    }

    @Test
    void routesNameKnownSinksAndChannels() {
        String yaml = CHANNELS_YAML + """
                notify:
                  sinks:
                    - name: am
                      type: alertmanager
                      url: http://127.0.0.1:9093
                  routes:
                    - channels: [liason-office, 'east-*']
                      severity: [critical, fatal]
                      sinks: [am, pager]
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "monitor.yaml:11:18: notify.routes[0].channels: unknown channel 'liason-office' (did you mean 'liaison-office'?)",
                "monitor.yaml:12:28: notify.routes[0].severity: unknown severity 'fatal'; expected warning, error, critical or resolve",
                "monitor.yaml:13:19: notify.routes[0].sinks: unknown sink 'pager'; configured: am");
    }

    @Test
    void missingPartsAreNamed() {
        String yaml = CHANNELS_YAML + """
                notify:
                  sinks:
                    - name: hook
                      type: webhook
                    - name: hook
                      type: slack
                      url: http://x.test/
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "monitor.yaml:6:3: notify.routes: missing; list at least one route (a route without severity and channels takes every alert)",
                "monitor.yaml:7:7: notify.sinks[0].url: missing; the webhook's URL",
                "monitor.yaml:7:7: notify.sinks[0].secret: missing; the webhook sink needs it, as ${VARIABLE}",
                "monitor.yaml:9:13: notify.sinks[1].name: duplicate sink name 'hook', first at line 7");
    }

    @Test
    void sinkTypeDefaultsAreSensible() throws Exception {
        String yaml = CHANNELS_YAML + """
                notify:
                  grouping: false
                  sinks: [{name: am, type: alertmanager, url: 'http://127.0.0.1:9093'}]
                  routes: [{sinks: [am]}]
                """;
        NotifyConfig config = load(yaml).orElseThrow();
        assertThat(config.grouping()).isFalse();
        assertThat(config.groupId()).isEqualTo(NotifyConfig.DEFAULT_GROUP_ID);
        assertThat(config.backoff()).isEqualTo(Backoff.DEFAULT);
        assertThat(config.sink("am").type()).isEqualTo(SinkType.ALERTMANAGER);
        assertThat(config.sink("am").secret()).isNull();
    }
}
