package org.hotlinemonitor.core.notify;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.hotlinemonitor.core.alert.Alert;

/**
 * Matching alerts against maintenance windows ({@link Silence}). Pure.
 *
 * <p>Which instant to ask about is the caller's choice; the notifier asks about the alert's own {@code at} (when
 * it became true), so that whether an alert is paged does not depend on when it happens to be delivered: an
 * alert raised during maintenance stays silent when a pager outage delays it past the window, and a replay
 * decides the same.
 */
public final class Silences {

    private Silences() {
    }

    /** The first silence, in iteration order, that covers {@code alert} at {@code instant}. */
    public static Optional<Silence> matching(Collection<Silence> silences, Alert alert, Instant instant) {
        for (Silence s : silences) {
            if (s.matches(alert, instant)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether any of {@code silences} covers {@code alert} at {@code instant}. */
    public static boolean matches(Collection<Silence> silences, Alert alert, Instant instant) {
        return matching(silences, alert, instant).isPresent();
    }
}
