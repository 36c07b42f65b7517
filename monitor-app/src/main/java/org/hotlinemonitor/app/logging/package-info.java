/**
 * Logging set-up: the filter that drops the known, harmless warnings of Kafka's start and stop.
 *
 * <p>Uses: none of the project's packages.
 */
package org.hotlinemonitor.app.logging;
