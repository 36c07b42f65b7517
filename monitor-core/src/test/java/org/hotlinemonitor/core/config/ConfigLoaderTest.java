package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final String FILE = "channels.yaml";
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** The five inter-Korean lines, as they are really checked, and an hourly line in New York. */
    private static final String VALID = """
            defaults:
              answerWithin: PT1H
              downAfter: 2
            allowedLateness: PT5M
            silentAfter: PT2M
            maxJump: P2D
            channels:
              - id: liaison-office
                name: Inter-Korean liaison office line
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
                days: [MON, TUE, WED, THU, FRI]
              - id: east-coast-military
                name: East coast military communication line
                zone: Asia/Seoul
                checks: ['09:00', '16:00']
              - id: west-coast-military
                zone: Asia/Seoul
                cron: "0 9,16 * * *"
                answerWithin: PT30M
              - id: ship-to-ship
                name: Ship-to-ship radio
                zone: Asia/Seoul
                checks: ['09:00']
                downAfter: 3
              - id: unc-pink-phone
                name: UN Command pink phone
                zone: Asia/Seoul
                checks: ['09:30', '15:30']
              - id: hourly-test
                name: Hourly test line
                zone: America/New_York
                cron: "0 * * * *"
                answerWithin: PT10M
            """;

    private static MonitorConfig load(String yaml) throws ConfigException {
        return ConfigLoader.load(FILE, new StringReader(yaml));
    }

    private static List<ConfigProblem> problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> load(yaml)).problems();
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    // ---- valid files ----

    @Test
    void loadsTheRealLines() throws ConfigException {
        MonitorConfig config = load(VALID);

        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.silentAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.maxJump()).isEqualTo(Duration.ofDays(2));
        assertThat(config.channels()).extracting(Channel::id).containsExactly(
                "liaison-office", "east-coast-military", "west-coast-military", "ship-to-ship", "unc-pink-phone",
                "hourly-test");
        assertThat(config.channels()).extracting(Channel::name).containsExactly(
                "Inter-Korean liaison office line", "East coast military communication line", "west-coast-military",
                "Ship-to-ship radio", "UN Command pink phone", "Hourly test line");
        assertThat(config.channels()).extracting(Channel::zone).containsExactly(
                SEOUL, SEOUL, SEOUL, SEOUL, SEOUL, NEW_YORK);
        assertThat(config.channels()).extracting(Channel::answerWithin).containsExactly(
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofMinutes(10));
        assertThat(config.channels()).extracting(Channel::downAfter).containsExactly(2, 2, 2, 3, 2, 2);
        assertThat(config.channels()).extracting(c -> c.schedule().toString()).containsExactly(
                "checks 09:00,17:00 on MON-FRI (Asia/Seoul)",
                "checks 09:00,16:00 every day (Asia/Seoul)",
                "cron \"0 9,16 * * *\" (Asia/Seoul)",
                "checks 09:00 every day (Asia/Seoul)",
                "checks 09:30,15:30 every day (Asia/Seoul)",
                "cron \"0 * * * *\" (America/New_York)");
    }

    @Test
    void theRealLinesFireAtTheirLocalTimes() throws ConfigException {
        MonitorConfig config = load(VALID);
        LocalDate friday = LocalDate.of(2024, 3, 15);
        LocalDate saturday = LocalDate.of(2024, 3, 16);

        // Seoul is UTC+9 all year.
        assertThat(config.channel("liaison-office").schedule().slotsOn(friday))
                .containsExactly(at("2024-03-15T00:00:00Z"), at("2024-03-15T08:00:00Z"));
        assertThat(config.channel("liaison-office").schedule().slotsOn(saturday)).isEmpty();
        assertThat(config.channel("east-coast-military").schedule().slotsOn(saturday))
                .containsExactly(at("2024-03-16T00:00:00Z"), at("2024-03-16T07:00:00Z"));
        assertThat(config.channel("west-coast-military").schedule().slotsOn(saturday))
                .containsExactly(at("2024-03-16T00:00:00Z"), at("2024-03-16T07:00:00Z"));
        assertThat(config.channel("ship-to-ship").schedule().slotsOn(saturday))
                .containsExactly(at("2024-03-16T00:00:00Z"));
        assertThat(config.channel("unc-pink-phone").schedule().slotsOn(saturday))
                .containsExactly(at("2024-03-16T00:30:00Z"), at("2024-03-16T06:30:00Z"));
        // New York springs forward on 2024-03-10: the 02:00 check falls in the gap and is the 03:00 slot.
        assertThat(config.channel("hourly-test").schedule().slotsOn(LocalDate.of(2024, 3, 10))).hasSize(23);
        assertThat(config.channel("hourly-test").schedule().slotsOn(saturday)).hasSize(24);
    }

    @Test
    void channelsFallBackToDefaultsAndThenToBuiltInDefaults() throws ConfigException {
        MonitorConfig config = load("""
                defaults:
                  zone: Asia/Seoul
                  downAfter: 4
                channels:
                  - id: a
                    checks: ['09:00']
                  - id: b
                    zone: Europe/London
                    checks: ['09:00']
                    downAfter: 1
                    answerWithin: PT2H
                """);

        Channel a = config.channel("a");
        Channel b = config.channel("b");
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.zone()).isEqualTo(SEOUL);
        assertThat(a.downAfter()).isEqualTo(4);
        assertThat(a.answerWithin()).isEqualTo(ConfigLoader.DEFAULT_ANSWER_WITHIN).isEqualTo(Duration.ofHours(1));
        assertThat(b.zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(b.downAfter()).isEqualTo(1);
        assertThat(b.answerWithin()).isEqualTo(Duration.ofHours(2));
        assertThat(config.allowedLateness()).isNull();
        assertThat(config.silentAfter()).as("the our-side silence rule is off unless set").isNull();
        assertThat(config.maxJump()).isNull();
    }

    @Test
    void anAnswerWindowOfADayIsTheLongestAccepted() throws ConfigException {
        Channel channel = load("""
                channels:
                  - {id: a, zone: UTC, checks: ['09:00'], answerWithin: P1D}
                """).channel("a");
        assertThat(channel.answerWithin()).isEqualTo(Channel.MAX_ANSWER_WITHIN).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> new Channel("b", null, channel.schedule(), Duration.ofDays(1).plusMillis(1), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("answerWithin must be at most PT24H (P1D), was PT24H0.001S");
    }

    @Test
    void withoutDefaultsTheBuiltInsApply() throws ConfigException {
        Channel channel = load("""
                channels:
                  - {id: a, zone: UTC, checks: ['09:00']}
                """).channel("a");

        assertThat(channel.answerWithin()).isEqualTo(Duration.ofHours(1));
        assertThat(channel.downAfter()).isEqualTo(ConfigLoader.DEFAULT_DOWN_AFTER).isEqualTo(2);
    }

    @ParameterizedTest(name = "days {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [MON-FRI]                    | checks 09:00 on MON-FRI
            [MON, TUE, WED, THU, FRI]    | checks 09:00 on MON-FRI
            [monday, Wednesday, FRI]     | checks 09:00 on MON,WED,FRI
            [Monday-Wednesday, fri-sun]  | checks 09:00 on MON-WED,FRI-SUN
            [SAT, SUN]                   | checks 09:00 on SAT,SUN
            [SUN, SAT]                   | checks 09:00 on SAT,SUN
            [TUE]                        | checks 09:00 on TUE
            ['mon - thu']                | checks 09:00 on MON-THU
            [MON-SUN]                    | checks 09:00 every day
            [MON-THU, FRI, SAT-SUN]      | checks 09:00 every day
            """)
    void acceptsDayNamesAndRanges(String days, String description) throws ConfigException {
        Channel channel = load("channels:\n  - {id: a, zone: UTC, checks: ['09:00'], days: " + days + "}\n").channel("a");

        assertThat(channel.schedule()).hasToString(description + " (UTC)");
    }

    @Test
    void daysRestrictTheSchedule() throws ConfigException {
        Channel weekly = load("channels:\n  - {id: a, zone: Asia/Karachi, checks: ['10:00'], days: [TUE]}\n")
                .channel("a");

        // Karachi is UTC+5; 2024-03-12 is a Tuesday.
        assertThat(weekly.schedule().slotsBetween(at("2024-03-10T00:00:00Z"), at("2024-03-24T00:00:00Z")))
                .containsExactly(at("2024-03-12T05:00:00Z"), at("2024-03-19T05:00:00Z"));
    }

    @Test
    void acceptsCheckTimesWithSecondsAndSortsThem() throws ConfigException {
        Channel channel = load("channels:\n  - {id: a, zone: UTC, checks: ['17:00', '09:00:30', 08:15]}\n")
                .channel("a");

        assertThat(channel.schedule()).hasToString("checks 08:15,09:00:30,17:00 every day (UTC)");
    }

    @Test
    void scalarsThatYamlReadsAsNumbersOrBooleansAreTakenAsWritten() throws ConfigException {
        // YAML 1.1 reads NO as false and 2024 as a number; an id or a name means the text.
        Channel channel = load("channels:\n  - {id: 2024, name: NO, zone: UTC, checks: ['09:00']}\n").channel("2024");

        assertThat(channel.name()).isEqualTo("NO");
    }

    @Test
    void anEmptyDefaultsSectionIsAllowed() throws ConfigException {
        MonitorConfig config = load("defaults:\nchannels:\n  - {id: a, zone: UTC, checks: ['09:00']}\n");

        assertThat(config.channels()).hasSize(1);
    }

    // ---- problems, one per file, located exactly ----

    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("unknown channel key, with a suggestion", """
                        channels:
                          - id: a
                            zone: Asia/Seoul
                            checks: ['09:00']
                            zon: Asia/Seoul
                        """, 5, 5, "channels[0].zon", "unknown key 'zon' (did you mean 'zone'?)"),
                bad("unknown channel key, no suggestion", """
                        channels:
                          - id: a
                            zone: Asia/Seoul
                            checks: ['09:00']
                            colour: red
                        """, 5, 5, "channels[0].colour",
                        "unknown key 'colour'; expected one of id, name, zone, checks, days, cron, answerWithin, downAfter"),
                bad("unknown top-level key", """
                        allowedLatenes: PT5M
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 1, "allowedLatenes", "unknown key 'allowedLatenes' (did you mean 'allowedLateness'?)"),
                bad("channel setting at the top", """
                        zone: Asia/Seoul
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 1, "zone", "'zone' belongs under defaults or on a channel"),
                bad("schedule in defaults", """
                        defaults:
                          checks: ['09:00']
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 2, 3, "defaults.checks", "'checks' cannot have a default"),
                bad("top-level setting on a channel", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            allowedLateness: PT5M
                        """, 5, 5, "channels[0].allowedLateness", "is a top-level setting"),
                bad("duplicate key", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            zone: Asia/Seoul
                        """, 5, 5, "channels[0].zone", "duplicate key 'zone', first at line 3"),
                bad("alias", """
                        channels:
                          - id: a
                            zone: &z UTC
                            checks: ['09:00']
                          - id: b
                            zone: *z
                            checks: ['09:00']
                        """, 6, 11, "channels[1].zone", "YAML aliases are not supported"),
                bad("checks not a list", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: '09:00'
                        """, 4, 13, "channels[0].checks", "expected a list of check times like ['09:00', '17:00'], was '09:00'"),
                bad("name is a list", """
                        channels:
                          - id: a
                            name: [x]
                            zone: UTC
                            checks: ['09:00']
                        """, 3, 11, "channels[0].name", "expected a name, was a list"),
                bad("channel is not a mapping", """
                        channels:
                          - liaison-office
                        """, 2, 5, "channels[0]", "expected a channel (a mapping with id, zone, checks...), was 'liaison-office'"),
                bad("bad id", """
                        channels:
                          - id: Liaison Office
                            zone: UTC
                            checks: ['09:00']
                        """, 2, 9, "channels[0].id", "bad id 'Liaison Office'"),
                bad("id too long", "channels:\n  - {id: " + "x".repeat(65) + ", zone: UTC, checks: ['09:00']}\n",
                        2, 10, "channels[0].id", "bad id 'xxxx"),
                bad("missing id", """
                        channels:
                          - zone: UTC
                            checks: ['09:00']
                        """, 2, 5, "channels[0].id", "missing; every channel needs an id"),
                bad("duplicate id", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                          - id: b
                            zone: UTC
                            checks: ['09:00']
                          - id: a
                            zone: UTC
                            checks: ['10:00']
                        """, 8, 9, "channels[2].id", "duplicate id 'a', first used at line 2"),
                bad("unknown zone, with a suggestion", """
                        channels:
                          - id: a
                            zone: Asia/Seol
                            checks: ['09:00']
                        """, 3, 11, "channels[0].zone", "unknown time zone 'Asia/Seol' (did you mean 'Asia/Seoul'?)"),
                bad("unknown zone, wrong case", """
                        channels:
                          - id: a
                            zone: asia/seoul
                            checks: ['09:00']
                        """, 3, 11, "channels[0].zone", "unknown time zone 'asia/seoul' (did you mean 'Asia/Seoul'?)"),
                bad("unknown zone, no suggestion", """
                        channels:
                          - id: a
                            zone: Mars/Olympus_Mons
                            checks: ['09:00']
                        """, 3, 11, "channels[0].zone", "unknown time zone 'Mars/Olympus_Mons'; use an IANA zone id"),
                bad("a fixed offset is not a zone id", """
                        channels:
                          - id: a
                            zone: '+09:00'
                            checks: ['09:00']
                        """, 3, 11, "channels[0].zone", "unknown time zone '+09:00'"),
                bad("missing zone", """
                        channels:
                          - id: a
                            checks: ['09:00']
                        """, 2, 5, "channels[0].zone", "missing; set zone on the channel or in defaults"),
                bad("bad default zone is reported once, not again per channel", """
                        defaults:
                          zone: Asia/Seol
                        channels:
                          - id: a
                            checks: ['09:00']
                          - id: b
                            checks: ['09:00']
                        """, 2, 9, "defaults.zone", "unknown time zone 'Asia/Seol'"),
                bad("check time out of range", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00', '24:00']
                        """, 4, 23, "channels[0].checks[1]", "bad check time '24:00', expected HH:mm or HH:mm:ss"),
                bad("check time without a leading zero", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['9:00']
                        """, 4, 14, "channels[0].checks[0]", "bad check time '9:00'"),
                bad("check time in words", """
                        channels:
                          - id: a
                            zone: UTC
                            checks:
                              - noon
                        """, 5, 9, "channels[0].checks[0]", "bad check time 'noon'"),
                bad("duplicate check time", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00', '17:00', '09:00:00']
                        """, 4, 32, "channels[0].checks[2]", "duplicate check time 09:00"),
                bad("empty checks", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: []
                        """, 4, 13, "channels[0].checks", "no check times listed"),
                bad("unknown day", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: [MON, TUES]
                        """, 5, 17, "channels[0].days[1]", "unknown day 'TUES', expected MON..SUN or MONDAY..SUNDAY"),
                bad("unknown day in a range", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: [MON-FRY]
                        """, 5, 12, "channels[0].days[0]", "unknown day 'FRY'"),
                bad("day range backwards", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: [FRI-MON]
                        """, 5, 12, "channels[0].days[0]",
                        "day range 'FRI-MON' runs backwards; weeks run MON..SUN, so write it as FRI-SUN, MON"),
                bad("day listed twice", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: [MON-FRI, WED]
                        """, 5, 21, "channels[0].days[1]", "day WED is listed more than once"),
                bad("empty days", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: []
                        """, 5, 11, "channels[0].days", "no days listed"),
                bad("days not a list", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            days: MON-FRI
                        """, 5, 11, "channels[0].days", "expected a list of days like [MON-FRI] or [MON, WED], was 'MON-FRI'"),
                bad("bad duration", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            answerWithin: 1h
                        """, 5, 19, "channels[0].answerWithin", "bad duration '1h', expected ISO-8601 like PT1H"),
                bad("negative answer window", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            answerWithin: PT-5M
                        """, 5, 19, "channels[0].answerWithin", "answerWithin must be positive, was PT-5M"),
                bad("answer window over a day", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            answerWithin: P400D
                        """, 5, 19, "channels[0].answerWithin",
                        "answerWithin must be more than zero and at most P1D (PT24H: the scheduler reads a day back when it restarts), was P400D"),
                bad("answer window past the range of an instant", """
                        defaults:
                          answerWithin: PT100000000000H
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 2, 17, "defaults.answerWithin",
                        "answerWithin must be more than zero and at most P1D (PT24H: the scheduler reads a day back when it restarts), was PT100000000000H"),
                bad("zero answer window", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            answerWithin: PT0S
                        """, 5, 19, "channels[0].answerWithin", "answerWithin must be positive, was PT0S"),
                bad("zero default answer window", """
                        defaults:
                          answerWithin: PT0M
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 2, 17, "defaults.answerWithin", "answerWithin must be positive, was PT0S"),
                bad("downAfter zero", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            downAfter: 0
                        """, 5, 16, "channels[0].downAfter", "downAfter must be at least 1, was 0"),
                bad("default downAfter negative", """
                        defaults:
                          downAfter: -1
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 2, 14, "defaults.downAfter", "downAfter must be at least 1, was -1"),
                bad("downAfter fractional", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            downAfter: 2.5
                        """, 5, 16, "channels[0].downAfter", "downAfter must be a whole number, was 2.5"),
                bad("downAfter in words", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            downAfter: two
                        """, 5, 16, "channels[0].downAfter", "downAfter must be a whole number, was 'two'"),
                bad("downAfter beyond an int", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            downAfter: 3000000000
                        """, 5, 16, "channels[0].downAfter", "downAfter is too large: 3000000000"),
                bad("negative allowed lateness", """
                        allowedLateness: PT-1M
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 18, "allowedLateness", "allowedLateness must not be negative, was PT-1M"),
                bad("allowed lateness in words", """
                        allowedLateness: 5 minutes
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 18, "allowedLateness", "bad duration '5 minutes', expected ISO-8601 like PT5M"),
                bad("zero silentAfter", """
                        silentAfter: PT0S
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 14, "silentAfter", "silentAfter must be positive, was PT0S"),
                bad("zero maxJump", """
                        maxJump: PT0S
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        """, 1, 10, "maxJump", "maxJump must be positive, was PT0S"),
                bad("silentAfter on a channel", """
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00'], silentAfter: PT1M}
                        """, 2, 43, "channels[0].silentAfter", "is a top-level setting"),
                bad("the reserved id our-side", """
                        channels:
                          - {id: our-side, zone: UTC, checks: ['09:00']}
                        """, 2, 10, "channels[0].id", "the id 'our-side' is reserved for alerts about our own side"),
                bad("cron field out of range", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 25 * * *"
                        """, 4, 11, "channels[0].cron",
                        "cron field 'hour' value 25 is out of range 0-23 in \"0 25 * * *\""),
                bad("cron with a bad day name", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 9 * * MONDAY"
                        """, 4, 11, "channels[0].cron", "cron field 'day-of-week' value 'MONDAY'"),
                bad("cron with an occurrence out of range", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 9 * * 1#6"
                        """, 4, 11, "channels[0].cron",
                        "cron field 'day-of-week' occurrence 6 in '1#6' is out of range 1-5 in \"0 9 * * 1#6\""),
                bad("cron with an unsupported macro", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "@reboot"
                        """, 4, 11, "channels[0].cron", "cron macro \"@reboot\" is not supported"),
                bad("cron with six fields", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 0 9 * * *"
                        """, 4, 11, "channels[0].cron", "must have 5 fields"),
                bad("cron that never fires", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 9 30 2 *"
                        """, 4, 11, "channels[0].cron", "cron \"0 9 30 2 *\" never fires"),
                bad("cron and checks", """
                        channels:
                          - id: a
                            zone: UTC
                            checks: ['09:00']
                            cron: "0 9 * * *"
                        """, 5, 5, "channels[0].cron", "cannot be combined with checks"),
                bad("cron and days", """
                        channels:
                          - id: a
                            zone: UTC
                            cron: "0 9 * * *"
                            days: [MON]
                        """, 5, 5, "channels[0].days", "cannot be combined with cron"),
                bad("no schedule", """
                        channels:
                          - id: a
                            zone: UTC
                        """, 2, 5, "channels[0]", "no schedule: give checks (and optionally days) or cron"),
                bad("days without checks", """
                        channels:
                          - id: a
                            zone: UTC
                            days: [MON]
                        """, 2, 5, "channels[0].checks", "missing; days needs check times"),
                bad("missing channels", """
                        defaults:
                          zone: UTC
                        """, 1, 1, "channels", "missing; the file must list at least one channel"),
                bad("empty channels list", """
                        channels: []
                        """, 1, 11, "channels", "no channels listed"),
                bad("channels with nothing after it", """
                        allowedLateness: PT5M
                        channels:
                        """, 2, 10, "channels", "no channels listed"),
                bad("channels not a list", """
                        channels:
                          id: a
                        """, 2, 3, "channels", "expected a list of channels, was a mapping"),
                bad("the top is a list", """
                        - id: a
                          zone: UTC
                        """, 1, 1, "", "expected a mapping with 'channels' at the top, was a list"),
                bad("empty file", "", 1, 1, "", "the file is empty"),
                bad("only comments", "# channels: to come\n\n", 1, 1, "", "the file is empty"),
                bad("YAML syntax: unclosed flow list", """
                        channels:
                          - id: a
                            checks: ['09:00'
                          - id: b
                        """, 4, 3, "", "YAML syntax error: while parsing a flow sequence (line 3, column 13); expected ',' or ']'"),
                bad("YAML syntax: bad indentation", """
                        channels:
                          - id: a
                           zone: UTC
                        """, 3, 4, "", "YAML syntax error: while parsing a block collection (line 2, column 3); expected <block end>"),
                bad("YAML syntax: tab indentation", "channels:\n\t- id: a\n", 2, 1, "",
                        "YAML syntax error: while scanning for the next token; found character '\\t(TAB)'"),
                bad("YAML syntax: unterminated quote", """
                        channels:
                          - id: "a
                        """, 3, 1, "", "YAML syntax error: while scanning a quoted scalar (line 2, column 9); found unexpected end of stream"),
                bad("two documents", """
                        channels:
                          - {id: a, zone: UTC, checks: ['09:00']}
                        ---
                        channels: []
                        """, 4, 1, "", "a second YAML document starts here"));
    }

    private static Arguments bad(String what, String yaml, int line, int column, String field, String fragment) {
        return Arguments.of(what, yaml, line, column, field, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsTheProblemWhereItIs(String what, String yaml, int line, int column, String field, String fragment) {
        List<ConfigProblem> problems = problems(yaml);

        assertThat(problems).as("problems of: %s", what).hasSize(1);
        ConfigProblem problem = problems.get(0);
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.field()).as("field").isEqualTo(field);
        assertThat(problem.line()).as("line of %s", problem).isEqualTo(line);
        assertThat(problem.column()).as("column of %s", problem).isEqualTo(column);
        assertThat(problem.message()).contains(fragment);
    }

    @Test
    void reportsEveryProblemInAFileTogetherInFileOrder() {
        String yaml = """
                defaults:
                  answerWithin: PT0S
                  downAfter: 0
                allowedLateness: PT-1M
                channels:
                  - id: Liaison Office
                    zone: Asia/Seol
                    checks: ['09:00', '9:30', '09:00:00']
                    days: [MON, TUES, FRI-MON]
                    zon: Asia/Seoul
                  - id: east
                    cron: "0 25 * * *"
                  - id: east
                    zone: America/New_York
                    cron: "0 9 30 2 *"
                    downAfter: 2.5
                    answerWithin: 1h
                  - id: west
                    zone: Asia/Seoul
                  - just-a-string
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));

        assertThat(e.getMessage()).isEqualTo("""
                channels.yaml:2:17: defaults.answerWithin: answerWithin must be positive, was PT0S
                channels.yaml:3:14: defaults.downAfter: downAfter must be at least 1, was 0
                channels.yaml:4:18: allowedLateness: allowedLateness must not be negative, was PT-1M
                channels.yaml:6:9: channels[0].id: bad id 'Liaison Office': use 1 to 64 of a-z, 0-9, '.', '_' and '-'
                channels.yaml:7:11: channels[0].zone: unknown time zone 'Asia/Seol' (did you mean 'Asia/Seoul'?)
                channels.yaml:8:23: channels[0].checks[1]: bad check time '9:30', expected HH:mm or HH:mm:ss from 00:00 to 23:59:59
                channels.yaml:8:31: channels[0].checks[2]: duplicate check time 09:00
                channels.yaml:9:17: channels[0].days[1]: unknown day 'TUES', expected MON..SUN or MONDAY..SUNDAY
                channels.yaml:9:23: channels[0].days[2]: day range 'FRI-MON' runs backwards; weeks run MON..SUN, so write it as FRI-SUN, MON
                channels.yaml:10:5: channels[0].zon: unknown key 'zon' (did you mean 'zone'?)
                channels.yaml:11:5: channels[1].zone: missing; set zone on the channel or in defaults
                channels.yaml:12:11: channels[1].cron: cron field 'hour' value 25 is out of range 0-23 in "0 25 * * *"
                channels.yaml:13:9: channels[2].id: duplicate id 'east', first used at line 11
                channels.yaml:15:11: channels[2].cron: cron "0 9 30 2 *" never fires
                channels.yaml:16:16: channels[2].downAfter: downAfter must be a whole number, was 2.5
                channels.yaml:17:19: channels[2].answerWithin: bad duration '1h', expected ISO-8601 like PT1H (PT30M, PT1H30M, P1D)
                channels.yaml:18:5: channels[3]: no schedule: give checks (and optionally days) or cron
                channels.yaml:20:5: channels[4]: expected a channel (a mapping with id, zone, checks...), was 'just-a-string'"""
        );
        assertThat(e.problems()).hasSize(18);
    }

    @Test
    void mergeKeysAreRefusedWithAHint() {
        List<ConfigProblem> problems = problems("""
                channels:
                  - &first {id: a, zone: UTC, checks: ['09:00']}
                  - {<<: *first, id: b}
                """);

        assertThat(problems).contains(
                new ConfigProblem(FILE, 3, 6, "channels[1].<<", "YAML merge keys (<<) are not supported; use defaults"));
    }

    @Test
    void aProblemReadsAsFileLineColumnFieldMessage() {
        assertThat(new ConfigProblem("channels.yaml", 12, 9, "channels[2].zone", "unknown time zone 'Asia/Seol'"))
                .hasToString("channels.yaml:12:9: channels[2].zone: unknown time zone 'Asia/Seol'");
        assertThat(new ConfigProblem("channels.yaml", 1, 1, "", "the file is empty"))
                .hasToString("channels.yaml:1:1: the file is empty");
        assertThat(new ConfigProblem("/etc/hotline/channels.yaml", 0, 0, "", "no such file"))
                .hasToString("/etc/hotline/channels.yaml: no such file");
    }

    @Test
    void anExceptionHasOneLinePerProblemAndAtLeastOne() {
        ConfigException e = new ConfigException(List.of(
                new ConfigProblem("c.yaml", 1, 1, "a", "one"), new ConfigProblem("c.yaml", 2, 3, "b", "two")));

        assertThat(e.getMessage()).isEqualTo("c.yaml:1:1: a: one\nc.yaml:2:3: b: two");
        assertThat(e.problems()).hasSize(2);
        assertThatThrownBy(() -> new ConfigException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- files ----

    @Test
    void loadsAFileAndNamesItInProblems(@TempDir Path dir) throws IOException, ConfigException {
        Path good = Files.writeString(dir.resolve("good.yaml"), VALID);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "channels: []\n");

        assertThat(ConfigLoader.load(good).channels()).hasSize(6);
        assertThatThrownBy(() -> ConfigLoader.load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":1:11: channels: no channels listed; add at least one");
    }

    @Test
    void aMissingFileIsAProblemWithoutALine(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

        assertThat(e.problems()).containsExactly(new ConfigProblem(missing.toString(), 0, 0, "", "no such file"));
        assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
    }

    @Test
    void aFileThatIsNotUtf8IsAProblem(@TempDir Path dir) throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.yaml"),
                "channels:\n  - {id: a, name: Caf\u00e9, zone: UTC, checks: ['09:00']}\n".getBytes(StandardCharsets.ISO_8859_1));

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(latin1));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly("not valid UTF-8 text");
    }

    @Test
    void doesNotCloseTheCallersReader() throws ConfigException {
        boolean[] closed = {false};
        StringReader reader = new StringReader(VALID) {
            @Override
            public void close() {
                closed[0] = true;
                super.close();
            }
        };

        ConfigLoader.load(FILE, reader);

        assertThat(closed[0]).isFalse();
    }

    @Test
    void theExampleInTheRepositoryLoads() throws ConfigException {
        MonitorConfig config = ConfigLoader.load(repositoryFile("examples/channels.yaml"));

        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.channels()).extracting(Channel::id).containsExactly(
                "liaison-office", "east-coast-military", "west-coast-military", "ship-to-ship", "unc-pink-phone",
                "moscow-washington", "india-pakistan-dgmo");
        assertThat(config.channels()).allSatisfy(c -> assertThat(c.name()).isNotEqualTo(c.id()));

        LocalDate tuesday = LocalDate.of(2024, 3, 12);
        assertThat(config.channel("liaison-office").schedule().slotsOn(tuesday))
                .containsExactly(at("2024-03-12T00:00:00Z"), at("2024-03-12T08:00:00Z"));
        assertThat(config.channel("east-coast-military").schedule().slotsOn(tuesday))
                .containsExactly(at("2024-03-12T00:00:00Z"), at("2024-03-12T07:00:00Z"));
        assertThat(config.channel("west-coast-military").schedule().slotsOn(tuesday))
                .containsExactly(at("2024-03-12T00:00:00Z"), at("2024-03-12T07:00:00Z"));
        assertThat(config.channel("ship-to-ship").schedule().slotsOn(tuesday))
                .containsExactly(at("2024-03-12T00:00:00Z"));
        assertThat(config.channel("unc-pink-phone").schedule().slotsOn(tuesday))
                .containsExactly(at("2024-03-12T00:30:00Z"), at("2024-03-12T06:30:00Z"));
        assertThat(config.channel("moscow-washington").zone()).isEqualTo(NEW_YORK);
        assertThat(config.channel("moscow-washington").schedule().slotsOn(tuesday)).hasSize(24);
        assertThat(config.channel("india-pakistan-dgmo").schedule()
                .slotsBetween(at("2024-03-11T00:00:00Z"), at("2024-03-25T00:00:00Z")))
                .containsExactly(at("2024-03-12T05:00:00Z"), at("2024-03-19T05:00:00Z"));
    }

    /** A file of the repository; tests run in the module's directory, so look upwards from there. */
    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
