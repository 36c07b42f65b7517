package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.header;
import static org.hotlinemonitor.app.detect.Harness.heartbeat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live detector with a signing source ("field-1"): forged ANSWERED events in its name, unsigned or signed with
 * another key, go to the dead letters as {@code bad-signature} and are counted; the real outage is reported, and the
 * placer's own signed answer restores the line. The same scenario as core's SignedReplayTest, live.
 */
class SignedEventsTopologyTest {

    static final Duration LATENESS = Duration.ofMillis(500);
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant SLOT1 = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant SLOT2 = Instant.parse("2023-04-07T07:00:00Z");
    static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";
    static final EventSignature PLACER = new EventSignature("field-1", KEY.getBytes(StandardCharsets.UTF_8));
    static final EventSignature FORGER = new EventSignature("field-1",
            "an-attackers-own-key-of-32-bytes".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path stateDir;

    static CallEvent event(EventKind kind, Instant ts, Instant slot) {
        return new CallEvent("east-coast", kind, ts, slot, null, "field-1", null);
    }

    static void send(Harness h, CallEvent e) {
        h.clock.set(e.ts().plusMillis(100));
        h.send("east-coast", EventWriter.toJson(e));
    }

    @Test
    void forgedAnswersAreDeadLettersAndTheOutageIsReported() {
        DetectorTopology.Options options = DetectorTopology.Options.defaults(1)
                .withSigning(new SigningConfig(Map.of("field-1", new Secret(null, KEY))));
        try (Harness h = new Harness(Harness.config(Harness.TWO_CHANNELS), LATENESS, options, START, stateDir)) {
            h.clock.set(START);
            h.send("scheduler", heartbeat(START));
            h.tick(START.plusSeconds(1));

            send(h, PLACER.signed(event(EventKind.CALL_PLACED, SLOT1.plusSeconds(1), SLOT1)));
            send(h, PLACER.signed(event(EventKind.NO_ANSWER, SLOT1.plusSeconds(59), SLOT1)));
            CallEvent unsigned = event(EventKind.ANSWERED, SLOT1.plusSeconds(70), SLOT1);
            send(h, unsigned);
            send(h, PLACER.signed(event(EventKind.CALL_PLACED, SLOT2.plusSeconds(1), SLOT2)));
            CallEvent forged = FORGER.signed(event(EventKind.ANSWERED, SLOT2.plusSeconds(70), SLOT2));
            send(h, forged);
            h.tick(SLOT2.plus(Duration.ofHours(1)).plusSeconds(1));

            List<String> sources = List.of("field-1");
            assertThat(h.alerts()).containsExactly(
                    AlertCodec.toJson(Alert.slotMissed("east-coast", SLOT1, SLOT1.plusSeconds(3600), MissCause.NO_ANSWER)
                            .withSources(sources)),
                    AlertCodec.toJson(Alert.callNotPlaced("ship", SLOT1, SLOT1.plusSeconds(3600))),
                    AlertCodec.toJson(Alert.slotMissed("east-coast", SLOT2, SLOT2.plusSeconds(3600), MissCause.NO_ANSWER)
                            .withSources(sources)),
                    AlertCodec.toJson(Alert.channelDown("east-coast", SLOT1, SLOT2.plusSeconds(3600), 2)
                            .withSources(sources)));

            List<TestRecord<byte[], byte[]>> dead = h.rejects();
            assertThat(dead).hasSize(2);
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.REASON)).isEqualTo(Rejection.BAD_SIGNATURE);
                assertThat(header(r, DeadLetters.FIELD)).isEqualTo("sig");
                assertThat(header(r, DeadLetters.MESSAGE)).doesNotContain(KEY);
            });
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(EventWriter.toJson(unsigned));
            assertThat(new String(dead.get(1).value(), StandardCharsets.UTF_8)).isEqualTo(EventWriter.toJson(forged));
            assertThat(h.rejects.count(Rejection.BAD_SIGNATURE)).isEqualTo(2);
            assertThat(h.rejects.total()).isEqualTo(2);

            Instant answer = Instant.parse("2023-04-07T09:30:00Z");
            send(h, PLACER.signed(event(EventKind.ANSWERED, answer, null)));
            h.tick(answer.plusSeconds(1));
            assertThat(h.alerts()).containsExactly(AlertCodec.toJson(
                    Alert.channelRestored("east-coast", SLOT1, answer, 2).withSources(sources)));
        }
    }
}
