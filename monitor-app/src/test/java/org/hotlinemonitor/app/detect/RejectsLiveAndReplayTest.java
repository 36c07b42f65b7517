package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.header;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.Replay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One event path ({@link org.hotlinemonitor.core.ingest.EventGate}): the same bad, late, future and forged events,
 * fed to a replay of a log file and to the live detector (in a {@link org.apache.kafka.streams.TopologyTestDriver}),
 * are refused with the same reason and field by both, and with the same message, to the letter (both start it with
 * {@code field 'x': } when a field is at fault). A late event's and a future event's message name the time each path
 * judged by, in the same words: the watermark (replay: the newest event time less the lateness; live: the clock's), and
 * the latest event time taken (replay: {@code --until}; live: the clock plus the maximum skew).
 */
class RejectsLiveAndReplayTest {

    static final Duration LATENESS = Duration.ofMillis(500);
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant SLOT1 = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant SLOT2 = Instant.parse("2023-04-07T07:00:00Z");
    /** Where the live clock stays while the bad records come; replay's {@code --until} is an hour after. */
    static final Instant NOW = SLOT1.plus(Duration.ofHours(2)).plusSeconds(10);
    static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";
    static final EventSignature FORGER = new EventSignature("field-1",
            "an-attackers-own-key-of-32-bytes".getBytes(StandardCharsets.UTF_8));
    static final SigningConfig SIGNING = new SigningConfig(Map.of("field-1", new Secret(null, KEY)));

    @TempDir
    Path dir;

    record Why(String reason, String field, String message) {
    }

    /** The input: good events that move both paths' time past SLOT1's deadline, then one bad record of each kind. */
    static final List<String> GOOD = List.of(
            Harness.heartbeat(START),
            Harness.event("east-coast", "CALL_PLACED", SLOT1.plusSeconds(1), SLOT1),
            Harness.event("ship", "CALL_PLACED", SLOT1.plusSeconds(2), SLOT1),
            Harness.event("east-coast", "ANSWERED", SLOT1.plusSeconds(30), SLOT1),
            Harness.heartbeat(SLOT1.plus(Duration.ofHours(2))));

    /** Each bad record and the reason both paths must give. */
    static final Map<String, String> BAD = new LinkedHashMap<>();

    static {
        BAD.put("not json at all", Rejection.MALFORMED);
        BAD.put("{\"channel\":\"east-coast\",\"kind\":\"ANSWERED\",\"ts\":\"yesterday\"}", Rejection.INVALID_FIELD);
        BAD.put(Harness.event("nowhere", "CALL_PLACED", NOW.minusSeconds(5), null), Rejection.UNKNOWN_CHANNEL);
        BAD.put(Harness.event("east-coast", "CALL_PLACED", NOW.minusSeconds(4), "2023-04-07T03:00:00Z"), Rejection.NOT_A_SLOT);
        BAD.put(Harness.event("east-coast", "CALL_PLACED", NOW.minusSeconds(3), SLOT2), Rejection.TOO_EARLY);
        BAD.put(EventWriter.toJson(new CallEvent("east-coast", EventKind.ANSWERED, NOW.minusSeconds(2), null, null,
                "field-1", null)), Rejection.BAD_SIGNATURE);
        // Forged and of an unknown channel: the signature is checked first, in both.
        BAD.put(EventWriter.toJson(FORGER.signed(new CallEvent("nowhere", EventKind.ANSWERED, NOW.minusSeconds(1), null,
                null, "field-1", null))), Rejection.BAD_SIGNATURE);
        // After SLOT1's deadline (SLOT1 + 1h) was decided: its channel has moved past it.
        BAD.put(Harness.event("east-coast", "ANSWERED", SLOT1.plusSeconds(40), SLOT1), Rejection.LATE);
        // Two days ahead: past replay's --until, and past the live clock's allowed skew.
        BAD.put(Harness.event("east-coast", "ANSWERED", NOW.plus(Duration.ofDays(2)), null), Rejection.BEYOND_UNTIL);
    }

    /** The checks that are one code in both paths, so their messages must be the same too. */
    static final List<String> SAME_WORDING = List.of(Rejection.MALFORMED, Rejection.INVALID_FIELD, Rejection.UNKNOWN_CHANNEL,
            Rejection.NOT_A_SLOT, Rejection.TOO_EARLY, Rejection.BAD_SIGNATURE);

    /**
     * The reasons whose one wording carries the time each path judged by: {replay's, live's}. Late: the watermark,
     * replay's the newest event read (the last good heartbeat) less the lateness, live's the clock's. Future: the latest
     * event time taken, replay's {@code --until}, live's the clock plus the maximum skew (5 minutes here).
     */
    static final Map<String, List<Instant>> JUDGED_AT = Map.of(
            Rejection.LATE, List.of(SLOT1.plus(Duration.ofHours(2)).minus(LATENESS), NOW.minus(LATENESS)),
            Rejection.BEYOND_UNTIL, List.of(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofMinutes(5))));

    @Test
    void theSameRecordsAreRefusedForTheSameReasonsLiveAndInReplay() throws Exception {
        MonitorConfig config = Harness.config(Harness.TWO_CHANNELS);
        Map<String, Why> replay = replay(config);
        Map<String, Why> live = live(config);

        Map<String, String> expected = new LinkedHashMap<>(BAD);
        assertThat(reasons(replay)).as("replay").isEqualTo(expected);
        assertThat(reasons(live)).as("live").isEqualTo(expected);
        for (String raw : BAD.keySet()) {
            Why r = replay.get(raw);
            Why l = live.get(raw);
            assertThat(l.field()).as("field of %s", raw).isEqualTo(r.field());
            String prefixed = l.message(); // the dead letter's message as it is: no wording added on one path only
            if (l.field() != null) {
                assertThat(l.message()).as("message of %s names its field first", raw).startsWith("field '" + l.field() + "': ");
            }
            if (SAME_WORDING.contains(r.reason())) {
                assertThat(prefixed).as("message of %s", raw).isEqualTo(r.message());
            } else {
                assertThat(JUDGED_AT).as("a wording for %s", r.reason()).containsKey(r.reason());
                String replayAt = JUDGED_AT.get(r.reason()).get(0).toString();
                String liveAt = JUDGED_AT.get(r.reason()).get(1).toString();
                assertThat(r.message()).as("replay's message of %s", raw).contains(replayAt);
                assertThat(l.message()).as("live's message of %s", raw).contains(liveAt);
                assertThat(prefixed.replace(liveAt, "<at>")).as("message of %s", raw)
                        .isEqualTo(r.message().replace(replayAt, "<at>"));
            }
        }
        String late = BAD.entrySet().stream().filter(e -> e.getValue().equals(Rejection.LATE)).findFirst().orElseThrow().getKey();
        assertThat(live.get(late).message()).contains("came after channel 'east-coast' had moved past it");
    }

    private static Map<String, String> reasons(Map<String, Why> refused) {
        Map<String, String> out = new LinkedHashMap<>();
        BAD.keySet().forEach(raw -> out.put(raw, refused.containsKey(raw) ? refused.get(raw).reason() : "taken"));
        refused.keySet().stream().filter(raw -> !BAD.containsKey(raw)).forEach(raw -> out.put(raw, "refused a good record"));
        return out;
    }

    private Map<String, Why> replay(MonitorConfig config) throws Exception {
        Path log = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>(GOOD);
        lines.addAll(BAD.keySet());
        Files.write(log, lines);
        List<RejectRecord> rejects = new ArrayList<>();
        Replay r = new Replay(new Replay.Options(config, LATENESS, NOW.plus(Duration.ofHours(1)), false).withSigning(SIGNING),
                a -> { }, rejects::add, Replay.Progress.NONE);
        r.run(List.of(LogInput.of(log.toString(), null)), InputStream.nullInputStream());
        Map<String, Why> out = new LinkedHashMap<>();
        rejects.forEach(x -> out.put(x.raw(), new Why(x.reason(), x.field(), x.message())));
        return out;
    }

    private Map<String, Why> live(MonitorConfig config) {
        DetectorTopology.Options options = DetectorTopology.Options.defaults(1).withSigning(SIGNING)
                .withFutureTolerance(Duration.ofMinutes(5));
        Map<String, Why> out = new LinkedHashMap<>();
        try (Harness h = new Harness(config, LATENESS, options, START, dir.resolve("state"))) {
            for (String good : GOOD) {
                Instant ts = Instant.parse(good.replaceFirst(".*\"ts\":\"([^\"]+)\".*", "$1"));
                h.clock.set(ts.plusMillis(100));
                h.send("east-coast", good);
                h.tick(ts.plusMillis(200));
            }
            h.clock.set(NOW);
            for (String bad : BAD.keySet()) {
                h.send("east-coast", bad);
            }
            for (TestRecord<byte[], byte[]> r : h.rejects()) {
                out.put(new String(r.value(), StandardCharsets.UTF_8), new Why(header(r, DeadLetters.REASON),
                        header(r, DeadLetters.FIELD), header(r, DeadLetters.MESSAGE)));
            }
        }
        return out;
    }
}
