package org.hotlinemonitor.app.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.notify.DeliveryKeys;
import org.hotlinemonitor.core.notify.SinkConfig;

/**
 * A {@link Sink} over {@link HttpClient}: builds the page with its {@link PageFormat}, posts it, and reads the
 * answer with {@link HttpOutcomes#classify}. A time-out or connection error is retryable.
 *
 * <p>Thread-safety: safe from any thread (the client is). The caller owns the client.
 */
public final class HttpSink implements Sink {

    /** How long one request may take, connecting included. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final PageFormat format;
    private final HttpClient client;
    private final Clock clock;
    private final Duration timeout;

    public HttpSink(String name, PageFormat format, HttpClient client, Clock clock, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.format = Objects.requireNonNull(format, "format");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The sink {@code config} describes. */
    public static HttpSink of(SinkConfig config, HttpClient client, Clock clock) {
        return new HttpSink(config.name(), format(config), client, clock, REQUEST_TIMEOUT);
    }

    /** The page format of {@code config}'s type. */
    public static PageFormat format(SinkConfig config) {
        return switch (config.type()) {
            case ALERTMANAGER -> new AlertmanagerFormat(config.url());
            case PAGERDUTY -> new PagerDutyFormat(config.url(), config.secret());
            case WEBHOOK -> new WebhookFormat(config.url(), config.secret());
            case SLACK -> new SlackFormat(config.url());
        };
    }

    /** A client for the sinks: HTTP/1.1 (every pager speaks it), connect time-out, no redirects followed. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean groupable(Alert alert) {
        return format.groupable(alert);
    }

    @Override
    public DeliveryResult send(List<Alert> alerts) throws InterruptedException {
        Page page = format.build(alerts, DeliveryKeys.of(alerts));
        HttpRequest.Builder request = HttpRequest.newBuilder(page.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "hotline-monitor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(page.body()));
        page.headers().forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return HttpOutcomes.classify(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body(), clock.instant());
        } catch (IOException e) {
            // The message names the host at most; never the URL's path (a Slack URL's credential) or a header.
            return new DeliveryResult.Retryable(null, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
