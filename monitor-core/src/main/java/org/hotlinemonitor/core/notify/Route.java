package org.hotlinemonitor.core.notify;

import java.util.List;
import java.util.Objects;
import java.util.Set;
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

    /**
     * Whether {@code glob} ({@code *}, {@code ?}, else literal) matches all of {@code text}. Runs on every alert a
     * route or silence sees, so it compiles nothing and allocates nothing: it walks both strings once, going back
     * only to the last {@code *} (which then takes one more character), so it takes at most glob × text steps.
     */
    public static boolean globMatches(String glob, String text) {
        Objects.requireNonNull(glob, "glob");
        int g = 0;
        int t = 0;
        int star = -1; // the glob's position after the last '*' seen
        int starText = 0; // where in the text that '*' now stops
        while (t < text.length()) {
            char c = g < glob.length() ? glob.charAt(g) : 0;
            if (g < glob.length() && c == '*') {
                star = ++g;
                starText = t;
            } else if (g < glob.length() && (c == '?' || c == text.charAt(t))) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** Whether {@code glob} has a wildcard (else it names one channel id). */
    public static boolean isGlob(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    }
}
