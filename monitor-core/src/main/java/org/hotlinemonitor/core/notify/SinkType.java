package org.hotlinemonitor.core.notify;

import java.util.Locale;

/** The kinds of pager the notifier delivers to; written in lower case in the configuration. */
public enum SinkType {
    /** Prometheus Alertmanager, API v2: {@code POST /api/v2/alerts}. */
    ALERTMANAGER,
    /** PagerDuty Events API v2: {@code POST /v2/enqueue}, trigger and resolve by {@code dedup_key}. */
    PAGERDUTY,
    /** Any HTTP endpoint: the alerts as JSON, signed with HMAC-SHA256. */
    WEBHOOK,
    /** A Slack-compatible incoming webhook: {@code {"text": ...}}. */
    SLACK;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
