package org.hotlinemonitor.core.notify;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.Severity;

/**
 * One routing rule: alerts whose severity and channel match go to {@link #sinks()}.
 *
 * @param severities the severities it matches; empty matches every severity
 * @param channels   channel ids or globs ({@code *} any run of characters, {@code ?} one character); empty
 *                   matches every channel
 * @param sinks      the sink names, at least one
 */
public record Route(Set<Severity> severities, List<String> channels, List<String> sinks) {

    public Route {
        severities = Set.copyOf(severities);
        channels = List.copyOf(channels);
        sinks = List.copyOf(sinks);
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one sink");
        }
    }

    /**
     * Whether {@code alert} matches this route. A resolve ({@code CHANNEL_RESTORED}, {@code OUR_SIDE_RESUMED}) also
     * matches where the alert it resolves does, so that a pager that got the page also gets its resolve.
     */
    public boolean matches(Alert alert) {
        AlertType resolved = alert.type().resolves();
        return (severities.isEmpty() || severities.contains(alert.severity())
                || (resolved != null && severities.contains(resolved.severity())))
                && (channels.isEmpty() || channels.stream().anyMatch(glob -> globMatches(glob, alert.channel())));
    }

    /** Whether {@code glob} ({@code *}, {@code ?}, else literal) matches all of {@code text}. */
    public static boolean globMatches(String glob, String text) {
        Objects.requireNonNull(glob, "glob");
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.matches(regex.toString(), text);
    }

    /** Whether {@code glob} has a wildcard (else it names one channel id). */
    public static boolean isGlob(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    }
}
