/**
 * The visual replay report: one self-contained HTML file ({@link org.hotlinemonitor.app.report.HtmlReport}) drawn from
 * the replay's facts (core's {@code ReplayReport} and {@code StatusLedger}); the per-month and per-year availability
 * it shows and the JSON report carries too ({@link org.hotlinemonitor.app.report.MonthlyAvailability},
 * {@link org.hotlinemonitor.app.report.ReportJson}).
 *
 * <p>Uses: core.alert, core.detect, core.model, core.notify, core.replay, core.schedule, core.status.
 */
package org.hotlinemonitor.app.report;
