/**
 * Wire formats: call-check events as JSON lines (read through an {@link org.hotlinemonitor.core.codec.EventDecoder},
 * written by {@link org.hotlinemonitor.core.codec.EventWriter}) or CSV
 * ({@link org.hotlinemonitor.core.codec.CsvEventParser}), alerts as JSON lines
 * ({@link org.hotlinemonitor.core.codec.AlertCodec}), and ISO-8601 instants as epoch milliseconds
 * ({@link org.hotlinemonitor.core.codec.Timestamps}).
 *
 * <p>Event parsing is on the replay's hot path: the decoder's implementation, written by hand over bytes, lives in
 * {@code core.fast}, which uses this package and not the reverse; everything here favours plainness but
 * {@code Timestamps}. It is written by hand too (no {@code java.time} objects per call, checked against
 * {@link java.time.Instant#parse} and {@link java.time.Instant#toString}), yet it belongs here: the instant's text is
 * part of the wire format, and every reader and writer of this package, the hand parser in {@code core.fast} and the
 * app (event ids, messages) use this one implementation of it; in {@code core.fast} it would have this package use the speed
 * package, a cycle. Its interface is small already: {@code parseMillis} and {@code format}. Writers produce
 * canonical text (fixed field order, no whitespace, UTC instants with millisecond precision), so that equal values
 * give equal bytes and golden files can be compared byte for byte. Bad input becomes an {@link org.hotlinemonitor.core.codec.EventFormatException}
 * (events) or an {@link java.lang.IllegalArgumentException} (alerts, timestamps) whose message names
 * the field at fault.
 *
 * <p>Uses: core.alert, core.model.
 */
package org.hotlinemonitor.core.codec;
