package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel files as the loader reads them at scale: streamed, read once per process, and several files of a
 * directory read as one configuration. Real files in a temporary directory.
 */
class ChannelFilesTest {

    @TempDir
    Path dir;

    /** What a channel is, as text: Schedule has no equals, its description and zone say what it fires at. */
    private static List<String> fingerprint(MonitorConfig config) {
        return config.channels().stream().map(ChannelFilesTest::fingerprint).toList();
    }

    private static String fingerprint(Channel c) {
        return c.id() + "|" + c.name() + "|" + c.schedule() + "|" + c.answerWithin() + "|" + c.downAfter();
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
    }

    @Test
    void aFileOfThirtyThousandChannelsOverSnakeYamlsOldLimitLoadsAsGenerated() throws Exception {
        SyntheticLog log = new SyntheticLog(30_000, 1, 1, LocalDate.of(2023, 4, 1));
        Path file = write("channels.yaml", log.channelsYaml());
        assertThat(Files.size(file)).isGreaterThan(3L * 1024 * 1024); // SnakeYAML's old default refused this

        MonitorConfig loaded = ConfigLoader.load(file);

        MonitorConfig expected = log.config(); // built directly, not read from YAML
        assertThat(loaded.channels()).hasSize(30_000);
        assertThat(fingerprint(loaded)).isEqualTo(fingerprint(expected));
        assertThat(loaded.allowedLateness()).isEqualTo(Duration.ofMinutes(5)); // the file's; config() has none
        assertThat(loaded.silentAfter()).isNull();
        assertThat(loaded.maxJump()).isNull();
    }

    @Test
    void aJsonFileReadsAsTheSameChannelsAsItsYaml() throws Exception {
        SyntheticLog log = new SyntheticLog(5_000, 1, 1, LocalDate.of(2023, 4, 1));
        Path yaml = write("channels.yaml", log.channelsYaml());
        Path json = write("channels.json", log.channelsJson());

        MonitorConfig fromYaml = ConfigLoader.load(yaml);
        MonitorConfig fromJson = ConfigLoader.load(json);

        assertThat(fingerprint(fromJson)).hasSize(5_000).isEqualTo(fingerprint(fromYaml)).isEqualTo(fingerprint(log.config()));
        assertThat(fromJson.allowedLateness()).isEqualTo(fromYaml.allowedLateness());
    }

    @Test
    void aJsonFilesProblemsHaveTheSameMessagesAndTheirJsonLocations() throws Exception {
        Path file = write("channels.json", """
                {"channels": [
                  {"id": "a", "zone": "UTC", "checks": ["09:00"]},
                  {"id": "a", "zone": "Asia/Seol", "checks": ["25:00"], "downAfter": 0}
                ],
                 "defaults": {"zone": "UTC"}, "colour": "red"}
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).extracting(p -> p.line() + ":" + p.column() + " " + p.field() + ": " + p.message()).containsExactly(
                "3:10 channels[1].id: duplicate id 'a', first used at line 2",
                "3:23 channels[1].zone: unknown time zone 'Asia/Seol' (did you mean 'Asia/Seoul'?)",
                "3:47 channels[1].checks[0]: bad check time '25:00', expected HH:mm or HH:mm:ss from 00:00 to 23:59:59",
                "3:70 channels[1].downAfter: downAfter must be at least 1, was 0",
                "5:31 colour: unknown key 'colour'; expected one of defaults, allowedLateness, silentAfter, maxJump, "
                        + "channels, notify, api, silences, kafka, signing");
    }

    @Test
    void aJsonSyntaxErrorIsLocated() throws Exception {
        Path file = write("channels.json", """
                {"channels": [
                  {"id": "a", "zone": "UTC" "checks": ["09:00"]}
                ]}
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).line()).isEqualTo(2);
        assertThat(e.problems().get(0).message()).startsWith("JSON syntax error: ");
    }

    /** The generated JSON channel file of {@code channels} channels, one a line: channel {@code i} is on line i + 2. */
    private static List<String> jsonLines(int channels) {
        return new SyntheticLog(channels, 1, 1, LocalDate.of(2023, 4, 1)).channelsJson().lines()
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    }

    private static String located(List<String> lines, int line, String text, String fieldAndMessage) {
        int column = lines.get(line - 1).indexOf(text) + 1;
        assertThat(column).as("%s on line %d", text, line).isPositive();
        return line + ":" + column + " " + fieldAndMessage;
    }

    private static boolean converterRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("channel-file-converter") && t.isAlive());
    }

    @Test
    void aLongListConvertedOnTheSecondThreadReportsEveryProblemInFileOrderAndTheSameEveryTime() throws Exception {
        int channels = 5 * ConfigLoader.CONVERT_BATCH + 123; // batches on the second thread, and a last partial one
        List<String> lines = jsonLines(channels);
        lines.set(3 + 1, lines.get(3 + 1).replaceFirst("\"zone\": \"[^\"]+\"", "\"zone\": \"Mars/Base\""));
        int dup = 4 * ConfigLoader.CONVERT_BATCH + 7; // in the second half, and a batch of its own
        lines.set(dup + 1, lines.get(dup + 1).replaceFirst("line-\\d+", "line-00011"));
        int last = channels - 1; // in the last batch, put when the list ends
        lines.set(last + 1, lines.get(last + 1).replaceFirst("\"\\d\\d:\\d\\d\"", "\"24:00\""));
        String text = String.join("\n", lines) + "\n";
        List<String> expected = List.of(
                located(lines, 5, "\"Mars/Base\"", "channels[3].zone: unknown time zone 'Mars/Base'; use an IANA zone id like Asia/Seoul"),
                located(lines, dup + 2, "\"line-00011\"", "channels[" + dup + "].id: duplicate id 'line-00011', first used at line 12"),
                located(lines, last + 2, "\"24:00\"", "channels[" + last + "].checks[0]: bad check time '24:00', "
                        + "expected HH:mm or HH:mm:ss from 00:00 to 23:59:59"));

        for (int run = 0; run < 3; run++) { // a file per run: each is read afresh
            Path file = write("long-" + run + ".json", text);
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

            assertThat(e.problems()).extracting(p -> p.line() + ":" + p.column() + " " + p.field() + ": " + p.message())
                    .containsExactlyElementsOf(expected);
            assertThat(e.problems()).extracting(ConfigProblem::file).containsOnly(file.toString());
        }
        assertThat(converterRunning()).isFalse();
    }

    @Test
    void aSyntaxErrorLateInALongListIsTheOneProblemAndStopsTheSecondThread() throws Exception {
        int channels = 6 * ConfigLoader.CONVERT_BATCH;
        List<String> lines = jsonLines(channels);
        lines.set(3 + 1, lines.get(3 + 1).replaceFirst("\"zone\": \"[^\"]+\"", "\"zone\": \"Mars/Base\""));
        int broken = 5 * ConfigLoader.CONVERT_BATCH + 10;
        lines.set(broken + 1, lines.get(broken + 1).replace("\", \"zone\"", " \"zone\""));
        Path file = write("broken.json", String.join("\n", lines) + "\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).hasSize(1); // as on one thread: a syntax error is all that is reported
        assertThat(e.problems().get(0).line()).isEqualTo(broken + 2);
        assertThat(e.problems().get(0).message()).startsWith("JSON syntax error: ");
        assertThat(converterRunning()).isFalse();
    }

    @Test
    void aLongListLoadsTheSameChannelsInTheSameOrderAsItsShortParts() throws Exception {
        SyntheticLog log = new SyntheticLog(3 * ConfigLoader.CONVERT_BATCH + 1, 1, 1, LocalDate.of(2023, 4, 1));
        MonitorConfig loaded = ConfigLoader.load(write("long.json", log.channelsJson()));

        assertThat(fingerprint(loaded)).isEqualTo(fingerprint(log.config()));
    }

    @Test
    void theExampleReadsTheSameFromItsFileFromAReaderAndFromADirectory() throws Exception {
        Path example = repositoryFile("examples/channels.yaml");
        String text = Files.readString(example);
        Path copy = Files.createDirectory(dir.resolve("conf")).resolve("channels.yaml");
        Files.writeString(copy, text);

        MonitorConfig fromFile = ConfigLoader.load(example);
        MonitorConfig fromReader = ConfigLoader.load("channels.yaml", new StringReader(text));
        MonitorConfig fromDirectory = ConfigLoader.load(copy.getParent());

        assertThat(fingerprint(fromFile)).hasSize(7).isEqualTo(fingerprint(fromReader)).isEqualTo(fingerprint(fromDirectory));
        assertThat(List.of(fromReader.allowedLateness(), fromDirectory.allowedLateness()))
                .containsOnly(fromFile.allowedLateness());
    }

    @Test
    void defaultsAfterChannelsApplyToThemInASecondPassWithoutTheFirstPassesProblems() throws Exception {
        Path file = write("late-defaults.yaml", """
                channels:
                  - id: a
                    checks: ['09:00']
                  - id: b
                    zone: Europe/London
                    checks: ['10:00']
                    downAfter: 4
                defaults:
                  zone: Asia/Seoul
                  downAfter: 3
                  answerWithin: PT20M
                """);
        long before = YamlTree.documentsRead();

        MonitorConfig config = ConfigLoader.load(file);

        assertThat(YamlTree.documentsRead() - before).isEqualTo(2); // the one-pass condition does not hold
        assertThat(config.channel("a").schedule().zone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        assertThat(config.channel("a").downAfter()).isEqualTo(3);
        assertThat(config.channel("a").answerWithin()).isEqualTo(Duration.ofMinutes(20));
        assertThat(config.channel("b").schedule().zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(config.channel("b").downAfter()).isEqualTo(4);
    }

    @Test
    void aBrokenDefaultAfterChannelsIsReportedOnceAndTheChannelsUsingItAreNot() throws Exception {
        Path file = write("late-defaults.yaml", """
                channels:
                  - id: a
                    checks: ['09:00']
                defaults:
                  zone: Asia/Seoul
                  answerWithin: soon
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).extracting(p -> p.line() + " " + p.field() + ": " + p.message())
                .containsExactly("6 defaults.answerWithin: bad duration 'soon', expected ISO-8601 like PT1H (PT30M, PT1H30M, P1D)");
    }

    @Test
    void defaultsBeforeChannelsTakeOnePass() throws Exception {
        Path file = write("channels.yaml", """
                defaults:
                  zone: Asia/Seoul
                channels:
                  - id: a
                    checks: ['09:00']
                """);
        long before = YamlTree.documentsRead();

        ConfigLoader.load(file);

        assertThat(YamlTree.documentsRead() - before).isEqualTo(1);
    }

    private static final String WITH_SECTIONS = """
            channels:
              - id: liaison-office
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
            silences:
              - id: upgrade
                channels: [liaison-office]
                start: 2023-04-07T00:00:00Z
                end: 2023-04-07T02:00:00Z
            api:
              token: ${API_TOKEN}
            """;

    @Test
    void theSectionLoadersTakeTheirSectionsFromTheOneReadOfTheFile() throws Exception {
        Path file = write("channels.yaml", WITH_SECTIONS);
        Map<String, String> env = Map.of("API_TOKEN", "a-token-of-at-least-thirty-two-chars-0123456789");
        long before = YamlTree.documentsRead();

        MonitorConfig config = ConfigLoader.load(file);
        List<Silence> silences = OperatorConfigLoader.silences(file, Set.of("liaison-office"));
        boolean api = OperatorConfigLoader.api(file, env::get).isPresent();
        boolean signing = OperatorConfigLoader.signing(file, env::get) == org.hotlinemonitor.core.codec.SigningConfig.NONE;
        boolean notify = NotifyConfigLoader.load(file, Set.of("liaison-office"), env::get).isEmpty();
        boolean kafka = KafkaConfigLoader.load(file, env::get) == KafkaConfigLoader.KafkaSection.NONE;

        assertThat(YamlTree.documentsRead() - before).isEqualTo(1);
        assertThat(config.channels()).hasSize(1);
        assertThat(silences).extracting(Silence::id).containsExactly("upgrade");
        assertThat(List.of(api, signing, notify, kafka)).containsOnly(true);
    }

    @Test
    void aFileChangedOnDiskIsReadAgain() throws Exception {
        Path file = write("channels.yaml", WITH_SECTIONS);
        ConfigLoader.load(file);
        write("channels.yaml", WITH_SECTIONS.replace("upgrade", "repairs-and-more"));
        long before = YamlTree.documentsRead();

        List<Silence> silences = OperatorConfigLoader.silences(file, Set.of("liaison-office"));

        assertThat(YamlTree.documentsRead() - before).isEqualTo(1);
        assertThat(silences).extracting(Silence::id).containsExactly("repairs-and-more");
    }

    @Test
    void aDirectoryOfFilesIsOneSetOfChannelsWithDefaultsPerFileAndSectionsFromTheFileThatHasThem() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("10-korea.yaml"), """
                defaults:
                  zone: Asia/Seoul
                  downAfter: 3
                allowedLateness: PT5M
                channels:
                  - id: liaison-office
                    checks: ['09:00', '17:00']
                """);
        Files.writeString(conf.resolve("20-usa.yml"), """
                channels:
                  - id: hourly
                    zone: America/New_York
                    cron: "0 * * * *"
                silences:
                  - id: upgrade
                    channels: [liaison-office]
                    start: 2023-04-07T00:00:00Z
                    end: 2023-04-07T02:00:00Z
                """);
        Files.writeString(conf.resolve("notes.txt"), "not a channel file: ignored");
        Files.createDirectory(conf.resolve("old.yaml")); // a directory, not a file: ignored

        MonitorConfig config = ConfigLoader.load(conf);
        List<Silence> silences = OperatorConfigLoader.silences(conf, Set.of("liaison-office", "hourly"));

        assertThat(config.channels()).extracting(Channel::id).containsExactly("liaison-office", "hourly");
        assertThat(config.channel("liaison-office").downAfter()).isEqualTo(3);
        assertThat(config.channel("hourly").downAfter()).isEqualTo(ConfigLoader.DEFAULT_DOWN_AFTER); // not the other file's
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(silences).extracting(Silence::id).containsExactly("upgrade");
    }

    @Test
    void aDuplicateIdAcrossFilesNamesBothFilesAndLines() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("a.yaml"), """
                channels:
                  - id: other
                    zone: UTC
                    checks: ['09:00']
                  - id: shared
                    zone: UTC
                    checks: ['09:00']
                """);
        Files.writeString(conf.resolve("b.yaml"), """
                channels:
                  - id: shared
                    zone: UTC
                    checks: ['10:00']
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(conf));

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                conf.resolve("b.yaml") + ":2:9: channels[0].id: duplicate id 'shared', first used at "
                        + conf.resolve("a.yaml") + ":5");
    }

    @Test
    void aBadChannelInTheSecondFileIsReportedWithThatFilesNameAndLine() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("a.yaml"), """
                channels:
                  - id: fine
                    zone: UTC
                    checks: ['09:00']
                """);
        Files.writeString(conf.resolve("b.yaml"), """
                # the second file
                channels:
                  - id: broken
                    zone: Asia/Seol
                    checks: ['09:00']
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(conf));

        assertThat(e.problems()).hasSize(1);
        ConfigProblem problem = e.problems().get(0);
        assertThat(problem.file()).isEqualTo(conf.resolve("b.yaml").toString());
        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.field()).isEqualTo("channels[0].zone");
        assertThat(problem.message()).startsWith("unknown time zone 'Asia/Seol'");
    }

    @Test
    void problemsOfADirectoryAreListedFileByFileAndASyntaxErrorDoesNotHideTheOtherFiles() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("a.yaml"), """
                channels:
                  - id: a
                    zone: UTC
                    checks: ['09:00'
                """);
        Files.writeString(conf.resolve("b.yaml"), """
                channels:
                  - id: b
                    checks: ['09:00']
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(conf));

        assertThat(e.problems()).extracting(ConfigProblem::file)
                .containsExactly(conf.resolve("a.yaml").toString(), conf.resolve("b.yaml").toString());
        assertThat(e.problems().get(0).message()).startsWith("YAML syntax error: ");
        assertThat(e.problems().get(1).toString()).endsWith("channels[0].zone: missing; set zone on the channel or in defaults");
        // A section of such a directory cannot be trusted: its loaders report the unreadable file.
        assertThat(catchThrowableOfType(ConfigException.class, () -> OperatorConfigLoader.silences(conf, null)).problems())
                .extracting(ConfigProblem::file).containsExactly(conf.resolve("a.yaml").toString());
    }

    @Test
    void aTopLevelSettingInTwoFilesIsAProblemNamingBoth() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("a.yaml"), """
                allowedLateness: PT5M
                channels:
                  - id: a
                    zone: UTC
                    checks: ['09:00']
                """);
        Files.writeString(conf.resolve("b.yaml"), """
                channels:
                  - id: b
                    zone: UTC
                    checks: ['09:00']
                allowedLateness: PT1M
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(conf));

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                conf.resolve("b.yaml") + ":5:1: allowedLateness: 'allowedLateness' is set in " + conf.resolve("a.yaml")
                        + ":1 too; in a directory of channel files, each top-level setting other than channels and "
                        + "defaults belongs in one file");
    }

    @Test
    void aDirectoryWithoutChannelFilesOrChannelsIsAProblem() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path settingsOnly = Files.createDirectory(dir.resolve("settings-only"));
        Files.writeString(settingsOnly.resolve("a.yaml"), "allowedLateness: PT5M\n");

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(empty)).getMessage())
                .contains("no channel files: the directory has no *.yaml, *.yml or *.json file");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(settingsOnly)).getMessage())
                .contains("no channels: none of the directory's files lists any");
    }

    private static Path repositoryFile(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
