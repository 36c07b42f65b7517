package org.hotlinemonitor.app.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.notify.Silences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance windows an instance applies: those of the configuration file ({@code silences:}, fixed) and those
 * operators add and remove through the HTTP API.
 *
 * <p>API silences are kept in a {@link Journal} when one is attached ({@link SilenceTopic}: the compacted silences
 * topic, which every instance reads), so that they survive restarts and are shared: {@link #add} and {@link #remove}
 * write to the journal first and change this store only once the write is acknowledged; what other instances
 * write arrives through {@link #apply}. Without a journal (tests, or a store nobody shares) API silences live in
 * this store's memory only.
 *
 * <p>As a {@link Predicate} it tells the {@link Notifier} which alerts not to page: those a silence covers at the
 * alert's own instant ({@code at}, see {@link Silences}). A silence whose {@code end} has passed therefore no longer
 * silences new alerts, but still covers the alerts stamped inside its window that arrive late (after a pager or
 * notifier outage): it expires by its window, not by being removed.
 *
 * <p>Bounded: at most {@link #MAX_API_SILENCES} API silences (the configuration's are not counted: the file bounds
 * them), each within the field limits below, so that the store, and every list of silences the API answers, has a
 * size known in advance. {@link #add} refuses the silence beyond ({@link Addition#FULL}); {@link #apply} skips one
 * arriving from the journal beyond, logs it and counts it ({@link #overLimit()}).
 *
 * <p>Thread-safety: safe from any thread (the API's handlers add and remove, the journal's reader applies, the
 * notifier's workers test). Writes through the API are serialized; testing reads a snapshot and never waits.
 */
public final class SilenceStore implements Predicate<Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceStore.class);

    /** The most API silences a store holds, ended ones included (they still cover late alerts until removed). */
    public static final int MAX_API_SILENCES = 1000;
    /** The most entries in a silence's {@code channels} (a glob names many channels in one). */
    public static final int MAX_CHANNELS = 20;
    /** The longest entry of {@code channels} (a channel id, at most 64, or a glob), in characters. */
    public static final int MAX_CHANNEL_LENGTH = 128;
    /** The longest {@code comment}, in characters. */
    public static final int MAX_COMMENT = 1000;
    /** The longest {@code createdBy} (a token's name, at most 64), in characters. */
    public static final int MAX_CREATED_BY = 64;

    /**
     * What is wrong with {@code silence}'s sizes, naming the field and the limit, or {@code null} if nothing is. The id
     * is bounded by {@link Silence#ID} already; the zone, times and days by their syntax.
     */
    public static String sizeProblem(Silence silence) {
        if (silence.channels().size() > MAX_CHANNELS) {
            return "channels: at most " + MAX_CHANNELS + " entries, was " + silence.channels().size();
        }
        for (String c : silence.channels()) {
            if (c.length() > MAX_CHANNEL_LENGTH) {
                return "channels: each entry at most " + MAX_CHANNEL_LENGTH + " characters, was " + c.length();
            }
        }
        if (silence.comment() != null && silence.comment().length() > MAX_COMMENT) {
            return "comment: at most " + MAX_COMMENT + " characters, was " + silence.comment().length();
        }
        return null;
    }

    /** Where a silence came from. */
    public enum Origin { CONFIG, API }

    /**
     * A silence, where it came from, and for an API silence who added it and when.
     *
     * @param createdBy who added it (the request's {@code createdBy}), or {@code null} for the configuration's
     * @param createdAt when it was added, or {@code null} for the configuration's
     */
    public record Entry(Silence silence, Origin origin, String createdBy, Instant createdAt) {
        public Entry {
            Objects.requireNonNull(silence, "silence");
            Objects.requireNonNull(origin, "origin");
            if (origin == Origin.API && (createdBy == null || createdAt == null)) {
                throw new IllegalArgumentException("an API silence needs createdBy and createdAt, silence " + silence.id());
            }
        }

        /**
         * The silence's fields as JSON values, in the order both its forms write them (the API's answer and the
         * silences topic's record): id, channels, start, end, the recurrence's zone, from, to and days (each day
         * written by {@code dayName}), comment. The caller adds what its form says of the entry.
         */
        public Map<String, Object> silenceFields(Function<DayOfWeek, String> dayName) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", silence.id());
            m.put("channels", silence.channels());
            m.put("start", silence.start() == null ? null : silence.start().toString());
            m.put("end", silence.end() == null ? null : silence.end().toString());
            if (silence.recurrence() != null) {
                Silence.Recurrence r = silence.recurrence();
                m.put("zone", r.zone().getId());
                m.put("from", r.from().toString());
                m.put("to", r.to().toString());
                m.put("days", r.days().stream().sorted().map(dayName).toList());
            }
            m.put("comment", silence.comment());
            return m;
        }

        /** A silence of the configuration file. */
        public static Entry configured(Silence silence) {
            return new Entry(silence, Origin.CONFIG, null, null);
        }

        /** A silence added through the API. */
        public static Entry api(Silence silence, String createdBy, Instant createdAt) {
            return new Entry(silence, Origin.API, createdBy, createdAt);
        }
    }

    /**
     * Where API silences are written so that they outlive the process and reach the other instances. Each method
     * returns once the write is durable (acknowledged), or throws.
     */
    public interface Journal {
        void put(Entry entry) throws Exception;

        void delete(String id) throws Exception;
    }

    /** A write to the {@link Journal} failed: nothing changed. */
    public static final class NotWritten extends Exception {
        private static final long serialVersionUID = 1L;

        NotWritten(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Insertion order: the configuration's first, then the API's in the order added. Guarded by {@code this}. */
    private final Map<String, Entry> silences = new LinkedHashMap<>();
    private volatile List<Silence> snapshot = List.of();
    /** The API silences in {@code silences}. Guarded by {@code this}. */
    private int apiCount;
    private final AtomicLong overLimit = new AtomicLong();
    /** Serializes the API's writes (held while the journal acknowledges; {@code this} is not). */
    private final Object writes = new Object();
    private volatile Journal journal;

    /** A store holding the configuration's silences. */
    public SilenceStore(List<Silence> configured) {
        for (Silence s : configured) {
            if (silences.putIfAbsent(s.id(), Entry.configured(s)) != null) {
                throw new IllegalArgumentException("duplicate silence id '" + s.id() + "'");
            }
        }
        publish();
    }

    /** Writes API silences to {@code journal} from now on; once, before the API serves. */
    public void journal(Journal journal) {
        Objects.requireNonNull(journal, "journal");
        if (this.journal != null) {
            throw new IllegalStateException("a journal is attached already");
        }
        this.journal = journal;
    }

    /** The outcome of {@link #add}. */
    public enum Addition {
        ADDED,
        /** A silence with its id exists. */
        EXISTS,
        /** {@link #MAX_API_SILENCES} API silences exist. */
        FULL
    }

    /**
     * Adds an API silence: written to the journal (if any) and, once acknowledged, applied here. Nothing is written
     * when a silence with its id exists, or when the store holds {@link #MAX_API_SILENCES} API silences.
     *
     * @throws IllegalArgumentException when a field is over its limit ({@link #sizeProblem})
     * @throws NotWritten when the journal did not acknowledge the write; nothing changed here (the silence may still
     *                    reach the journal later: retrying with the same id then answers that it exists)
     */
    public Addition add(Silence silence, String createdBy, Instant createdAt) throws NotWritten {
        String problem = sizeProblem(silence);
        if (problem != null) {
            throw new IllegalArgumentException("silence " + silence.id() + ": " + problem);
        }
        Entry entry = Entry.api(silence, createdBy, createdAt);
        synchronized (writes) {
            if (get(silence.id()).isPresent()) {
                return Addition.EXISTS;
            }
            if (apiCount() >= MAX_API_SILENCES) {
                return Addition.FULL;
            }
            write(() -> journal.put(entry), "silence " + silence.id());
            apply(silence.id(), entry);
            return Addition.ADDED;
        }
    }

    /** How many API silences the store holds, ended ones included. */
    public synchronized int apiCount() {
        return apiCount;
    }

    /** How many API silences of the journal were skipped because the store was full or a field over its limit. */
    public long overLimit() {
        return overLimit.get();
    }

    /** The outcome of {@link #remove}. */
    public enum Removal { REMOVED, NOT_FOUND, FROM_CONFIG }

    /**
     * Removes an API silence: a tombstone written to the journal (if any) and, once acknowledged, applied here. Those
     * of the configuration file stay (edit the file instead).
     *
     * @throws NotWritten when the journal did not acknowledge the tombstone; nothing changed here
     */
    public Removal remove(String id) throws NotWritten {
        synchronized (writes) {
            Optional<Entry> e = get(id);
            if (e.isEmpty()) {
                return Removal.NOT_FOUND;
            }
            if (e.get().origin() == Origin.CONFIG) {
                return Removal.FROM_CONFIG;
            }
            write(() -> journal.delete(id), "the removal of silence " + id);
            apply(id, null);
            return Removal.REMOVED;
        }
    }

    private interface Write {
        void run() throws Exception;
    }

    private void write(Write write, String what) throws NotWritten {
        if (journal == null) {
            return;
        }
        try {
            write.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotWritten(what + ": the write was not acknowledged: interrupted", e);
        } catch (Exception e) {
            throw new NotWritten(what + ": the write was not acknowledged (" + e + ")", e);
        }
    }

    /**
     * Applies what the journal holds for {@code id}: {@code entry} (added or replaced) or {@code null} (removed).
     * An id of the configuration file is left as the file says. Called by the journal's reader, in journal order,
     * and after this store's own acknowledged writes.
     */
    void apply(String id, Entry entry) {
        synchronized (this) {
            Entry current = silences.get(id);
            if (current != null && current.origin() == Origin.CONFIG) {
                if (entry != null) {
                    LOG.warn("Silence {} from the silences topic ignored: the configuration file has a silence of that id", id);
                }
                return;
            }
            if (entry == null) {
                if (silences.remove(id) == null) {
                    return;
                }
                apiCount--;
            } else {
                if (entry.equals(current)) {
                    return;
                }
                String problem = sizeProblem(entry.silence());
                if (problem == null && current == null && apiCount >= MAX_API_SILENCES) {
                    problem = "the store holds " + MAX_API_SILENCES + " API silences already, its limit";
                }
                if (problem != null) {
                    overLimit.incrementAndGet();
                    LOG.warn("Silence {} from the silences topic skipped: {}", id, problem);
                    return;
                }
                if (silences.put(id, entry) == null) {
                    apiCount++;
                }
            }
            publish();
        }
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

    /** Guarded by {@code this}. */
    private void publish() {
        List<Silence> all = new ArrayList<>(silences.size());
        silences.values().forEach(e -> all.add(e.silence()));
        snapshot = Collections.unmodifiableList(all);
    }
}
