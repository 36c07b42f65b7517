package org.hotlinemonitor.app.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.status.StatusLedger;

/**
 * Feeds a {@link StatusLedger} from the detector: each decided slot, flagged as maintenance when one of the
 * configuration's maintenance windows ({@code silences:}) covers the channel at the slot, and each alert.
 * Not thread-safe on its own (the ledger is): called on the replay's thread.
 */
public final class LedgerListener implements Monitor.Listener {

    private final StatusLedger ledger;
    private final MaintenanceWindows maintenance;

    public LedgerListener(StatusLedger ledger, MonitorConfig config, List<Silence> silences) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.maintenance = new MaintenanceWindows(config, silences);
    }

    @Override
    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                          long firstAnswer) {
        Instant at = Instant.ofEpochMilli(slot);
        ledger.verdict(channelId, at, verdict, cause, maintenance.covers(channel, at));
    }

    @Override
    public void onAlert(Alert alert) {
        ledger.alert(alert);
    }
}
