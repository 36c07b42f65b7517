package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;

/** The signed form of events: the test vector of docs/security.md, and what a signature covers. */
class EventSignatureTest {

    /** The documented test vector (computed independently of this code, with Python's hmac module). */
    static final byte[] KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa".getBytes(StandardCharsets.UTF_8);
    static final String CANONICAL = "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T00:00:41.250Z\","
            + "\"slot\":\"2023-04-07T00:00:00Z\",\"id\":\"field-placer-1/liaison-office/2023-04-07T00:00:00Z/ANSWERED/1\","
            + "\"source\":\"field-placer-1\",\"note\":\"\ud68c\uc120 \uc815\uc0c1\"}";
    static final String SIG = "y9QqzBXKGeT0KkFz2N0hjA-1NCoSCa6nMoclj36wbD0";

    static final CallEvent EVENT = new CallEvent("liaison-office", EventKind.ANSWERED,
            Instant.parse("2023-04-07T00:00:41.250Z"), Instant.parse("2023-04-07T00:00:00Z"),
            "field-placer-1/liaison-office/2023-04-07T00:00:00Z/ANSWERED/1", "field-placer-1", "\ud68c\uc120 \uc815\uc0c1");

    @Test
    void theTestVector() {
        assertThat(new String(EventSignature.canonical(EVENT), StandardCharsets.UTF_8)).isEqualTo(CANONICAL);
        EventSignature signature = new EventSignature("field-placer-1", KEY);
        assertThat(signature.sign(EVENT)).isEqualTo(SIG);
        assertThat(signature.signed(EVENT).sig()).isEqualTo(SIG);
        assertThat(EventWriter.toJson(signature.signed(EVENT))).isEqualTo(
                CANONICAL.substring(0, CANONICAL.length() - 1) + ",\"sig\":\"" + SIG + "\"}");
    }

    @Test
    void theWireFormDoesNotMatterOnlyTheValues() throws Exception {
        // Another field order, spaces, the time with an offset and more digits, an unknown field: the same values.
        String wire = "{ \"sig\": \"" + SIG + "\", \"source\": \"field-placer-1\", \"kind\": \"ANSWERED\","
                + " \"channel\": \"liaison-office\", \"ts\": \"2023-04-07T09:00:41.250999+09:00\", \"slot\": 1680825600000,"
                + " \"id\": \"field-placer-1/liaison-office/2023-04-07T00:00:00Z/ANSWERED/1\", \"note\": \"\\ud68c\uc120 \uc815\uc0c1\","
                + " \"extra\": [1, 2] }";
        CallEvent parsed = decode(wire);
        assertThat(parsed.sig()).isEqualTo(SIG);
        assertThat(new EventSignature("field-placer-1", KEY).verify(parsed)).isTrue();
    }

    @Test
    void anyChangedValueAnotherKeyOrNoSigFails() {
        EventSignature signature = new EventSignature("field-placer-1", KEY);
        CallEvent signed = signature.signed(EVENT);
        assertThat(signature.verify(signed)).isTrue();
        assertThat(signature.verify(EVENT)).as("unsigned").isFalse();
        assertThat(signature.verify(new CallEvent(EVENT.channel(), EventKind.NO_ANSWER, EVENT.ts(), EVENT.slot(), EVENT.id(),
                EVENT.source(), EVENT.note(), signed.sig()))).as("another kind").isFalse();
        assertThat(signature.verify(new CallEvent(EVENT.channel(), EVENT.kind(), EVENT.ts().plusMillis(1), EVENT.slot(),
                EVENT.id(), EVENT.source(), EVENT.note(), signed.sig()))).as("another time").isFalse();
        assertThat(signature.verify(new CallEvent(EVENT.channel(), EVENT.kind(), EVENT.ts(), EVENT.slot(), EVENT.id(),
                "operator", EVENT.note(), signed.sig()))).as("another source").isFalse();
        assertThat(signature.verify(new CallEvent(EVENT.channel(), EVENT.kind(), EVENT.ts(), EVENT.slot(), EVENT.id(),
                EVENT.source(), null, signed.sig()))).as("the note dropped").isFalse();
        assertThat(signature.verify(EVENT.withSig(SIG + "A"))).as("a longer sig").isFalse();
        assertThat(signature.verify(EVENT.withSig(SIG.toUpperCase(java.util.Locale.ROOT)))).isFalse();
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new EventSignature("field-placer-1", other).verify(signed)).as("another key").isFalse();
    }

    @Test
    void refusesAShortKeyWithoutShowingIt() {
        assertThatThrownBy(() -> new EventSignature("p", "short-key-31-bytes-xxxxxxxxxxxxx".substring(0, 31)
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "the signing key of source 'p' has 31 bytes; at least 32 are needed");
        assertThat(new EventSignature("p", KEY).toString()).isEqualTo("EventSignature[p]");
    }

    @Test
    void sigSurvivesTheWriterAndParsersRoundTrip() throws Exception {
        CallEvent signed = new EventSignature("field-placer-1", KEY).signed(EVENT);
        assertThat(decode(EventWriter.toJson(signed))).isEqualTo(signed);
        CsvEventParser csv = CsvEventParser.fromHeader("ts,channel,kind,source,sig");
        assertThat(csv.parse("2023-04-07T00:00:41Z,c,ANSWERED,p," + SIG).sig()).isEqualTo(SIG);
    }

    /** The event in one JSON line, read as replay and the detector read it. */
    private static CallEvent decode(String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new JsonEventParser().decode(bytes, 0, bytes.length);
    }
}
