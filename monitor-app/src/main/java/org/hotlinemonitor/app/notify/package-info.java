/**
 * Alert delivery: the notifier reads the alerts topic and hands each alert to its routes' sinks (webhook, Slack,
 * PagerDuty, Alertmanager). Per sink, a {@link org.hotlinemonitor.app.notify.NotifyPipeline} of stages, without Kafka
 * and on an injected clock: route, skip what was already taken, silence, group, deliver, retry or dead-letter; {@link
 * org.hotlinemonitor.app.notify.Notifier} is the consumer glue around them (poll, commit, dead letters to their topic,
 * rebalances). Also the silences, shared through a compacted topic.
 *
 * <p>Uses: app.broker, core.alert, core.codec, core.ingest, core.model, core.notify, core.replay.
 */
package org.hotlinemonitor.app.notify;
