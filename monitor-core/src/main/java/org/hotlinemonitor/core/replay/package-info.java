/**
 * Replay of a log through the rules: reading and ordering events ({@code ReorderBuffer}), rejections with their reasons,
 * signature checks, and the report ({@link org.hotlinemonitor.core.replay.ReplayReport}, written as it is built). The
 * same {@code Monitor} as the live detector, so a replay raises exactly the alerts the live system would have.
 *
 * <p>Uses: core.alert, core.codec, core.detect, core.model, core.schedule.
 */
package org.hotlinemonitor.core.replay;
