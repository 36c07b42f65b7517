/**
 * Logging set-up: the shipped configuration, written in code ({@link org.hotlinemonitor.app.logging.LogSetup}), and the
 * filter that drops the known, harmless warnings of Kafka's start and stop.
 *
 * <p>Uses: none of the project's packages.
 */
package org.hotlinemonitor.app.logging;
