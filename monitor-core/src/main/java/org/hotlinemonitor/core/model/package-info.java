/**
 * The monitor's vocabulary: a {@link org.hotlinemonitor.core.model.Channel} (id, name, schedule, {@code answerWithin},
 * {@code downAfter}), a {@link org.hotlinemonitor.core.model.CallEvent} and its {@link org.hotlinemonitor.core.model.EventKind},
 * and the {@link org.hotlinemonitor.core.model.MonitorConfig} that lists the channels. Immutable values, checked when built.
 * {@link org.hotlinemonitor.core.model.Millis#NONE} is the one "no instant" of times kept as epoch milliseconds.
 *
 * <p>Uses: core.schedule.
 */
package org.hotlinemonitor.core.model;
