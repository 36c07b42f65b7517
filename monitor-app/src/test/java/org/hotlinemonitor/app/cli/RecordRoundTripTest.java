package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators who place their calls by hand and report each one with {@code record}, on a real broker, with the
 * scheduler of {@code run --placer operator} (heartbeats only: it claims no call) and a detector on the real clock
 * with the settings of {@code detect} (allowed lateness 0.5 s). Four channels, three slots {@link #PERIOD} apart, each
 * with a {@link #ANSWER_WITHIN} answer window. For each slot the test runs the real {@code record} command, the way an
 * operator does ({@link CliTest#run}: the command's main path, its own producer and connection each time; once in a JVM
 * of its own, as an operator starts it), following
 * {@link #PLAN}: answered with the default {@code --at} (now), no answer or answered with the slot named
 * ({@code --slot}), answered but reported {@link #AFTER_THE_FACT} after the call ({@code --at} in the past), or not at
 * all.
 *
 * <p>What each assertion guards:
 * <ul>
 *   <li>the alerts topic, read {@code read_committed}, holds exactly what core's replay computes from the events on the
 *       events topic, each once (0 false, 0 lost): a {@code record} event that reaches the detector after its watermark
 *       passed the event's time must still count. The after-the-fact reports reach it seconds after their time, and the
 *       run in a JVM of its own over a second after (its cold producer connects after {@code --at} is read); a run
 *       inside this JVM takes about 100 ms, within the lateness. Without the detector judging such an event against its
 *       own channel's time (acceptBehind), those three are refused as late and each of their slots raises a
 *       {@code CALL_NOT_PLACED} that replay does not (3 false alerts, 3 refused);</li>
 *   <li>{@code CALL_NOT_PLACED} only for the slots nobody recorded, {@code SLOT_MISSED} (no answer) only for the
 *       {@code --no-answer} ones: the replay itself says what the plan means, not only that live and replay agree;</li>
 *   <li>nothing in the dead letters: no recorded call is refused;</li>
 *   <li>the events on the topic are exactly the events {@code record} printed: nothing lost or added on the way;</li>
 *   <li>a report made once the detector has decided its slot (desk-c's first call, after the last deadline) is refused
 *       at once by {@code record} itself, from the channel's committed state: exit 3, one line naming {@code --at} and
 *       the range the detector still takes, nothing written.</li>
 * </ul>
 */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // a record in a cold JVM of its own must reach the detector in time: run alone (pom.xml)
class RecordRoundTripTest {

    static final Duration ANSWER_WITHIN = Duration.ofSeconds(7);
    static final Duration PERIOD = Duration.ofSeconds(8);
    static final int SLOTS = 3;
    /** From now to the first slot: broker up, topics created, detector running. */
    static final Duration START_MARGIN = Duration.ofSeconds(6);
    /** How long after the call an after-the-fact report is made. */
    static final Duration AFTER_THE_FACT = Duration.ofSeconds(3);

    /** What the operator reports for one slot of one channel. */
    enum Report {
        /** {@code --answered}, {@code --at} now: the slot follows from the time. */
        ANSWERED,
        /** {@code --no-answer --slot S}, as the scheduler's reminder says. */
        NO_ANSWER,
        /** {@code --answered --slot S}. */
        ANSWERED_FOR_SLOT,
        /**
         * {@code --answered}, {@code --at} now, in a JVM of its own as an operator runs it: {@code --at} is read once the
         * JVM has started, and the cold producer then takes long enough to connect that the event reaches the detector
         * after its watermark passed the event's time.
         */
        ANSWERED_OWN_JVM,
        /** {@code --answered --at T}, run {@link #AFTER_THE_FACT} after {@code T}. */
        ANSWERED_AFTER,
        /** Nothing: the call was not placed. */
        NONE
    }

    static final Map<String, List<Report>> PLAN = plan();

    @TempDir
    Path tmp;

    private static Map<String, List<Report>> plan() {
        Map<String, List<Report>> plan = new LinkedHashMap<>();
        plan.put("desk-a", List.of(Report.ANSWERED_OWN_JVM, Report.ANSWERED, Report.ANSWERED));
        plan.put("desk-b", List.of(Report.NO_ANSWER, Report.NO_ANSWER, Report.ANSWERED_FOR_SLOT)); // down, then restored
        plan.put("desk-c", List.of(Report.NONE, Report.NONE, Report.NONE));
        plan.put("desk-d", List.of(Report.ANSWERED_AFTER, Report.NONE, Report.ANSWERED_AFTER));
        return plan;
    }

    @Test
    void everyRecordedCallCountsAndOnlyTheSlotsNobodyRecordedRaiseCallNotPlaced() throws Exception {
        long started = System.nanoTime();
        try (LiveRun run = new LiveRun(tmp, 3)) {
            Instant first = LiveRun.secondsFromNow(START_MARGIN);
            List<Instant> slots = LiveRun.slots(first, PERIOD, SLOTS);
            Instant lastDeadline = slots.get(SLOTS - 1).plus(ANSWER_WITHIN);
            Path channels = run.channelFile(LiveRun.channelsYaml(PLAN.keySet(), slots, ANSWER_WITHIN, ", downAfter: 2"));
            MonitorConfig config = Live.loadChannels(channels);

            List<Long> runMillis = new ArrayList<>();
            Result refusedAsLate;
            List<Long> ownJvmMillis = new ArrayList<>();
            List<String> printed = new ArrayList<>();
            try (SchedulerService scheduler = new SchedulerService(Live.producerSettings(run.bootstrap, KafkaClientConfig.NONE, LiveRun.TOPICS, config, "scheduler",
                    new PlacerSettings.Operator(), Live.Timing.forSpeed(1)))) {
                scheduler.start();
                run.startDetector(channels);
                assertThat(Instant.now()).as("the detector runs before the first slot").isBefore(first);
                for (int k = 0; k < SLOTS; k++) {
                    Instant slot = slots.get(k);
                    FailoverTest.waitUntil(slot.plusMillis(300));
                    for (var p : PLAN.entrySet()) {
                        String id = p.getKey();
                        switch (p.getValue().get(k)) {
                            case ANSWERED -> printed.add(record(run, runMillis, id, "--answered"));
                            case NO_ANSWER -> printed.add(record(run, runMillis, id, "--no-answer", "--slot", slot.toString()));
                            case ANSWERED_FOR_SLOT -> printed.add(record(run, runMillis, id, "--answered", "--slot", slot.toString()));
                            case ANSWERED_OWN_JVM -> printed.add(recordInOwnJvm(run, ownJvmMillis, id, "--answered"));
                            default -> {
                            }
                        }
                    }
                    Instant called = slot.plusMillis(500);
                    FailoverTest.waitUntil(called.plus(AFTER_THE_FACT));
                    for (var p : PLAN.entrySet()) {
                        if (p.getValue().get(k) == Report.ANSWERED_AFTER) {
                            printed.add(record(run, runMillis, p.getKey(), "--answered", "--at", called.toString()));
                        }
                    }
                    assertThat(Instant.now()).as("slot %s: every report made before its deadline", slot)
                            .isBefore(slot.plus(ANSWER_WITHIN));
                }
                FailoverTest.waitUntil(lastDeadline.plusSeconds(1));
                refusedAsLate = record(run, "desk-c", "--answered", "--at", slots.get(0).plusMillis(500).toString());
            }

            List<CallEvent> events = run.events();
            Instant until = events.get(events.size() - 1).ts();
            if (until.isBefore(lastDeadline.plusSeconds(1))) {
                until = lastDeadline.plusSeconds(1);
            }
            List<String> expected = FailoverTest.replay(config, events, until);
            List<String> seen = run.awaitAlerts(expected);
            List<String> refused = run.refused();
            List<String> falseAlerts = minus(seen, expected);
            List<String> lost = minus(expected, seen);
            List<Long> sorted = new ArrayList<>(runMillis);
            Collections.sort(sorted);
            System.out.printf("record round trip: %d record runs (median %d ms each, in this JVM; %d in a JVM of its own, %s ms),"
                            + " alerts expected %d, seen %d, false %d, lost %d, refused %d (%.1f s)%n", runMillis.size(),
                    sorted.get(sorted.size() / 2), ownJvmMillis.size(), ownJvmMillis, expected.size(), seen.size(),
                    falseAlerts.size(), lost.size(), refused.size(), (System.nanoTime() - started) / 1e9);

            assertThat(refusedAsLate.code()).as("a report of desk-c's first call after all its deadlines were decided: "
                    + refusedAsLate.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(refusedAsLate.err().strip()).as("one line naming --at and the range the detector still takes")
                    .startsWith("error: --at: " + slots.get(0).plusMillis(500) + " is before ")
                    .contains("it would drop the event as late", "It takes events of desk-c from ", "the call was not recorded")
                    .doesNotContain("\n");
            assertThat(refusedAsLate.out()).as("nothing printed: nothing written").isEmpty();
            assertThat(events.stream().filter(e -> e.channel() != null).map(EventWriter::toJson))
                    .as("the events on the topic are the events record printed").containsExactlyInAnyOrderElementsOf(printed);
            assertThat(refused).as("no recorded call refused").isEmpty();
            assertThat(falseAlerts).as("false alerts").isEmpty();
            assertThat(lost).as("lost alerts").isEmpty();
            assertThat(seen).as("every expected alert, each exactly once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ofType(expected, AlertType.CALL_NOT_PLACED)).as("CALL_NOT_PLACED: only the slots nobody recorded")
                    .containsExactlyInAnyOrderElementsOf(planned(slots, Report.NONE));
            assertThat(ofType(expected, AlertType.SLOT_MISSED)).as("SLOT_MISSED: the calls recorded as not answered")
                    .containsExactlyInAnyOrderElementsOf(planned(slots, Report.NO_ANSWER));
            assertThat(expected).map(AlertCodec::fromJson).filteredOn(a -> a.type() == AlertType.SLOT_MISSED)
                    .extracting(Alert::cause).containsOnly(MissCause.NO_ANSWER);
            assertThat(expected).as("desk-b's two misses take it down, and its answer restores it")
                    .anyMatch(a -> a.contains("CHANNEL_DOWN")).anyMatch(a -> a.contains("CHANNEL_RESTORED"));
        }
    }

    /** Runs {@code record} for {@code channel}; the event it printed. */
    private static String record(LiveRun run, List<Long> runMillis, String channel, String... options) throws Exception {
        long t = System.nanoTime();
        Result r = record(run, channel, options);
        runMillis.add((System.nanoTime() - t) / 1_000_000);
        List<String> args = List.of(channel, String.join(" ", options));
        assertThat(r.code()).as("record %s: %s", args, r.err()).isZero();
        assertThat(r.err()).as("record %s", args).doesNotContain("warning");
        return r.out().strip();
    }

    /** Runs {@code record} for {@code channel}; whatever it does. */
    private static Result record(LiveRun run, String channel, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("record", "--bootstrap-servers", run.bootstrap,
                "--channels", run.channelFile().toString(), "--channel", channel, "--application-id", LiveRun.APP_ID));
        args.addAll(List.of(options));
        return CliTest.run(args.toArray(String[]::new));
    }

    /** Runs {@code record} for {@code channel} in a JVM of its own; the event it printed. */
    private String recordInOwnJvm(LiveRun run, List<Long> runMillis, String channel, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "record", "--bootstrap-servers", run.bootstrap,
                "--channels", run.channelFile().toString(), "--channel", channel, "--application-id", LiveRun.APP_ID));
        args.addAll(List.of(options));
        Path out = tmp.resolve("record-" + runMillis.size() + ".out");
        Path err = tmp.resolve("record-" + runMillis.size() + ".err");
        long t = System.nanoTime();
        Process p = new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("record in its own JVM ended").isTrue();
        runMillis.add((System.nanoTime() - t) / 1_000_000);
        assertThat(p.exitValue()).as("record %s: %s", args, Files.readString(err)).isZero();
        assertThat(Files.readString(err)).as("record %s", args).doesNotContain("warning:");
        return Files.readString(out).strip();
    }

    /** "channel slot" of each alert of {@code type}. */
    private static List<String> ofType(List<String> alerts, AlertType type) {
        return alerts.stream().map(AlertCodec::fromJson).filter(a -> a.type() == type).map(a -> a.channel() + " " + a.slot())
                .toList();
    }

    /** "channel slot" of each slot the plan reports as {@code report}. */
    private static List<String> planned(List<Instant> slots, Report report) {
        List<String> out = new ArrayList<>();
        PLAN.forEach((id, reports) -> {
            for (int k = 0; k < slots.size(); k++) {
                if (reports.get(k) == report) {
                    out.add(id + " " + slots.get(k));
                }
            }
        });
        return out;
    }

    /** {@code a} without one occurrence of each element of {@code b}. */
    static List<String> minus(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(a);
        b.forEach(rest::remove);
        return rest;
    }
}
