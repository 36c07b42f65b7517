package org.hotlinemonitor.app.detect;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A {@link DetectorView} as the real detector topology publishes it ({@link Harness}: the topology on a
 * TopologyTestDriver, one partition), for tests outside this package (the HTTP API's).
 */
public final class DetectorViewFixture {

    private DetectorViewFixture() {
    }

    /** The allowed lateness: an arrival may come this long after its event's time. */
    public static final Duration LATENESS = Duration.ofSeconds(5);

    /** An event (or heartbeat) arriving at {@code at} on the detector's clock, keyed by {@code key}. */
    public record Arrival(Instant at, String key, String json) {
    }

    /**
     * Runs the detector over {@code arrivals} from {@code start}, then moves its clock to {@code end}; returns the view of
     * the committed states.
     */
    public static DetectorView after(String yaml, Instant start, List<Arrival> arrivals, Instant end, Path stateDir) {
        try (Harness h = new Harness(yaml, LATENESS, start, stateDir)) {
            for (Arrival a : arrivals) {
                h.clock.set(a.at());
                h.send(a.key(), a.json());
                h.tick(a.at().plusMillis(1));
            }
            h.tick(end);
            if (!h.rejects().isEmpty()) {
                throw new IllegalArgumentException("the detector refused some of the arrivals; see the rejects");
            }
            // Closing the driver closes the task, which takes its channels out of the view: keep a copy.
            DetectorView copy = new DetectorView();
            copy.detectors(h.view.detectors());
            h.view.channels().forEach((id, state) -> copy.putChannel(0, id, state)); // one partition
            h.view.watermarks().forEach(copy::putWatermark);
            h.view.ourSide().forEach(copy::putOurSide);
            return copy;
        }
    }

    /** A channel's task publishes it to {@code view} (as at a commit), for tests outside this package. */
    public static void join(DetectorView view, int partition, String id, org.hotlinemonitor.core.detect.ChannelState state) {
        view.putChannel(partition, id, state);
    }

    /** The task of these channels leaves {@code view}. */
    public static void leave(DetectorView view, List<String> ids) {
        view.removeChannels(ids);
    }
}
