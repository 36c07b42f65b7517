package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user runs it: exit codes, outputs, and what bad input tells the user. */
class CliTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHANNELS = ROOT.resolve("examples/channels.yaml");
    static final Path LOG = ROOT.resolve("examples/april-2023.jsonl");
    static final Path EXPECTED = ROOT.resolve("monitor-core/src/test/resources/golden/april-2023/expected-alerts.jsonl");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        return runWithStdin(InputStream.nullInputStream(), args);
    }

    static synchronized Result runWithStdin(InputStream stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(stdin);
            int code = Main.run(args);
            System.out.flush();
            System.err.flush();
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("replay", "generate", "Exit codes", "3   bad input");
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("hotline-monitor ").doesNotContain("unknown");
        assertThat(run("replay", "--help").out()).contains("--channels", "--until", "--strict", "--rejects-out");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no command                | ''
            unknown option            | replay --bogus
            missing --channels        | replay x.jsonl
            bad --format              | replay --channels CHANNELS --format xml LOG
            bad --until               | replay --channels CHANNELS --until yesterday LOG
            unknown command           | frobnicate
            bad --instance-id         | detect --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --instance-id a/b
            too short --session-timeout | detect --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --session-timeout PT2S
            bad --channel-metrics     | detect --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --channel-metrics some
            bad run --channel-metrics | run --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --channel-metrics not_up
            negative --allowed-lateness | detect --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --allowed-lateness -PT1S
            zero --backlog-threshold  | run --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --backlog-threshold PT0S
            bad --backlog-threshold   | detect --bootstrap-servers 127.0.0.1:1 --channels CHANNELS --backlog-threshold 24h
            """)
    void usageErrorsExitWith2(String name, String args) {
        String[] argv = args.isBlank() ? new String[0]
                : args.replace("CHANNELS", CHANNELS.toString()).replace("LOG", LOG.toString()).split(" ");
        Result r = run(argv);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("error: ").contains("--help").hasLineCount(1).doesNotContain("Usage:");
    }

    @Test
    void aBadChannelMetricsModeNamesTheOptionItsVariableAndTheModes() {
        Result r = run("detect", "--bootstrap-servers", "127.0.0.1:1", "--channels", CHANNELS.toString(), "--channel-metrics", "some");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--channel-metrics (or HOTLINE_CHANNEL_METRICS) must be all, none or failing, was 'some'");
        Result onRun = run("run", "--bootstrap-servers", "127.0.0.1:1", "--channels", CHANNELS.toString(), "--channel-metrics", "not_up");
        assertThat(onRun.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(onRun.err()).contains("--channel-metrics (or HOTLINE_CHANNEL_METRICS) must be all, none or failing, was 'not_up'");
        assertThat(run("run", "--help").out()).contains("--channel-metrics=MODE", "HOTLINE_CHANNEL_METRICS");
        assertThat(run("detect", "--help").out()).contains("--channel-metrics=MODE");
    }

    @Test
    void aMistypedOptionOrCommandIsOneLineWithTheClosestValidOne() {
        Result option = run("replay", "--channels", CHANNELS.toString(), "--untill", "2023-04-10T00:00:00Z", LOG.toString());
        assertThat(option.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).isEqualTo("error: Unknown option: '--untill'; did you mean --until? "
                + "(hotline-monitor replay --help for the options)" + System.lineSeparator());
        Result command = run("replya", "--channels", CHANNELS.toString());
        assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(command.err()).hasLineCount(1).contains("did you mean replay?", "hotline-monitor --help");
    }

    @Test
    void replayReadsADirectoryOfChannelFilesAndNamesTheFilesOfADuplicateId() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("channels.d"));
        Files.copy(CHANNELS, dir.resolve("10-example.yaml"));
        Result r = run("replay", "--channels", dir.toString(), "--report-out", tmp.resolve("report.md").toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).isEqualTo(Files.readAllLines(EXPECTED));

        Files.writeString(dir.resolve("20-more.json"), "{\"channels\": [{\"id\": \"liaison-office\", \"zone\": \"UTC\", \"checks\": [\"09:00\"]}]}\n");
        Result duplicate = run("replay", "--channels", dir.toString(), LOG.toString());
        assertThat(duplicate.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(duplicate.err()).containsPattern(java.util.regex.Pattern.quote(dir.resolve("20-more.json") + ":1:")
                + "\\d+: channels\\[0\\]\\.id: duplicate id 'liaison-office', first used at "
                + java.util.regex.Pattern.quote(dir.resolve("10-example.yaml") + ":") + "\\d+");
    }

    @Test
    void replayOfTheBundledExampleGivesTheGoldenAlertsOnStdoutAndTheReportOnStderr() throws Exception {
        Path rejects = tmp.resolve("rejects.jsonl");
        Result r = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", rejects.toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).isEqualTo(Files.readAllLines(EXPECTED));
        assertThat(r.err()).contains("# Replay report", "| liaison-office | DOWN |", "ongoing", "| ship-to-ship | 2023-04-04T00:00:00Z");
        assertThat(rejects).doesNotExist();
    }

    @Test
    void oneLineStampedAYearAheadIsRefusedAsAnOutlierAndTheAlertsStayTheSame() throws Exception {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(LOG));
        String original = lines.get(499);
        assertThat(original).contains("\"channel\":\"moscow-washington\"", "\"ts\":\"2023-04-07T06:00:45Z\"");
        // A valid-looking line: an hourly slot of its channel, answered 45 s after it, a year on.
        String ahead = original.replace("2023-04-07", "2024-04-07");
        lines.add(500, ahead);
        Path log = tmp.resolve("april-with-outlier.jsonl");
        Files.write(log, lines);
        Path rejects = tmp.resolve("rejects.jsonl");
        Path report = tmp.resolve("report.md");

        Result r = run("replay", "--channels", CHANNELS.toString(), "--rejects-out", rejects.toString(),
                "--report-out", report.toString(), log.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.out().lines().toList()).isEqualTo(Files.readAllLines(EXPECTED)).hasSize(15);
        assertThat(Files.readString(report)).startsWith("# Replay report\n\n**1 input record(s) refused**")
                .contains("- Time: 2023-04-03T00:00:00Z to 2023-04-12T00:00:00Z");
        assertThat(r.err()).contains("1 line(s) refused (outlier: 1)");
        List<String> kept = Files.readAllLines(rejects);
        assertThat(kept).singleElement().satisfies(k -> {
            JsonNode j = new ObjectMapper().readTree(k);
            assertThat(j.get("line").asInt()).isEqualTo(501);
            assertThat(j.get("reason").asText()).isEqualTo("outlier");
            assertThat(j.get("field").asText()).isEqualTo("ts");
            assertThat(j.get("message").asText()).contains("2024-04-07T06:00:45Z", "P1D", "2023-04-12T00:00:00Z");
            assertThat(j.get("raw").asText()).isEqualTo(ahead);
        });

        Result unbounded = run("replay", "--channels", CHANNELS.toString(), "--max-jump", "P3650D",
                "--rejects-out", tmp.resolve("none.jsonl").toString(), "--report-out", tmp.resolve("r.md").toString(),
                log.toString());
        assertThat(unbounded.out().lines().toList()).as("without the bound the line ends the replay a year later")
                .isNotEqualTo(Files.readAllLines(EXPECTED));

        Result bad = run("replay", "--channels", CHANNELS.toString(), "--max-jump", "PT0S", log.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--max-jump must be positive");
    }

    @Test
    void outputsGoToFilesAndTheJsonReportParses() throws Exception {
        Path alerts = tmp.resolve("alerts.jsonl");
        Path report = tmp.resolve("report.json");
        Result r = run("replay", "--channels", CHANNELS.toString(), "--alerts-out", alerts.toString(),
                "--report-out", report.toString(), "--report-format", "json", LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllLines(alerts)).isEqualTo(Files.readAllLines(EXPECTED));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/input/events").asLong()).isEqualTo(1036);
        JsonNode ship = json.at("/channels/3");
        assertThat(ship.get("id").asText()).isEqualTo("ship-to-ship");
        assertThat(ship.at("/missed/LINE_FAULT").asInt()).isEqualTo(2);
        assertThat(ship.at("/outages/0/end").asText()).isEqualTo("2023-04-05T07:20:00Z");
        assertThat(ship.at("/outages/0/duration").asText()).isEqualTo("PT31H20M");
        assertThat(json.at("/channels/0/outages/0/end").asText()).isEqualTo("ongoing");
    }

    @Test
    void gzipAndStandardInputGiveTheSameAlerts() throws Exception {
        Path gz = tmp.resolve("april.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(LOG, out);
        }
        List<String> expected = Files.readAllLines(EXPECTED);
        Result fromGz = run("replay", "--channels", CHANNELS.toString(), gz.toString());
        assertThat(fromGz.out().lines().toList()).isEqualTo(expected);
        Result fromStdin = runWithStdin(new ByteArrayInputStream(Files.readAllBytes(gz)),
                "replay", "--channels", CHANNELS.toString(), "-");
        assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
        assertThat(fromStdin.out().lines().toList()).isEqualTo(expected);
    }

    @Test
    void csvInput() throws Exception {
        Path dir = ROOT.resolve("monitor-core/src/test/resources/golden/csv-input");
        Path csvWithOtherName = tmp.resolve("calls.txt");
        Files.copy(dir.resolve("input.csv"), csvWithOtherName);
        Result r = run("replay", "--channels", dir.resolve("channels.yaml").toString(), "--format", "csv",
                "--rejects-out", tmp.resolve("rejects.jsonl").toString(), csvWithOtherName.toString());
        assertThat(r.code()).as("one late line in the golden input: " + r.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.out().lines().toList()).isEqualTo(Files.readAllLines(dir.resolve("expected-alerts.jsonl")));
    }

    @Test
    void badLinesAreKeptWithFileLineFieldAndReasonAndTheReplayGoesOn() throws Exception {
        Path dir = ROOT.resolve("monitor-core/src/test/resources/golden/lateness-and-rejects");
        Path input = dir.resolve("input.jsonl");
        Path rejects = tmp.resolve("rejects.jsonl");
        Result r = run("replay", "--channels", dir.resolve("channels.yaml").toString(), "--rejects-out", rejects.toString(),
                "--report-out", tmp.resolve("report.md").toString(), input.toString());
        assertThat(r.code()).as("a replay that refused lines says so in its exit code: " + r.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Files.readString(tmp.resolve("report.md"))).as("and at the top of its report")
                .startsWith("# Replay report\n\n**6 input record(s) refused**");
        assertThat(r.out().lines()).hasSize(4);
        assertThat(r.err()).contains("6 line(s) refused", "late: 1", "unknown-channel: 1", rejects.toString());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> kept = Files.readAllLines(rejects).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(kept).extracting(n -> n.get("file").asText()).containsOnly(input.toString());
        assertThat(kept).extracting(n -> n.get("line").asInt() + " " + n.get("reason").asText() + " " + n.path("field").asText("-"))
                .containsExactly("7 invalid-field kind", "8 invalid-field ts", "9 unknown-channel channel", "10 malformed -",
                        "11 not-a-slot slot", "13 late ts");
        assertThat(kept.get(0).get("message").asText()).contains("field 'kind'", "unknown kind 'ANSWER'");
        assertThat(kept.get(1).get("message").asText()).contains("field 'ts'");
        assertThat(kept.get(2).get("message").asText()).contains("unknown channel 'bravo'");
        assertThat(kept.get(3).get("message").asText()).contains("malformed JSON");
        assertThat(kept.get(0).get("raw").asText()).isEqualTo(Files.readAllLines(input).get(6));
        assertThat(Files.readString(tmp.resolve("report.md"))).contains("6 rejected", "late: 1", "malformed: 1");
    }

    @Test
    void strictStopsAtTheFirstBadLineWithExitCode3NamingFileAndLine() {
        Path dir = ROOT.resolve("monitor-core/src/test/resources/golden/lateness-and-rejects");
        Path input = dir.resolve("input.jsonl");
        Result r = run("replay", "--strict", "--channels", dir.resolve("channels.yaml").toString(),
                "--rejects-out", tmp.resolve("rejects.jsonl").toString(), input.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains(input + ":7:", "field 'kind'", "unknown kind 'ANSWER'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown zone         | channels:\\n  - id: a\\n    zone: Asia/Seol\\n    checks: ['09:00']\\n                                              | :3:11: channels[0].zone | Asia/Seol
            negative answerWithin | channels:\\n  - id: a\\n    zone: UTC\\n    checks: ['09:00']\\n    answerWithin: PT-5M\\n                 | :5:19: channels[0].answerWithin | must be positive
            duplicate ids        | channels:\\n  - id: a\\n    zone: UTC\\n    checks: ['09:00']\\n  - id: a\\n    zone: UTC\\n    checks: ['10:00']\\n | :5:9: channels[1].id | duplicate
            bad YAML             | channels:\\n  - id: a\\n    zone: [UTC\\n                                                                     | :4:1: | flow sequence (line 3, column 11)
            """)
    void badConfigurationExitsWith3NamingFileLineAndField(String name, String yaml, String where, String what) throws Exception {
        Path channels = tmp.resolve("channels.yaml");
        Files.writeString(channels, yaml.replace("\\n", "\n"));
        Result r = run("replay", "--channels", channels.toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("invalid channel configuration", channels + where.trim().replaceFirst("^channels\\.yaml", ""));
        if (!what.isBlank()) {
            assertThat(r.err()).contains(what.trim());
        }
    }

    @Test
    void missingInputsExitWith3() {
        Result noLog = run("replay", "--channels", CHANNELS.toString(), tmp.resolve("nope.jsonl").toString());
        assertThat(noLog.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noLog.err()).contains("nope.jsonl", "no such file");
        Result noConfig = run("replay", "--channels", tmp.resolve("nope.yaml").toString(), LOG.toString());
        assertThat(noConfig.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noConfig.err()).contains("nope.yaml");
    }

    @Test
    void untilLeavesLaterDeadlinesPendingAndRefusesLaterEvents() throws Exception {
        Result r = run("replay", "--channels", CHANNELS.toString(), "--until", "2023-04-08T00:30:00Z",
                "--rejects-out", tmp.resolve("rejects.jsonl").toString(), LOG.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.REFUSED);
        // The military lines' second miss (deadline 04-08 01:00Z) is after the end: pending, not missed.
        assertThat(r.out()).contains("east-coast-military/SLOT_MISSED/2023-04-07T07:00:00Z")
                .doesNotContain("CHANNEL_DOWN/2023-04-07T07:00:00Z", "liaison-office/CHANNEL_DOWN");
        assertThat(r.err()).contains("beyond-until");
    }

    @Test
    void generateIsDeterministicAndReplayable() throws Exception {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl.gz");
        Path config = tmp.resolve("gen.yaml");
        assertThat(run("generate", "--channels", "20", "--days", "30", "--seed", "7", "--out", a.toString(),
                "--config-out", config.toString()).code()).isZero();
        assertThat(run("generate", "--channels", "20", "--days", "30", "--seed", "7", "--out", b.toString(),
                "--config-out", tmp.resolve("gen2.yaml").toString()).code()).isZero();
        Result fromPlain = run("replay", "--channels", config.toString(), a.toString());
        Result fromGz = run("replay", "--channels", config.toString(), b.toString());
        assertThat(fromPlain.code()).as(fromPlain.err()).isZero();
        assertThat(fromPlain.out()).isEqualTo(fromGz.out()).contains("CHANNEL_DOWN", "SLOT_MISSED", "CALL_NOT_PLACED");
        assertThat(fromPlain.err()).contains("0 rejected");
        assertThat(Files.readString(tmp.resolve("gen2.yaml"))).isEqualTo(Files.readString(config));
    }
}
