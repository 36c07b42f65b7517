package org.hotlinemonitor.app.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;

/**
 * The configuration's maintenance windows ({@code silences:}), per channel position: whether one covers a channel's
 * slot. Immutable.
 */
final class MaintenanceWindows {

    /** Per channel position in the configuration, the windows that name it. */
    private final List<List<Silence>> windows = new ArrayList<>();

    MaintenanceWindows(MonitorConfig config, List<Silence> silences) {
        for (Channel c : config.channels()) {
            windows.add(silences.stream().filter(s -> s.coversChannel(c.id())).toList());
        }
    }

    /** Whether a window covers the slot {@code slot} of the channel at position {@code channel} (-1: unknown, no). */
    boolean covers(int channel, Instant slot) {
        if (channel < 0 || channel >= windows.size()) {
            return false;
        }
        for (Silence s : windows.get(channel)) {
            if (s.activeAt(slot)) {
                return true;
            }
        }
        return false;
    }
}
