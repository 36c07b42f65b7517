/**
 * The visual replay report: one self-contained HTML file ({@link org.hotlinemonitor.app.report.HtmlReport}) drawn from
 * the replay's facts (core's {@code ReplayReport} and {@code StatusLedger}), and the per-month and per-year
 * availability the JSON report carries too ({@link org.hotlinemonitor.app.report.ChannelTimeline}).
 */
package org.hotlinemonitor.app.report;
