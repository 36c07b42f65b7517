/**
 * The detector on Kafka Streams: {@link org.hotlinemonitor.app.kafka.DetectorTopology} builds the topology
 * (events in; alerts and dead letters out; channel states, reorder buffer and task time in changelogged
 * stores), {@link org.hotlinemonitor.app.kafka.DetectorService} runs it with {@code exactly_once_v2}.
 * Semantics and operations: docs/kafka.md, section "The detector on Kafka Streams". Also, for now, everything else
 * that talks to Kafka: the embedded broker, topics and ACLs, the scheduler's producer, replay of the events topic, the
 * channels topic and the compacted-topic reader; to be split by purpose.
 *
 * <p>Uses: app.schedule, core.alert, core.codec, core.config, core.detect, core.ingest, core.model, core.replay, core.schedule.
 */
package org.hotlinemonitor.app.kafka;
