package org.hotlinemonitor.app.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.status.StatusLedger;

/**
 * Feeds the status page's {@link StatusLedger} from the live detector: each commit's decided slots and sent alerts
 * ({@link DetectorView.Decisions}), the state of each channel as its task restored it (so that an outage that began
 * before a restart is still shown down), a slot marked maintenance when one of the process's silences covers its channel
 * at the slot's instant, and what is older than {@link #KEEP} forgotten (at most once per {@link #FORGET_EVERY} of the
 * clock).
 *
 * <p>Work per commit: in proportion to its decided slots (times the silences), never a pass over every channel but for
 * the hourly forgetting. The ledger knows what this process's detector decided since it started: the days before are
 * "no data", and with several detector instances each knows the channels of its own tasks only (docs/api.md).
 *
 * <p>Thread-safe: called from any stream thread.
 */
public final class StatusFeed implements DetectorView.Decisions {

    /** How far back the ledger keeps slots: the page's 90 days and one more (a local day is not a UTC day). */
    public static final Duration KEEP = Duration.ofDays(StatusView.DAYS + 1L);
    /** How often (clock time) what is older than {@link #KEEP} is forgotten. */
    static final Duration FORGET_EVERY = Duration.ofHours(1);

    private static final Verdict[] VERDICTS = Verdict.values();
    private static final MissCause[] CAUSES = MissCause.values();

    private final StatusLedger ledger;
    private final SilenceStore silences;
    private final Clock clock;
    private Instant forgotAt; // null before the first time; guarded by this

    /**
     * @param silences the maintenance windows this process knows (the API's and the configuration's), or {@code null}:
     *                 none, no slot is marked maintenance
     * @param clock    the detector's clock, for forgetting
     */
    public StatusFeed(StatusLedger ledger, SilenceStore silences, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.silences = silences;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public StatusLedger ledger() {
        return ledger;
    }

    @Override
    public void decided(String[] channels, long[] slots, byte[] verdicts, byte[] causes, int count) {
        List<SilenceStore.Entry> windows = silences == null || count == 0 ? List.of() : silences.entries();
        for (int i = 0; i < count; i++) {
            Instant slot = Instant.ofEpochMilli(slots[i]);
            ledger.verdict(channels[i], slot, VERDICTS[verdicts[i]], causes[i] < 0 ? null : CAUSES[causes[i]],
                    maintenance(windows, channels[i], slot));
        }
        forgetOld();
    }

    @Override
    public void sent(List<Alert> alerts) {
        for (Alert a : alerts) {
            ledger.alert(a);
        }
    }

    /**
     * A channel's restored state: the ledger knows it from now on, and an outage that began before (the detector says
     * down) is open since its first missed slot; days before this process started stay "no data".
     */
    @Override
    public void joined(String id, ChannelState state) {
        if (state.status() != ChannelStatus.UNKNOWN) {
            ledger.resumed(id, state.down() ? state.streakSinceInstant() : null, state.streak());
        }
    }

    private static boolean maintenance(List<SilenceStore.Entry> windows, String channel, Instant slot) {
        for (SilenceStore.Entry e : windows) {
            Silence s = e.silence();
            if (s.coversChannel(channel) && s.activeAt(slot)) {
                return true;
            }
        }
        return false;
    }

    private void forgetOld() {
        Instant now = clock.instant();
        synchronized (this) {
            if (forgotAt != null && now.isBefore(forgotAt.plus(FORGET_EVERY))) {
                return;
            }
            forgotAt = now;
        }
        ledger.forget(now.minus(KEEP));
    }
}
