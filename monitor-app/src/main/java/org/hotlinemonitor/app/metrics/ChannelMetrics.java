package org.hotlinemonitor.app.metrics;

import java.util.Locale;

/**
 * Which channels get the per-channel series ({@code hotline_channel_*}): they are the most useful and the most
 * expensive (26 lines, about 2 kB, per channel). The counts by state ({@code hotline_channels}) are there in every mode.
 */
public enum ChannelMetrics {
    /** Every owned channel (the default). */
    ALL("all"),
    /** None: only the aggregates. */
    NONE("none"),
    /**
     * The owned channels shown {@code missed} or {@code down}, checked before each scrape: a channel gets its series when
     * it misses a slot and loses them once it is {@code up} (or {@code unknown}) again. Not {@code unknown}: a fresh
     * channel is unknown until its first slot is decided, and while our side is silent every channel is, which would
     * give every channel its series exactly when there are most of them.
     */
    FAILING("failing");

    private final String text;

    ChannelMetrics(String text) {
        this.text = text;
    }

    /** As written on the command line: {@code all}, {@code none}, {@code failing}. */
    public String text() {
        return text;
    }

    /** The mode named {@code text} (case and surrounding blanks ignored). */
    public static ChannelMetrics parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ChannelMetrics m : values()) {
            if (m.text.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be all, none or failing, was '" + text + "'");
    }

    @Override
    public String toString() {
        return text;
    }
}
