/**
 * The call scheduler: places each channel's routine call at its slots (through a placer: simulated or an operator's
 * record), with retries and late marks, and hands the call-check events to an {@link
 * org.hotlinemonitor.app.calls.EventPublisher}. No Kafka here: {@code app.produce} publishes the events to Kafka, and
 * the tests drive the scheduler with a clock moved by hand.
 *
 * <p>Uses: core.codec, core.config, core.detect, core.model, core.schedule.
 */
package org.hotlinemonitor.app.calls;
