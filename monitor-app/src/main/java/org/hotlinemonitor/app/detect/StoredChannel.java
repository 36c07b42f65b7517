package org.hotlinemonitor.app.detect;

import java.util.Objects;
import org.hotlinemonitor.core.detect.ChannelState;

/**
 * A channel's detector state as the detector's store keeps it, with the fingerprint of the channel
 * configuration it was computed under ({@link ChannelFingerprint}).
 */
public record StoredChannel(long fingerprint, ChannelState state) {

    public StoredChannel {
        Objects.requireNonNull(state, "state");
    }
}
