/**
 * The rules of alert delivery, pure: the notifier's settings ({@link org.hotlinemonitor.core.notify.NotifyConfig}: its
 * sinks and routes), which alerts a route takes, maintenance windows ({@link org.hotlinemonitor.core.notify.Silences}),
 * how a batch becomes pages ({@link org.hotlinemonitor.core.notify.AlertGroups}), the keys a pager deduplicates on, and
 * the wait before a retry ({@link org.hotlinemonitor.core.notify.Backoff}). The notifier of {@code app.notify} runs them.
 *
 * <p>Uses: core.alert, core.model.
 */
package org.hotlinemonitor.core.notify;
