package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario of the security issue: forged ANSWERED events hid a real outage. The field placer "field-1" signs;
 * the liaison line goes unanswered on 2023-04-07 and 04-10 (two misses: down). Someone who can write events forges
 * an ANSWERED for each slot, in the placer's name, once unsigned and once signed with a key of their own. With
 * signing configured, both forgeries are refused as {@code bad-signature} and the outage's alerts stay; without it,
 * the forgeries hide the outage.
 */
class SignedReplayTest {

    static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";
    static final String FORGER_KEY = "an-attackers-own-key-of-32-bytes";

    @TempDir
    Path dir;

    static MonitorConfig config() throws Exception {
        return ConfigLoader.load("monitor.yaml", new java.io.StringReader("""
                channels:
                  - id: liaison-office
                    zone: Asia/Seoul
                    checks: ['09:00']
                    answerWithin: PT1H
                    downAfter: 2
                """));
    }

    static List<String> log() {
        EventSignature placer = new EventSignature("field-1", KEY.getBytes(StandardCharsets.UTF_8));
        EventSignature forger = new EventSignature("field-1", FORGER_KEY.getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String day : List.of("2023-04-07", "2023-04-08")) {
            Instant slot = Instant.parse(day + "T00:00:00Z");
            lines.add(EventWriter.toJson(placer.signed(event(EventKind.CALL_PLACED, slot, 0))));
            lines.add(EventWriter.toJson(placer.signed(event(EventKind.NO_ANSWER, slot, 45))));
            CallEvent forged = event(EventKind.ANSWERED, slot, 50);
            lines.add(EventWriter.toJson(day.endsWith("07") ? forged : forger.signed(forged)));
        }
        lines.add(EventWriter.toJson(CallEvent.heartbeat(Instant.parse("2023-04-08T02:00:00Z"), "scheduler")));
        return lines;
    }

    static CallEvent event(EventKind kind, Instant slot, int seconds) {
        return new CallEvent("liaison-office", kind, slot.plusSeconds(seconds), slot, null, "field-1", null);
    }

    private Result replay(SigningConfig signing) throws Exception {
        Path input = dir.resolve("events.jsonl");
        Files.write(input, log());
        Result r = new Result();
        Replay replay = new Replay(new Replay.Options(config(), Duration.ofMinutes(5), null, false).withSigning(signing),
                r.alerts::add, r.rejects::add, Replay.Progress.NONE);
        r.report = replay.run(List.of(LogInput.of(input.toString(), null)), InputStream.nullInputStream());
        return r;
    }

    static final class Result {
        final List<Alert> alerts = new ArrayList<>();
        final List<RejectRecord> rejects = new ArrayList<>();
        ReplayReport report;
    }

    @Test
    void forgedAnswersFromASigningSourceAreRefusedAndTheOutageStays() throws Exception {
        Result r = replay(new SigningConfig(Map.of("field-1", new Secret(null, KEY))));

        assertThat(r.alerts).extracting(Alert::type).containsExactly(AlertType.SLOT_MISSED, AlertType.SLOT_MISSED,
                AlertType.CHANNEL_DOWN);
        assertThat(r.alerts).allMatch(a -> a.sources().equals(List.of("field-1")));
        assertThat(r.rejects).extracting(RejectRecord::reason).containsExactly(Rejection.BAD_SIGNATURE, Rejection.BAD_SIGNATURE);
        assertThat(r.rejects).extracting(RejectRecord::line).containsExactly(3L, 6L);
        assertThat(r.rejects.get(0).message()).contains("must sign its events, and this one has no sig");
        assertThat(r.rejects.get(1).message()).contains("is not the signature of this event by source 'field-1'")
                .doesNotContain(KEY).doesNotContain(FORGER_KEY);
        assertThat(r.rejects.get(1).raw()).as("kept as read").isEqualTo(log().get(5));
        assertThat(r.report.rejectsByReason()).isEqualTo(Map.of(Rejection.BAD_SIGNATURE, 2L));
    }

    @Test
    void withoutSigningTheForgeriesHideTheOutage() throws Exception {
        Result r = replay(SigningConfig.NONE);
        assertThat(r.alerts).isEmpty();
        assertThat(r.rejects).isEmpty();
    }

    @Test
    void eventsOfSourcesThatDoNotSignAreTakenSignedOrNot() throws Exception {
        Result r = replay(new SigningConfig(Map.of("another-placer", new Secret(null, KEY))));
        assertThat(r.alerts).isEmpty();
        assertThat(r.rejects).isEmpty();
    }
}
