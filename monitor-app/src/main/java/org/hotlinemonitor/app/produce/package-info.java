/**
 * The producer process: the call scheduler of {@code app.calls} publishing its events to the events topic ({@link
 * org.hotlinemonitor.app.produce.SchedulerService}, {@link org.hotlinemonitor.app.produce.KafkaEventPublisher}), and
 * the reading back of what it published before, so that a restarted scheduler neither repeats nor skips a call.
 *
 * <p>Uses: app.broker, app.calls, core.codec, core.config, core.fast, core.model.
 */
package org.hotlinemonitor.app.produce;
