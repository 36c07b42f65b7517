package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hotlinemonitor.core.config.ApiConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorConfigLoaderTest {

    private static final String FILE = "monitor.yaml";
    private static final Set<String> CHANNELS = Set.of("liaison-office", "east-coast-military");

    private static final String CHANNELS_YAML = """
            channels:
              - id: liaison-office
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
            """;

    private static final String VALID = CHANNELS_YAML + """
            api:
              token: ${HOTLINE_API_TOKEN}
              protectReads: true
            silences:
              - id: switch-upgrade
                channels: ['liaison-*', east-coast-military]
                start: 2023-04-07T00:00:00Z
                end: 2023-04-07T11:00:00+09:00
                comment: switchboard firmware
              - id: nightly
                zone: Asia/Seoul
                from: '23:30'
                to: '00:30'
                days: [MON-FRI, SUN]
            """;

    private static List<Silence> silences(String yaml) throws ConfigException {
        return OperatorConfigLoader.silences(FILE, new StringReader(yaml), CHANNELS);
    }

    @Test
    void loadsBothForms() throws ConfigException {
        List<Silence> s = silences(VALID);
        assertThat(s).containsExactly(
                new Silence("switch-upgrade", List.of("liaison-*", "east-coast-military"), Instant.parse("2023-04-07T00:00:00Z"),
                        Instant.parse("2023-04-07T02:00:00Z"), null, "switchboard firmware"),
                new Silence("nightly", List.of(), null, null, new Silence.Recurrence(ZoneId.of("Asia/Seoul"), LocalTime.of(23, 30),
                        LocalTime.of(0, 30), Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                        DayOfWeek.FRIDAY, DayOfWeek.SUNDAY)), null));
        // The channel loader accepts both sections.
        assertThat(ConfigLoader.load(FILE, new StringReader(VALID)).channels()).hasSize(1);
    }

    @Test
    void noSectionIsNoSilencesAndNoApi() throws ConfigException {
        assertThat(silences(CHANNELS_YAML)).isEmpty();
        assertThat(OperatorConfigLoader.api(FILE, new StringReader(CHANNELS_YAML), v -> null)).isEmpty();
    }

    @Test
    void apiTokenComesFromTheEnvironmentAndIsNeverShown() throws ConfigException {
        ApiConfig api = OperatorConfigLoader.api(FILE, new StringReader(VALID), Map.of("HOTLINE_API_TOKEN", "s3cret-token")::get)
                .orElseThrow();
        assertThat(api.protectReads()).isTrue();
        assertThat(api.token().value()).isEqualTo("s3cret-token");
        assertThat(api.toString()).doesNotContain("s3cret-token").contains("HOTLINE_API_TOKEN");
    }

    @Test
    void aRelativeTokensFileIsNextToTheConfigurationFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("monitor.yaml");
        java.nio.file.Files.writeString(file, CHANNELS_YAML + "api:\n  tokens: secrets/api-tokens.txt\n");
        ApiConfig api = OperatorConfigLoader.api(file, v -> null).orElseThrow();
        assertThat(api.tokens()).isEqualTo(dir.toAbsolutePath().resolve("secrets/api-tokens.txt"));
        assertThat(api.token()).isNull();
        assertThat(api.protectReads()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "'api:\n  token: literal-token\n'                 | monitor.yaml:6:10: api.token: write the token as ${VARIABLE}",
            "'api:\n  token: ${UNSET_VAR}\n'                  | monitor.yaml:6:10: api.token: the environment variable UNSET_VAR is not set",
            "'api:\n  protectReads: yes please\n'             | monitor.yaml:6:3: api.tokens: missing",
            "'api:\n  token: ${T}\n  tokens: t.txt\n'        | monitor.yaml:6:10: api.token: give tokens (a file of named tokens) or token (one token), not both",
            "'api:\n  tokens: [a, b]\n'                       | monitor.yaml:6:11: api.tokens: expected the path of the tokens file",
            "'api:\n  token: ${T}\n  protectRead: true\n'     | monitor.yaml:7:3: api.protectRead: unknown key 'protectRead'",
    })
    void apiProblems(String section, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> OperatorConfigLoader.api(FILE, new StringReader(CHANNELS_YAML + section), Map.of("T", "x")::get));
        assertThat(e.getMessage()).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "'  - id: a\n    start: 2023-04-07T00:00:00Z\n'                              | monitor.yaml:6:5: silences[0].end: missing",
            "'  - id: a\n    start: 2023-04-07T02:00:00Z\n    end: 2023-04-07T01:00:00Z\n' | monitor.yaml:8:10: silences[0].end: must be after start",
            "'  - id: a\n    start: yesterday\n    end: 2023-04-07T01:00:00Z\n'         | monitor.yaml:7:12: silences[0].start: bad instant 'yesterday'",
            "'  - id: A B\n    start: 2023-04-07T00:00:00Z\n    end: 2023-04-08T00:00:00Z\n' | monitor.yaml:6:9: silences[0].id: bad id 'A B'",
            "'  - id: a\n    channels: [liason-office]\n    start: 2023-04-07T00:00:00Z\n    end: 2023-04-08T00:00:00Z\n' | monitor.yaml:7:16: silences[0].channels: unknown channel 'liason-office' (did you mean 'liaison-office'?)",
            "'  - id: a\n    zone: Asia/Seol\n    from: \"02:00\"\n    to: \"03:00\"\n'  | monitor.yaml:7:11: silences[0].zone: unknown time zone 'Asia/Seol'",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"2am\"\n    to: \"03:00\"\n'   | monitor.yaml:8:11: silences[0].from: bad time '2am'",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n'                     | monitor.yaml:6:5: silences[0].to: missing",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n    to: \"02:00\"\n'   | monitor.yaml:9:9: silences[0].to: must differ from 'from'",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n    to: \"03:00\"\n    days: [MON-FRY]\n' | monitor.yaml:10:12: silences[0].days: bad day 'MON-FRY'",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n    to: \"03:00\"\n    until: x\n' | monitor.yaml:10:5: silences[0].until: unknown key 'until'",
            "'  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n    to: \"03:00\"\n  - id: a\n    zone: Asia/Seoul\n    from: \"02:00\"\n    to: \"03:00\"\n' | monitor.yaml:10:9: silences[1].id: duplicate silence id 'a', first at line 6",
    })
    void silenceProblems(String list, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> silences(CHANNELS_YAML + "silences:\n" + list));
        assertThat(e.getMessage()).contains(expected);
    }

    private static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa"; // 32 bytes

    @Test
    void signingKeysFromAKeyFileRelativeToTheConfigAndFromTheEnvironment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.createDirectory(dir.resolve("keys"));
        java.nio.file.Files.writeString(dir.resolve("keys/field-1.key"), KEY + "\r\n");
        java.nio.file.Path file = dir.resolve("monitor.yaml");
        java.nio.file.Files.writeString(file, CHANNELS_YAML + """
                signing:
                  sources:
                    field-1: keys/field-1.key
                    op-console: ${OP_KEY}
                """);
        org.hotlinemonitor.core.codec.SigningConfig signing = OperatorConfigLoader.signing(file,
                Map.of("OP_KEY", KEY.toUpperCase(java.util.Locale.ROOT))::get);
        assertThat(signing.sources()).containsExactly("field-1", "op-console");
        assertThat(signing.keys().get("field-1").value()).as("without the line break").isEqualTo(KEY);
        assertThat(signing.keys().get("op-console").value()).isEqualTo(KEY.toUpperCase(java.util.Locale.ROOT));
        assertThat(signing.toString()).doesNotContain(KEY).doesNotContain(KEY.toUpperCase(java.util.Locale.ROOT));
        assertThat(ConfigLoader.load(file).channels()).hasSize(1); // the channels' loader accepts the section
    }

    @Test
    void noSigningSectionNoSigners() throws ConfigException {
        assertThat(OperatorConfigLoader.signing(FILE, new StringReader(CHANNELS_YAML), v -> null, null).isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "'signing:\n  sources:\n    p: ${SHORT}\n'   | monitor.yaml:7:8: signing.sources.p: the key has 9 bytes; at least 32 are needed",
            "'signing:\n  sources:\n    p: ${UNSET}\n'   | monitor.yaml:7:8: signing.sources.p: the environment variable UNSET is not set",
            "'signing:\n  sources:\n    p: no/such.key\n' | monitor.yaml:7:8: signing.sources.p: cannot read the key file no/such.key: NoSuchFileException",
            "'signing:\n  keys: {}\n'                     | monitor.yaml:6:3: signing.keys: unknown key 'keys'",
            "'signing:\n  sources: [a, b]\n'              | monitor.yaml:6:12: signing.sources: expected a mapping of source name",
    })
    void signingProblems(String section, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> OperatorConfigLoader.signing(FILE,
                new StringReader(CHANNELS_YAML + section), Map.of("SHORT", "too-short")::get, null));
        assertThat(e.getMessage()).contains(expected).doesNotContain("too-short");
    }
}
