/**
 * The rules: {@link org.hotlinemonitor.core.detect.Detector} judges one channel's slots (answered, missed, not placed;
 * down after {@code downAfter} misses, restored at an answer), {@link org.hotlinemonitor.core.detect.OurSideRule} our
 * side's heartbeats (silent, resumed, the unplaced slots a silence covers), and
 * {@link org.hotlinemonitor.core.detect.Monitor} runs both over many channels in deadline order over a watermark,
 * deciding nothing itself. Pure: no clock, no I/O; replay and the live detector both run it. The machinery that keeps it
 * fast sits behind small package-private types: the channels' next deadlines in a
 * {@link org.hotlinemonitor.core.detect.DeadlineCalendar} (behind {@link org.hotlinemonitor.core.detect.Deadlines}),
 * events held for reordering in a {@link org.hotlinemonitor.core.detect.ReorderBuffer}.
 *
 * <p>Uses: core.alert, core.model, core.schedule.
 */
package org.hotlinemonitor.core.detect;
