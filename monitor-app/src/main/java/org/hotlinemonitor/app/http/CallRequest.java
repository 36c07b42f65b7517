package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The body of {@code POST /api/v1/calls}, checked: pure, the current time given.
 *
 * <p>The body is one call-check event in the event format (docs/formats.md): {@code channel}, {@code kind}
 * ({@code CALL_PLACED}, {@code ANSWERED}, {@code NO_ANSWER} or {@code LINE_FAULT}), optional {@code ts} (default:
 * now), {@code slot}, {@code note} and {@code id}. The event's {@code source} is the token's name, set here: a body
 * that gives one is refused (400), so that whoever reads the events knows which token recorded it; so is a {@code sig}
 * (the token authenticates the call; docs/security.md). It is read by
 * the core's {@link JsonEventParser}, the parser of every event the detector reads, so that what the API accepts is
 * what the detector accepts; then the operator's rules of the {@code record} command ({@link OperatorRecord}: the
 * channel is configured, {@code ts} not in the future, the slot one of the channel's and not too early); then the
 * detector's own {@link Detector#validate}. The event id is {@code record}'s deterministic one unless the body gives
 * one, so that a client retrying after a time-out writes the same event again, which the detector ignores.
 *
 * <p>The body is read strictly ({@link JsonBody}): UTF-8, one JSON object, only the fields above (an unknown one
 * answered with the nearest known name), {@code id} at most {@value #MAX_ID} characters and {@code note} at most
 * {@value OperatorRecord#MAX_NOTE}.
 *
 * <p>Each refusal names the field at fault, as the body spells it.
 */
final class CallRequest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields of a body, in the order of docs/api.md; {@code source} and {@code sig} are refused with reasons first. */
    static final List<String> FIELDS = List.of("channel", "kind", "ts", "slot", "note", "id");
    /** The longest {@code id}, in characters. */
    static final int MAX_ID = 200;

    /**
     * Whether the detector would drop {@code event} as late ({@link OperatorRecord#late}): a 409 naming {@code ts} and
     * the range the detector still takes, or {@code null}.
     *
     * @param state the channel's committed state ({@code DetectorView}), or {@code null} when this instance does not
     *              run the channel's detector: then nothing can be said, and nothing is refused
     */
    static ApiProblem late(CallEvent event, ChannelState state, Instant now) {
        String why = OperatorRecord.late(event, state == null ? Millis.NONE : state.watermark(), now);
        return why == null ? null : new ApiProblem(409, "ts", "field 'ts': " + why);
    }

    private CallRequest() {
    }

    /**
     * The event to write, with warnings for the operator.
     *
     * @param source the name of the token that asks, the event's {@code source}
     */
    static OperatorRecord.Result parse(byte[] body, MonitorConfig config, String source, Instant now) throws ApiProblem {
        ObjectNode object = JsonBody.object(body, "one call-check event");
        if (object.has("source")) {
            throw ApiProblem.badField("source", "field 'source': set by the server to the name of the token that records the call "
                    + "('" + source + "'); leave it out");
        }
        if (object.has("sig")) { // the API would have to drop it: the event it writes has its own source and id
            throw ApiProblem.badField("sig", "field 'sig': the API does not take signed events (the token authenticates "
                    + "the call, and the server sets the event's source); leave it out");
        }
        JsonBody.onlyKnownFields(object, FIELDS);
        JsonNode id = object.get("id");
        if (id != null && id.isTextual() && id.asText().length() > MAX_ID) {
            throw ApiProblem.badField("id", "field 'id': at most " + MAX_ID + " characters, was " + id.asText().length());
        }
        if (!object.has("ts") || object.get("ts").isNull()) {
            object.put("ts", Timestamps.format(now.toEpochMilli()));
        }
        CallEvent parsed;
        try {
            byte[] line = JSON.writeValueAsString(object).getBytes(StandardCharsets.UTF_8);
            EventDecoder decoder = new JsonEventParser();
            parsed = decoder.decode(line, 0, line.length);
        } catch (EventFormatException e) {
            throw ApiProblem.badField(e.field(), e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree Jackson just read always writes
        }
        if (parsed.kind() == EventKind.HEARTBEAT) {
            throw ApiProblem.badField("kind", "field 'kind': an operator records CALL_PLACED, ANSWERED, NO_ANSWER or LINE_FAULT, "
                    + "not HEARTBEAT");
        }
        OperatorRecord.Result result;
        try {
            result = OperatorRecord.build(config, parsed.channel(), parsed.kind(), parsed.ts(), parsed.slot(), parsed.note(), source, now);
        } catch (OperatorRecord.InvalidRecord e) {
            String field = e.field().equals("at") ? "ts" : e.field();
            throw ApiProblem.badField(field, "field '" + field + "': " + e.getMessage().replace("--at", "ts"));
        }
        CallEvent event = result.event();
        if (parsed.id() != null) {
            event = new CallEvent(event.channel(), event.kind(), event.ts(), event.slot(), parsed.id(), event.source(), event.note());
        }
        Channel channel = config.channel(event.channel());
        EventOutcome refused = new Detector(channel).validate(event);
        if (refused != null) { // OperatorRecord checks the same rules; this keeps the two from drifting apart
            throw ApiProblem.badField("slot", "field 'slot': the detector would refuse the event: " + refused);
        }
        return new OperatorRecord.Result(event, result.warnings());
    }
}
