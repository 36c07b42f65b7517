/**
 * What the status page and the visual replay report show, computed from the detector's own verdicts and alerts:
 * day strips in each channel's zone, availability over windows, outages, current state ({@link
 * org.hotlinemonitor.core.status.StatusLedger}).
 *
 * <p>Uses: core.alert, core.detect, core.model.
 */
package org.hotlinemonitor.core.status;
