/**
 * What the monitor says and to whom: {@link org.hotlinemonitor.core.alert.Alert} and its types and causes, and the
 * settings of their delivery (notify routes and sinks, silences, the API's tokens, secrets) as the configuration
 * loaders build them.
 *
 * <p>Uses: core.model.
 */
package org.hotlinemonitor.core.alert;
