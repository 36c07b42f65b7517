package org.hotlinemonitor.core.detect;

import java.util.function.Consumer;

/**
 * What the {@link Monitor} needs to decide deadlines in time order: entries (the monitor's channels) filed at their next
 * deadline, taken out one instant at a time, earliest first, and at one instant in rank order. {@link DeadlineCalendar}
 * is the implementation; this interface is the whole of what the monitor asks of it.
 *
 * <p>Removal is lazy: re-filing an entry at a new deadline leaves its old entry behind, and {@link #takeNext} skips an
 * entry whose {@link Entry#deadline()} is no longer the instant it was filed at. Not thread-safe.
 *
 * @param <T> what is filed
 */
interface Deadlines<T extends Deadlines.Entry> {

    /** Something filed: its place among entries due at the same instant, and its current deadline. */
    interface Entry {
        /** Its order among entries due at one instant: distinct, from 0 to the number of entries - 1. */
        int rank();

        /** Its current deadline, epoch milliseconds, or {@link org.hotlinemonitor.core.model.Millis#NONE} for none. */
        long deadline();
    }

    /** Files {@code entry} at its current {@link Entry#deadline()}; an entry without a deadline is not filed. */
    void file(T entry);

    /** The earliest instant at which entries are filed (some may be stale), or {@code Millis.NONE} when none are. */
    long next();

    /**
     * Removes the earliest instant ({@link #next}) and hands its entries that are still due at it to {@code each},
     * each once, in rank order. {@code each} may file entries again, at later instants.
     */
    void takeNext(Consumer<? super T> each);
}
