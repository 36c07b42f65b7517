package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.t;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;

class SimulationScriptLoaderTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Set<String> CHANNELS = Set.of("liaison-office", "ship-to-ship");

    static SimulationScript load(String yaml) throws ConfigException {
        return SimulationScriptLoader.load("sim.yaml", new StringReader(yaml), CHANNELS);
    }

    @Test
    void aFullScript() throws Exception {
        SimulationScript s = load("""
                seed: 7
                answerDelay: {min: PT2S, max: PT20S}
                noAnswerRate: 0.25
                ringFor: PT45S
                faultAfter: PT1S
                disruptions:
                  - channels: [liaison-office]
                    from: 2023-04-07T08:00:00Z
                    until: 2023-04-11T00:00:00Z
                    outcome: NO_ANSWER
                    note: the North does not answer
                  - from: 2023-04-12T00:00:00+09:00
                    outcome: LINE_FAULT
                """);
        assertThat(s).isEqualTo(new SimulationScript(7, Duration.ofSeconds(2), Duration.ofSeconds(20), 0.25,
                Duration.ofSeconds(45), Duration.ofSeconds(1), List.of(
                new SimulationScript.Disruption(Set.of("liaison-office"), t("2023-04-07T08:00:00Z"), t("2023-04-11T00:00:00Z"),
                        EventKind.NO_ANSWER, "the North does not answer"),
                new SimulationScript.Disruption(Set.of(), t("2023-04-11T15:00:00Z"), null, EventKind.LINE_FAULT, null))));
    }

    @Test
    void anEmptyFileIsTheDefault() throws Exception {
        assertThat(load("")).isEqualTo(SimulationScript.DEFAULT);
        assertThat(load("seed: 3")).isEqualTo(SimulationScript.DEFAULT.withSeed(3));
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        assertThatThrownBy(() -> load("""
                seed: seven
                answerDelay: {min: PT20S, max: PT2S}
                noAnswerRate: 2
                ringFor: PT0S
                faultAfter: soon
                colour: blue
                disruptions:
                  - channels: [liason-office]
                    from: yesterday
                    outcome: ANSWERED
                  - from: 2023-04-07T08:00:00Z
                    until: 2023-04-07T07:00:00Z
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().stream().map(Object::toString).collect(Collectors.toList()))
                        .containsExactly(
                                "sim.yaml: colour: unknown key (expected one of answerDelay, disruptions, faultAfter, noAnswerRate, ringFor, seed)",
                                "sim.yaml: seed: expected an integer, was \"seven\"",
                                "sim.yaml: answerDelay.max: must be at least answerDelay.min (PT20S), was PT2S",
                                "sim.yaml: noAnswerRate: expected a number between 0 and 1, was 2",
                                "sim.yaml: ringFor: must be positive, was PT0S",
                                "sim.yaml: faultAfter: expected an ISO-8601 duration like PT30S, was \"soon\"",
                                "sim.yaml: disruptions[0].channels[0]: unknown channel 'liason-office'",
                                "sim.yaml: disruptions[0].from: expected an instant like 2023-04-07T08:00:00Z, was \"yesterday\"",
                                "sim.yaml: disruptions[0].outcome: expected NO_ANSWER or LINE_FAULT, was \"ANSWERED\"",
                                "sim.yaml: disruptions[1].until: must be after from (2023-04-07T08:00:00Z), was 2023-04-07T07:00:00Z",
                                "sim.yaml: disruptions[1].outcome: missing: NO_ANSWER or LINE_FAULT"));
    }

    @Test
    void aYamlSyntaxErrorHasItsLine() {
        assertThatThrownBy(() -> load("seed: 1\ndisruptions: [\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sim.yaml:2:15: not valid YAML: while parsing a flow node; expected the node content, but found '<stream end>'");
    }

    @Test
    void theBundledAprilScenarioLoadsAgainstTheBundledChannels() throws Exception {
        MonitorConfig config = ConfigLoader.load(ROOT.resolve("examples/channels.yaml"));
        Set<String> ids = config.channels().stream().map(Channel::id).collect(Collectors.toSet());
        SimulationScript s = SimulationScriptLoader.load(ROOT.resolve("examples/simulation-april-2023.yaml"), ids);
        assertThat(s.disruptionAt("east-coast-military", t("2023-04-07T07:00:00Z")).outcome()).isEqualTo(EventKind.NO_ANSWER);
        assertThat(s.disruptionAt("liaison-office", t("2023-04-07T00:00:00Z"))).isNull();
        assertThat(s.disruptionAt("unc-pink-phone", t("2023-04-08T00:00:00Z"))).isNull();
        assertThat(s.disruptionAt("liaison-office", t("2023-04-11T00:00:00Z"))).isNull();
    }
}
