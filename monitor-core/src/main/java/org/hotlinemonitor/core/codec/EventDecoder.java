package org.hotlinemonitor.core.codec;

import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * Reads a call-check event from one line of the JSON event format (see {@code docs/formats.md}): what replay, the live
 * detector and the API know of event parsing. The implementation is the hand-written parser of {@code core.fast}.
 *
 * <p>Two operations, one form each: {@link #decode} makes the event; {@link #decodeParts} leaves its parts in this
 * decoder ({@link #channel()}, {@link #channelTag()}, {@link #kind()}, {@link #tsMillis()}, {@link #slotMillis()},
 * {@link #source()}) until the next call, without allocating for an event whose channel id has been seen before: the
 * form for the per-event loops of replay and the live detector. {@link #event()} builds the event of the parts when a
 * caller needs it after all.
 *
 * <p>Errors are reported at the first problem in reading order, as an {@link EventFormatException} naming the field
 * (or none, for a syntax error) and the column. A decoder is <em>not</em> thread-safe: one per reading thread.
 */
public interface EventDecoder {

    /** What {@link #channelTag()} is when the event's channel has no tag. */
    int NO_TAG = Integer.MIN_VALUE;

    /**
     * The event in {@code line[off, off + len)}, UTF-8 without the line terminator. Keeps no reference to
     * {@code line}.
     *
     * @throws EventFormatException      if the bytes are not a valid event; its column counts from {@code off}
     * @throws IndexOutOfBoundsException if the range is not inside {@code line}
     */
    CallEvent decode(byte[] line, int off, int len) throws EventFormatException;

    /**
     * {@link #decode} without building the event: the same checks, the parts left in this decoder until the next call.
     *
     * @throws EventFormatException      if the bytes are not a valid event (the parts are then undefined)
     * @throws IndexOutOfBoundsException if the range is not inside {@code line}
     */
    void decodeParts(byte[] line, int off, int len) throws EventFormatException;

    /** The channel id of the event last decoded in parts; {@code null} for a heartbeat without one. */
    String channel();

    /**
     * The tag of that channel (for example its index in the configuration, as the decoder was made to number them), or
     * {@link #NO_TAG} when it has none: then look the channel up by its id.
     */
    int channelTag();

    /** The kind of the event last decoded in parts. */
    EventKind kind();

    /** The time of the event last decoded in parts, epoch milliseconds. */
    long tsMillis();

    /**
     * The slot the event last decoded in parts names, epoch milliseconds, or {@link Millis#NONE} (the monitor's one "no
     * instant", so that a slot goes from the parser to the detector unchanged).
     */
    long slotMillis();

    /** The optional {@code source} of the event last decoded in parts, or {@code null}. */
    String source();

    /** The event last decoded in parts, built now (a new object each call). */
    CallEvent event();
}
