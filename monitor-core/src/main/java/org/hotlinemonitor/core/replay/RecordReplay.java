package org.hotlinemonitor.core.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.EventKind;

/**
 * A replay fed record by record by a caller that reads its input itself: {@link Replay} feeds one from log
 * files, the app from a Kafka topic. It holds the {@link ReplayDriver}, the {@link ReplayReport}, the rejects
 * and strict mode.
 *
 * <p>Use: {@link #input} names the source; then, in the order the replay is to see them, each record is
 * handed over either as an event that parsed and passed the {@link #gate()}'s checks ({@link #offer}) or as
 * refused with its reason ({@link #refuse}); then {@link #finish} once. The caller parses with
 * {@link org.hotlinemonitor.core.codec.EventDecoder}, resolving channel ids to indexes through the gate.
 * Alerts and rejects go to the consumers given, on the calling thread. Not thread-safe; a reading thread uses
 * its own {@link EventGate#copy() copy} of the gate.
 */
public final class RecordReplay {

    private final Replay.Options options;
    private final Consumer<RejectRecord> rejects;
    private final ReplayReport report;
    private final ReplayDriver driver;
    /** Where each held event was read, by its token, until the driver decides about it. */
    private final Map<Long, HeldRecord> held = new HashMap<>();
    /** The token of the event the last {@link #take} held, until it is {@link #keep kept}; -1 for none. */
    private long holding = -1;
    /** Under strict mode, the refusal of a held event, thrown when the call that refused it returns. */
    private BadInputException failed;
    private boolean finished;

    private record HeldRecord(RejectRecord.Origin where, RejectRecord.Raw raw) {
    }

    public RecordReplay(Replay.Options options, Consumer<Alert> alerts, Consumer<RejectRecord> rejects) {
        this(options, alerts, rejects, null);
    }

    /**
     * @param also told what the monitor decides as well, after the report (verdicts, states when it
     *             {@link Monitor.Listener#wantsStates() wants them}, and alerts in the order the alerts consumer gets
     *             them), on the calling thread; {@code null} for none
     */
    public RecordReplay(Replay.Options options, Consumer<Alert> alerts, Consumer<RejectRecord> rejects,
                        Monitor.Listener also) {
        Monitor.Listener extra = also;
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(alerts, "alerts");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        this.report = new ReplayReport(options.config());
        this.driver = new ReplayDriver(options.config(), options.allowedLateness(), options.maxJump(), options.until(),
                options.signing(),
                new Monitor.Listener() {
                    @Override
                    public void onAlert(Alert alert) {
                        report.onAlert(alert);
                        alerts.accept(alert);
                        if (extra != null) {
                            extra.onAlert(alert);
                        }
                    }

                    @Override
                    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                          MissCause cause, long firstAnswer) {
                        report.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
                        if (extra != null) {
                            extra.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
                        }
                    }

                    @Override
                    public boolean wantsStates() {
                        return extra != null && extra.wantsStates();
                    }

                    @Override
                    public void onStateChange(int channel, String channelId, long at, ChannelState state) {
                        extra.onStateChange(channel, channelId, at, state);
                    }
                },
                new ReplayDriver.HeldListener() {
                    @Override
                    public void taken(long token) {
                        held.remove(token);
                        report.event();
                    }

                    @Override
                    public void refused(long token, Rejection why) {
                        HeldRecord h = held.remove(token);
                        RejectRecord record = write(why, h.where(), h.raw());
                        if (options.strict() && failed == null) {
                            failed = new BadInputException(record);
                        }
                    }
                });
    }

    /** Names an input in the report (for example the topic). */
    public void input(String name) {
        report.input(name);
    }

    /**
     * The checks an event passes before {@link #offer} ({@link EventGate}): its signature when its source signs, its
     * channel is configured (and its index), a slot it names is valid, it is not after {@code until}; the caller
     * refuses, with {@link #refuse}, the events it fails. Not thread-safe: {@link EventGate#copy() copy} it on the
     * thread that uses it.
     */
    public EventGate gate() {
        return driver.gate();
    }

    /**
     * Takes the next record: an event that passed the the {@link #gate()}'s checks, in parts (see
     * {@link ReplayDriver#offerChecked(int, EventKind, long, long, String)}). It may still be refused as late, or
     * held and refused later as an outlier.
     *
     * @param where where it was read, for the rejects
     * @param raw   the record's bytes (UTF-8), kept if it is refused; {@code null} for none
     * @throws BadInputException under strict mode, when it was refused
     */
    public void offer(int channel, EventKind kind, long ts, long slot, String source, RejectRecord.Origin where,
                      byte[] raw) throws BadInputException {
        Rejection refused = take(channel, kind, ts, slot, source);
        if (refused != null) {
            keep(refused, where, RejectRecord.Raw.of(raw));
        }
    }

    /**
     * {@link #offer} without saying where the record came from until it is refused or held (no per-record
     * allocation): returns {@code null} when it was taken, else the rejection, which the caller must
     * {@link #keep}. {@link ReplayDriver#HELD} is one: the record waits, with where it was read, until the
     * replay takes it (then it counts as an event) or refuses it (then it is kept as any refused record).
     *
     * @throws BadInputException under strict mode, when an event held earlier was refused
     */
    public Rejection take(int channel, EventKind kind, long ts, long slot, String source) throws BadInputException {
        report.line();
        Rejection refused = driver.offerChecked(channel, kind, ts, slot, source);
        if (refused == null) {
            report.event();
        } else if (refused == ReplayDriver.HELD) {
            holding = driver.heldToken();
        }
        if (failed != null) {
            throw failed;
        }
        return refused;
    }

    /**
     * Takes the next record, which the caller refused (it did not parse, or failed a check).
     *
     * @throws BadInputException under strict mode
     */
    public void refuse(Rejection why, RejectRecord.Origin where, byte[] raw) throws BadInputException {
        refuse(why, where, RejectRecord.Raw.of(raw));
    }

    /** {@link #refuse(Rejection, RejectRecord.Origin, byte[])} with the record as text. */
    public void refuse(Rejection why, RejectRecord.Origin where, String raw) throws BadInputException {
        refuse(why, where, RejectRecord.Raw.text(raw));
    }

    /** {@link #refuse(Rejection, RejectRecord.Origin, byte[])} with the record's bytes as kept. */
    public void refuse(Rejection why, RejectRecord.Origin where, RejectRecord.Raw raw) throws BadInputException {
        report.line();
        keep(why, where, raw);
    }

    /**
     * Keeps a refused record: in the rejects, counted in the report, with its reason and where it was read.
     *
     * @throws BadInputException under strict mode
     */
    public void keep(Rejection r, RejectRecord.Origin where, String raw) throws BadInputException {
        keep(r, where, RejectRecord.Raw.text(raw));
    }

    /** {@link #keep(Rejection, RejectRecord.Origin, String)} with the record's bytes as kept. */
    public void keep(Rejection r, RejectRecord.Origin where, RejectRecord.Raw raw) throws BadInputException {
        if (r == ReplayDriver.HELD) {
            if (holding < 0) {
                throw new IllegalStateException("no held record to keep: take did not return HELD");
            }
            held.put(holding, new HeldRecord(where, raw));
            holding = -1;
            return;
        }
        RejectRecord record = write(r, where, raw);
        if (options.strict()) {
            throw new BadInputException(record);
        }
    }

    /** Writes a refused record to the rejects and counts it. */
    private RejectRecord write(Rejection r, RejectRecord.Origin where, RejectRecord.Raw raw) {
        RejectRecord record = new RejectRecord(where, r.reason(), r.field(), r.message(), raw);
        report.rejected(r);
        rejects.accept(record);
        return record;
    }

    /** Notes an input that ended early, damaged: the report names it. */
    public void damaged(InputDamage damage) {
        report.damaged(damage);
    }

    /** The report (closed once {@link #finish} has run). */
    public ReplayReport report() {
        return report;
    }

    /**
     * Ends the input, decides about held records, advances time to the end, and returns the closed report.
     *
     * @throws BadInputException under strict mode, when a held record was refused at the end
     */
    public ReplayReport finish() throws BadInputException {
        if (!finished) {
            finished = true;
            driver.finish();
            report.close(driver.firstEvent(), driver.end(), options.allowedLateness(), driver.states(), driver.outcomes());
            if (failed != null) {
                throw failed;
            }
        }
        return report;
    }

    /** Every channel's detector state (after {@link #finish}: at the end of the replay). */
    public Map<String, ChannelState> states() {
        return driver.states();
    }

}
