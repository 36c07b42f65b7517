/**
 * Replay's Kafka source: a time range of the events topic read into the core's replay ({@link
 * org.hotlinemonitor.app.replay.TopicReplay}), so that the same detector judges the topic as it judges a file.
 *
 * <p>Uses: app.broker, core.codec, core.fast, core.ingest, core.model, core.replay.
 */
package org.hotlinemonitor.app.replay;
