/**
 * The one path of an event into the detector, shared by replay and the live detector ({@link
 * org.hotlinemonitor.core.ingest.EventGate}): what a record that does not parse is refused as, the checks of a parsed
 * event (signature, channel, slot), the judgement of lateness against the watermark and of clock skew, and the reasons
 * ({@link org.hotlinemonitor.core.ingest.Rejection}) with their wording. No clock, no I/O: times are passed in.
 *
 * <p>Uses: core.codec, core.detect, core.model.
 */
package org.hotlinemonitor.core.ingest;
