/**
 * The rules: {@link org.hotlinemonitor.core.detect.Detector} judges one channel's slots (answered, missed, not placed;
 * down after {@code downAfter} misses, restored at an answer), {@link org.hotlinemonitor.core.detect.OurSideRule} our
 * side's heartbeats (silent, resumed, the unplaced slots a silence covers), and
 * {@link org.hotlinemonitor.core.detect.Monitor} runs both over many channels in deadline order over a watermark,
 * deciding nothing itself. Pure: no clock, no I/O; replay and the live detector both run it. What keeps the monitor fast
 * stays out of its way: the channels' next deadlines sit in a package-private
 * {@link org.hotlinemonitor.core.detect.DeadlineCalendar}, behind the small
 * {@link org.hotlinemonitor.core.detect.Deadlines} interface of what the monitor asks of it.
 *
 * <p>Uses: core.alert, core.model, core.schedule.
 */
package org.hotlinemonitor.core.detect;
