package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code record} as an operator meets it: what it refuses and why, before any broker is contacted
 * (the bootstrap address below does not exist). Producing for real: {@code RecordCommandKafkaTest}.
 */
class RecordCommandTest {

    static final String CHANNELS = CliTest.CHANNELS.toString();
    static final String NOWHERE = "localhost:1";

    @TempDir
    Path tmp;

    static String[] args(String line) {
        return ("record --bootstrap-servers " + NOWHERE + " --channels " + CHANNELS + " " + line).trim().split(" +");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown channel             | --channel liason-office --answered --at 2023-04-07T00:01:00Z                                  | --channel: unknown channel 'liason-office' (configured: liaison-office, east-coast-military,
            not a slot                  | --channel liaison-office --answered --at 2023-04-07T00:01:00Z --slot 2023-04-07T01:00:00Z      | --slot: 2023-04-07T01:00:00Z is not a slot of liaison-office; its slots on 2023-04-07 (Asia/Seoul) are 2023-04-07T00:00:00Z, 2023-04-07T08:00:00Z
            not a check day             | --channel liaison-office --no-answer --at 2023-04-08T00:01:00Z --slot 2023-04-08T00:00:00Z     | --slot: 2023-04-08T00:00:00Z is not a slot of liaison-office; its slots on 2023-04-08 (Asia/Seoul): none
            slot long after at          | --channel liaison-office --answered --at 2023-04-06T08:00:00Z --slot 2023-04-07T00:00:00Z      | --slot: 2023-04-07T00:00:00Z is more than its answer window (PT1H) after --at 2023-04-06T08:00:00Z: the detector would refuse the event as too early
            at in the future            | --channel liaison-office --line-fault --at 2999-01-01T00:00:00Z                               | --at: 2999-01-01T00:00:00Z is in the future (now is
            blank source                | --channel liaison-office --answered --at 2023-04-07T00:01:00Z --source=                        | --source: must not be blank
            """)
    void badInputExitsWith3NamingTheField(String name, String line, String message) {
        Result r = CliTest.run(args(line));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("error: " + message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aNoteTooLongIsRefused() {
        Result r = CliTest.run(args("--channel liaison-office --answered --at 2023-04-07T00:01:00Z --note " + "x".repeat(1001)));
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("error: --note: at most 1000 characters, was 1001");
    }

    @Test
    void aSigningKeyTooShortIsBadInputAndNotShown() throws Exception {
        Path key = tmp.resolve("short.key");
        Files.writeString(key, "only-twenty-bytes-xx\n");
        Result r = CliTest.run(args("--channel liaison-office --answered --at 2023-04-07T00:01:00Z --source field-1 --signing-key " + key));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("bad signing key file " + key + ": the signing key of source 'field-1' has 20 bytes; at least 32")
                .doesNotContain("only-twenty");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadChannelFileIsBadInput() throws Exception {
        Path bad = tmp.resolve("channels.yaml");
        Files.writeString(bad, "channels:\n  - id: x\n    zone: Asia/Seol\n    checks: ['09:00']\n");
        Result r = CliTest.run("record", "--bootstrap-servers", NOWHERE, "--channels", bad.toString(), "--channel", "x", "--answered");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("invalid channel configuration", "channels[0].zone: unknown time zone 'Asia/Seol'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no outcome          | --channel liaison-office
            two outcomes        | --channel liaison-office --answered --no-answer
            no channel          | --answered
            malformed --at      | --channel liaison-office --answered --at yesterday
            malformed --timeout | --channel liaison-office --answered --timeout soon
            timeout too short   | --channel liaison-office --answered --timeout PT1S
            """)
    void usageErrorsExitWith2(String name, String line) {
        Result r = CliTest.run(args(line));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isNotBlank();
    }

    @Test
    void withoutBootstrapServersItIsAUsageError() {
        assumeTrue(System.getenv("HOTLINE_BOOTSTRAP_SERVERS") == null, "HOTLINE_BOOTSTRAP_SERVERS is set here");
        Result r = CliTest.run("record", "--channels", CHANNELS, "--channel", "liaison-office", "--answered");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS)");
    }

    @Test
    void anUnreachableClusterIsAFailureAfterTheTimeout() {
        Result r = CliTest.run(args("--channel liaison-office --answered --at 2023-04-07T00:01:00Z --timeout PT2S"));
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("error: no answer from the Kafka cluster at localhost:1 within PT2S");
        assertThat(r.err()).as("one line, no stack trace").doesNotContain("\tat ", "Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpListsTheOptions() {
        assertThat(CliTest.run("--help").out()).contains("record");
        assertThat(CliTest.run("record", "--help").out())
                .contains("--bootstrap-servers", "HOTLINE_BOOTSTRAP_SERVERS", "--answered", "--no-answer", "--line-fault", "--slot", "--at", "--note");
    }
}
