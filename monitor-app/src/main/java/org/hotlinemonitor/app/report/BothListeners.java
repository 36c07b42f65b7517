package org.hotlinemonitor.app.report;

import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;

/**
 * Tells two listeners what the monitor decides, {@code first} first: a replay takes one extra listener, and a report
 * may need several (the OpenMetrics history, the ledger, the monthly counts). Thread-safety: the listeners'.
 */
public final class BothListeners implements Monitor.Listener {

    private final Monitor.Listener first;
    private final Monitor.Listener second;
    private final boolean firstWantsStates;
    private final boolean secondWantsStates;

    private BothListeners(Monitor.Listener first, Monitor.Listener second) {
        this.first = first;
        this.second = second;
        this.firstWantsStates = first.wantsStates();
        this.secondWantsStates = second.wantsStates();
    }

    /** Both, either one when the other is {@code null}, or {@code null} when both are. */
    public static Monitor.Listener of(Monitor.Listener first, Monitor.Listener second) {
        return first == null ? second : second == null ? first : new BothListeners(first, second);
    }

    @Override
    public void onAlert(Alert alert) {
        first.onAlert(alert);
        second.onAlert(alert);
    }

    @Override
    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                          long firstAnswer) {
        first.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
        second.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
    }

    @Override
    public boolean wantsStates() {
        return firstWantsStates || secondWantsStates;
    }

    @Override
    public void onStateChange(int channel, String channelId, long at, ChannelState state) {
        if (firstWantsStates) {
            first.onStateChange(channel, channelId, at, state);
        }
        if (secondWantsStates) {
            second.onStateChange(channel, channelId, at, state);
        }
    }
}
