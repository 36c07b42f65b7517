/**
 * Alert delivery: the notifier reads the alerts topic and hands each alert to its routes' sinks (webhook, Slack,
 * PagerDuty, Alertmanager) with retries, silences and dead letters; the silences shared through a compacted topic.
 *
 * <p>Uses: app.broker, core.alert, core.codec, core.ingest, core.model, core.notify, core.replay.
 */
package org.hotlinemonitor.app.notify;
