/**
 * Metrics: the detector's, notifier's and scheduler's meters (Micrometer, exposed through the Prometheus registry), the
 * {@code /metrics} server, and Grafana annotations of a replay. docs/metrics.md lists every series.
 *
 * <p>Uses: app.detect, app.notify, core.alert, core.codec, core.detect, core.ingest, core.model, core.replay.
 */
package org.hotlinemonitor.app.metrics;
