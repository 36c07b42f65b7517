/**
 * The detector on Kafka Streams: {@link org.hotlinemonitor.app.kafka.DetectorTopology} builds the topology
 * (events in; alerts and dead letters out; channel states, reorder buffer and task time in changelogged
 * stores), {@link org.hotlinemonitor.app.kafka.DetectorService} runs it with {@code exactly_once_v2}.
 * Semantics and operations: docs/kafka.md, section "The detector on Kafka Streams".
 */
package org.hotlinemonitor.app.kafka;
