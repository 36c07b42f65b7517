/**
 * The live detector on Kafka Streams: {@link org.hotlinemonitor.app.detect.DetectorTopology} builds the topology
 * (events in; alerts and dead letters out; channel states, reorder buffer and task time in changelogged stores), {@link
 * org.hotlinemonitor.app.detect.DetectorService} runs it with {@code exactly_once_v2}, and {@link
 * org.hotlinemonitor.app.detect.DetectorProcessor} runs the core's rules inside each stream task. Also what the
 * detector needs around that: its channels (from a file or the channels topic, by partition), the state it stores and
 * restores, how far it may trust its clock ({@link org.hotlinemonitor.app.detect.BrokerWatch}), and its view for the
 * metrics and the HTTP API. Semantics and operations: docs/kafka.md, "The detector on Kafka Streams".
 *
 * <p>Uses: app.broker, app.calls, core.alert, core.codec, core.config, core.detect, core.fast, core.ingest, core.model, core.replay, core.schedule.
 */
package org.hotlinemonitor.app.detect;
