package org.hotlinemonitor.core.notify;

import java.net.URI;
import java.util.Objects;
import org.hotlinemonitor.core.model.Secret;

/**
 * One pager the notifier delivers to.
 *
 * @param name   unique among the sinks, {@code [a-z0-9._-]{1,64}}; names the sink in routes, logs, rejects and
 *               its consumer group
 * @param type   what kind of pager
 * @param url    where: Alertmanager's base URL ({@code http://am:9093}), PagerDuty's events base URL
 *               ({@code https://events.pagerduty.com}), or the webhook's full URL; a secret itself for Slack,
 *               whose URL is the credential, so logs show only {@link #redactedUrl()}
 * @param secret PagerDuty's routing key or the webhook's HMAC key; {@code null} for the others
 */
public record SinkConfig(String name, SinkType type, URI url, Secret secret) {

    public SinkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (!NotifyConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sink name must be 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + name + "'");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("sink url must be http or https, was scheme " + url.getScheme());
        }
        if ((type == SinkType.PAGERDUTY || type == SinkType.WEBHOOK) != (secret != null)) {
            throw new IllegalArgumentException(type.configName() + " sink " + name
                    + (secret == null ? " needs a secret" : " takes no secret"));
        }
    }

    /** Scheme, host and port only: safe to log (a Slack URL's path is its credential). */
    public String redactedUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "SinkConfig[" + name + ", " + type.configName() + ", " + redactedUrl() + "]";
    }
}
