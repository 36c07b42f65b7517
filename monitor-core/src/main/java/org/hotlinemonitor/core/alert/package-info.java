/**
 * What the monitor says: {@link org.hotlinemonitor.core.alert.Alert}, its types ({@link
 * org.hotlinemonitor.core.alert.AlertType}), severities and causes. Where alerts go is {@code core.notify}'s.
 *
 * <p>Uses: core.model.
 */
package org.hotlinemonitor.core.alert;
