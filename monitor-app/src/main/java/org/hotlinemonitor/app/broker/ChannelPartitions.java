package org.hotlinemonitor.app.broker;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of {@code hotline.events} carries a channel's events: the producer's default partitioner
 * applied to the channel id as key ({@code toPositive(murmur2(utf8(id))) % partitions}). The detector's
 * task for that partition owns the channel: it holds its state and advances it when the channel is quiet.
 */
public final class ChannelPartitions {

    private ChannelPartitions() {
    }

    /** The partition among {@code partitions} that a record keyed by {@code channelId} goes to. */
    public static int partitionOf(String channelId, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(channelId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
