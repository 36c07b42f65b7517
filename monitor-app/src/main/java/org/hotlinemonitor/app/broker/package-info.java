/**
 * The monitor's Kafka, as infrastructure: the embedded single-node KRaft broker ({@link
 * org.hotlinemonitor.app.broker.EmbeddedBroker}) and the repair of transactions a crash left hanging, where the broker
 * is and what the topics are called ({@link org.hotlinemonitor.app.broker.KafkaSettings}), the client settings every
 * client gets (security, {@link org.hotlinemonitor.app.broker.KafkaClientConfig}), making the topics, the ACLs of each
 * role, and the reader of compacted settings topics that every instance holds whole. Nothing here knows what an event
 * or an alert means.
 *
 * <p>Uses: none of the project's packages.
 */
package org.hotlinemonitor.app.broker;
