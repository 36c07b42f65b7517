/**
 * Alert delivery: the notifier reads the alerts topic and hands each alert to its routes' sinks (webhook, Slack,
 * PagerDuty, Alertmanager) with retries, silences and dead letters; the silences shared through a compacted topic.
 *
 * <p>Uses: app.kafka, core.alert, core.codec, core.ingest.
 */
package org.hotlinemonitor.app.notify;
