package org.hotlinemonitor.app.notify;

import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.notify.NotifyConfig;

/**
 * The route stage of a sink's {@link NotifyPipeline}: whether an alert goes to this sink, by the configuration's
 * routes ({@link NotifyConfig#sinksFor}: every matching route contributes its sinks). An alert routed elsewhere is
 * done for this sink at once.
 *
 * <p>Thread-safety: immutable.
 */
final class RouteStage {

    private final NotifyConfig config;
    private final String sink;

    RouteStage(NotifyConfig config, String sink) {
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Whether a route sends {@code alert} to this stage's sink. */
    boolean takes(Alert alert) {
        return config.sinksFor(alert).contains(sink);
    }
}
