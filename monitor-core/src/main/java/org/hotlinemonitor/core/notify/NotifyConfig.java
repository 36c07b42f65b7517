package org.hotlinemonitor.core.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.alert.Alert;

/**
 * The notifier's configuration: where alerts go ({@link #sinks()}), which go where ({@link #routes()}), and how
 * deliveries are grouped and retried. Loaded from the {@code notify:} section of the monitor's YAML file by
 * {@link org.hotlinemonitor.core.config.NotifyConfigLoader}.
 *
 * @param groupId   the prefix of the notifier's consumer groups: each sink reads {@code hotline.alerts} in its
 *                  own group, {@code groupId + "." + sink name}, so that each keeps its own place
 * @param grouping  whether alerts of one type stamped with the same instant, read together, go out as one page
 *                  per sink ({@link AlertGroups})
 * @param groupWait how long the notifier keeps reading after the first alert of a batch, to gather the rest of
 *                  its evaluation before it pages; zero pages at once
 * @param backoff   how failed deliveries are retried
 * @param sinks     at least one, names unique
 * @param routes    at least one, naming only sinks in {@code sinks}
 */
public record NotifyConfig(String groupId, boolean grouping, Duration groupWait, Backoff backoff,
                           List<SinkConfig> sinks, List<Route> routes) {

    /** Names of sinks, and the consumer group id's form. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");

    public static final String DEFAULT_GROUP_ID = "hotline-notify";
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofMillis(250);

    public NotifyConfig {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(groupWait, "groupWait");
        Objects.requireNonNull(backoff, "backoff");
        sinks = List.copyOf(sinks);
        routes = List.copyOf(routes);
        if (!NAME.matcher(groupId).matches()) {
            throw new IllegalArgumentException("groupId must be 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + groupId + "'");
        }
        if (groupWait.isNegative()) {
            throw new IllegalArgumentException("groupWait must not be negative, was " + groupWait);
        }
        if (sinks.isEmpty() || routes.isEmpty()) {
            throw new IllegalArgumentException("the notifier needs at least one sink and one route");
        }
        Set<String> names = new HashSet<>();
        for (SinkConfig sink : sinks) {
            if (!names.add(sink.name())) {
                throw new IllegalArgumentException("duplicate sink name '" + sink.name() + "'");
            }
        }
        for (Route route : routes) {
            for (String sink : route.sinks()) {
                if (!names.contains(sink)) {
                    throw new IllegalArgumentException("a route names sink '" + sink + "', which is not configured");
                }
            }
        }
    }

    /**
     * The names of the sinks {@code alert} goes to, in the order of {@link #sinks()}: every route that matches
     * contributes its sinks (the union, not the first match), and an alert that no route matches goes nowhere.
     */
    public List<String> sinksFor(Alert alert) {
        Set<String> routed = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matches(alert)) {
                routed.addAll(route.sinks());
            }
        }
        List<String> inSinkOrder = new ArrayList<>();
        for (SinkConfig sink : sinks) {
            if (routed.contains(sink.name())) {
                inSinkOrder.add(sink.name());
            }
        }
        return inSinkOrder;
    }

    /** The sink named {@code name}. */
    public SinkConfig sink(String name) {
        return sinks.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sink named '" + name + "'"));
    }

    /** The consumer group of the sink named {@code sinkName}. */
    public String groupIdOf(String sinkName) {
        return groupId + "." + sinkName;
    }
}
