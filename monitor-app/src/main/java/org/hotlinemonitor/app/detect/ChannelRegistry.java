package org.hotlinemonitor.app.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.model.Channel;

/**
 * The channels a detector watches as they stand now, sorted by the partition of the events topic that carries each
 * channel's events ({@link ChannelPartitions}): filled once from the configuration file, or kept up to date from a
 * channels topic ({@link ChannelTopic}) while the detector runs.
 *
 * <p>Each partition's channels have a version that moves whenever one of them is added, changed or removed; the
 * task of that partition compares it with the version it runs ({@link #version}) and, when it moved, takes the
 * partition's channels again ({@link #partition}) and applies the difference (docs/kafka.md, "Channels in a
 * topic"). A change that does not change a channel's {@link ChannelFingerprint} nor its name moves nothing.
 *
 * <p>Thread-safety: safe for one writer (the file's loader, or the topic's reader) and any number of readers. A
 * reader sees each change whole; two changes may be seen one without the other until the second version moves.
 */
public final class ChannelRegistry {

    /** A channel's detector and the fingerprint of what its state depends on. Immutable. */
    public record Entry(Detector detector, long fingerprint) {

        public Channel channel() {
            return detector.channel();
        }

        /** Whether {@code other} would change nothing here: the same fingerprint and the same name. */
        public boolean sameAs(Channel other) {
            return fingerprint == ChannelFingerprint.of(other) && channel().name().equals(other.name());
        }
    }

    private final int partitions;
    private final Map<String, Entry>[] byPartition;
    private final AtomicLongArray versions;

    /** An empty registry for an events topic of {@code partitions} partitions. */
    @SuppressWarnings("unchecked")
    public ChannelRegistry(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        this.partitions = partitions;
        this.byPartition = new Map[partitions];
        for (int p = 0; p < partitions; p++) {
            byPartition[p] = new ConcurrentHashMap<>();
        }
        this.versions = new AtomicLongArray(partitions);
    }

    /** A registry holding {@code channels}. */
    public static ChannelRegistry of(Collection<Channel> channels, int partitions) {
        ChannelRegistry registry = new ChannelRegistry(partitions);
        channels.forEach(registry::put);
        return registry;
    }

    public int partitions() {
        return partitions;
    }

    /**
     * Adds the channel, or replaces the one of the same id. Returns whether anything changed: a channel equal in
     * fingerprint and name to the one it replaces changes nothing.
     */
    public boolean put(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        int p = ChannelPartitions.partitionOf(channel.id(), partitions);
        Entry before = byPartition[p].get(channel.id());
        if (before != null && before.sameAs(channel)) {
            return false;
        }
        byPartition[p].put(channel.id(), new Entry(new Detector(channel), ChannelFingerprint.of(channel)));
        versions.incrementAndGet(p);
        return true;
    }

    /** Removes the channel; returns whether it was there. */
    public boolean remove(String id) {
        int p = ChannelPartitions.partitionOf(id, partitions);
        if (byPartition[p].remove(id) == null) {
            return false;
        }
        versions.incrementAndGet(p);
        return true;
    }

    /** The channel's entry, or {@code null}. */
    public Entry get(String id) {
        return byPartition[ChannelPartitions.partitionOf(id, partitions)].get(id);
    }

    /** The channel's detector, or {@code null}. */
    public Detector detector(String id) {
        Entry e = get(id);
        return e == null ? null : e.detector();
    }

    public boolean contains(String id) {
        return get(id) != null;
    }

    /** How many channels there are now. */
    public int size() {
        int n = 0;
        for (Map<String, Entry> m : byPartition) {
            n += m.size();
        }
        return n;
    }

    /** The version of the partition's channels: it moves at every change of one of them. */
    public long version(int partition) {
        return versions.get(partition);
    }

    /** A copy of the partition's channels now, in id order. */
    public Map<String, Entry> partition(int partition) {
        List<Map.Entry<String, Entry>> entries = new ArrayList<>(byPartition[partition].entrySet());
        entries.sort(Map.Entry.comparingByKey());
        Map<String, Entry> copy = new LinkedHashMap<>(entries.size() * 2);
        for (Map.Entry<String, Entry> e : entries) {
            copy.put(e.getKey(), e.getValue());
        }
        return copy;
    }

    /** Every channel now, in id order. */
    public List<Channel> channels() {
        List<Channel> all = new ArrayList<>(size());
        for (Map<String, Entry> m : byPartition) {
            m.values().forEach(e -> all.add(e.channel()));
        }
        all.sort(java.util.Comparator.comparing(Channel::id));
        return all;
    }
}
