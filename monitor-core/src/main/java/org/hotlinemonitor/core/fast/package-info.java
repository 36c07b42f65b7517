/**
 * The machinery that lets a replay read millions of events a second, kept apart so that the domain reads as the
 * domain: the hand-written JSON event parser ({@link org.hotlinemonitor.core.fast.JsonEventParser}, the one
 * implementation of {@link org.hotlinemonitor.core.codec.EventDecoder}), the bounded cache of channel and source ids
 * that spares a string per event, and the splitting of a byte stream into lines without decoding them
 * ({@link org.hotlinemonitor.core.fast.LineReader}). The parser reads instants with
 * {@link org.hotlinemonitor.core.codec.Timestamps}, which stays in core.codec, the owner of the events' text.
 *
 * <p>Domain code names this package only where it makes a parser or a line reader; it works through
 * {@code EventDecoder}. Everything here is held to a plain reference by the tests (the parser to Jackson's reading of
 * the same lines). Nothing here is thread-safe: one instance per reading thread.
 *
 * <p>Uses: core.codec, core.model.
 */
package org.hotlinemonitor.core.fast;
