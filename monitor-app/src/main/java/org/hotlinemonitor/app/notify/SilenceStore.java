package org.hotlinemonitor.app.notify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.Silence;
import org.hotlinemonitor.core.alert.Silences;

/**
 * The maintenance windows of this instance: those of the configuration file ({@code silences:}, fixed) and those
 * operators add and remove through the HTTP API. Kept in memory only: API silences are lost when the process
 * stops, and are not shared with other instances (each instance's notifier consults its own store).
 *
 * <p>As a {@link Predicate} it tells the {@link Notifier} which alerts not to page: those a silence covers at the
 * alert's own instant ({@code at}, see {@link Silences}).
 *
 * <p>Thread-safety: safe from any thread (the API's handlers add and remove, the notifier's workers test).
 */
public final class SilenceStore implements Predicate<Alert> {

    /** Where a silence came from. */
    public enum Origin { CONFIG, API }

    /** A silence and where it came from. */
    public record Entry(Silence silence, Origin origin) {
        public Entry {
            Objects.requireNonNull(silence, "silence");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /** Insertion order: the configuration's first, then the API's in the order added. Guarded by {@code this}. */
    private final Map<String, Entry> silences = new LinkedHashMap<>();
    private volatile List<Silence> snapshot = List.of();

    /** A store holding the configuration's silences. */
    public SilenceStore(List<Silence> configured) {
        for (Silence s : configured) {
            if (silences.putIfAbsent(s.id(), new Entry(s, Origin.CONFIG)) != null) {
                throw new IllegalArgumentException("duplicate silence id '" + s.id() + "'");
            }
        }
        publish();
    }

    /** Adds a silence; false (and nothing changes) when one with its id exists. */
    public synchronized boolean add(Silence silence) {
        if (silences.containsKey(silence.id())) {
            return false;
        }
        silences.put(silence.id(), new Entry(silence, Origin.API));
        publish();
        return true;
    }

    /** The outcome of {@link #remove}. */
    public enum Removal { REMOVED, NOT_FOUND, FROM_CONFIG }

    /** Removes an API silence; those of the configuration file stay (edit the file instead). */
    public synchronized Removal remove(String id) {
        Entry e = silences.get(id);
        if (e == null) {
            return Removal.NOT_FOUND;
        }
        if (e.origin() == Origin.CONFIG) {
            return Removal.FROM_CONFIG;
        }
        silences.remove(id);
        publish();
        return Removal.REMOVED;
    }

    /** Every silence, in order. A copy. */
    public synchronized List<Entry> entries() {
        return List.copyOf(silences.values());
    }

    /** The silence with this id. */
    public synchronized Optional<Entry> get(String id) {
        return Optional.ofNullable(silences.get(id));
    }

    /** Whether a silence covers {@code alert} at its own instant: then it is not paged. */
    @Override
    public boolean test(Alert alert) {
        return Silences.matches(snapshot, alert, alert.at());
    }

    private void publish() {
        List<Silence> all = new ArrayList<>(silences.size());
        silences.values().forEach(e -> all.add(e.silence()));
        snapshot = Collections.unmodifiableList(all);
    }
}
