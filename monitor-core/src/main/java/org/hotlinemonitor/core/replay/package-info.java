/**
 * Replay of a log through the rules: reading and ordering events ({@code ReorderBuffer}), holding jumps of time, the
 * rejects file, and the report ({@link org.hotlinemonitor.core.replay.ReplayReport}, written as it is built). The
 * same {@code Monitor} as the live detector, so a replay raises exactly the alerts the live system would have; the
 * checks of an event and the reasons it is refused with are the live detector's too ({@code core.ingest.EventGate}).
 *
 * <p>Uses: core.alert, core.codec, core.detect, core.fast, core.ingest, core.model, core.schedule.
 */
package org.hotlinemonitor.core.replay;
