package org.hotlinemonitor.core.replay;


import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Replays call logs through the detector: reads each input line by line, parses it, keeps every
 * refused line as a {@link RejectRecord} (with file, line, field and reason), and runs the rest through
 * a {@link ReplayDriver}. The inputs are read in the order given, as if concatenated; within the allowed
 * lateness their events may be out of order. An input damaged part way (a truncated or corrupt gzip file) is
 * replayed up to the damage, which the report names ({@link ReplayReport#damage()}); the next inputs are still read.
 *
 * <p>Each input is read, parsed and checked on a reader thread ({@link ReadAhead}) while the calling
 * thread orders and applies the events, so that the two halves use both cores. The caller owns the
 * outputs: alerts and rejects go to the consumers given, in order, on the calling thread; the report
 * is returned. Not thread-safe; one replay per instance.
 */
public final class Replay {

    /**
     * @param config          the channels
     * @param allowedLateness how far out of order events may arrive
     * @param maxJump         how far ahead of the replay's time an event may be taken without others to confirm
     *                        the jump (see {@link ReplayDriver}); positive
     * @param until           where time ends, and past which events are refused; {@code null}: the newest event
     * @param strict          stop at the first refused line with a {@link BadInputException}
     * @param signing         the sources that must sign: their events without a valid {@code sig} are refused with
     *                        reason {@code bad-signature} ({@link org.hotlinemonitor.core.ingest.Signing})
     */
    public record Options(MonitorConfig config, Duration allowedLateness, Duration maxJump, Instant until, boolean strict,
                          SigningConfig signing) {
        public Options {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(signing, "signing");
            Objects.requireNonNull(allowedLateness, "allowedLateness");
            Objects.requireNonNull(maxJump, "maxJump");
            if (maxJump.isNegative() || maxJump.isZero()) {
                throw new IllegalArgumentException("maxJump must be positive, was " + maxJump);
            }
        }

        /** Without sources that must sign. */
        public Options(MonitorConfig config, Duration allowedLateness, Duration maxJump, Instant until, boolean strict) {
            this(config, allowedLateness, maxJump, until, strict, SigningConfig.NONE);
        }

        /** This with {@code signing}'s sources required to sign. */
        public Options withSigning(SigningConfig signing) {
            return new Options(config, allowedLateness, maxJump, until, strict, signing);
        }

        /** With the default maxJump ({@link ReplayDriver#DEFAULT_MAX_JUMP}). */
        public Options(MonitorConfig config, Duration allowedLateness, Instant until, boolean strict) {
            this(config, allowedLateness, ReplayDriver.DEFAULT_MAX_JUMP, until, strict);
        }
    }

    /** Told how far the replay has got, after each batch of records read. */
    public interface Progress {
        void update(String input, long bytesRead, long bytesTotal, long lines);

        Progress NONE = (input, read, total, lines) -> { };
    }


    private final Progress progress;
    private final RecordReplay replay;
    private long records;

    public Replay(Options options, Consumer<Alert> alerts, Consumer<RejectRecord> rejects, Progress progress) {
        this(options, alerts, rejects, progress, null);
    }

    /**
     * @param also told what the monitor decides as well ({@link RecordReplay#RecordReplay(Options, Consumer, Consumer,
     *             org.hotlinemonitor.core.detect.Monitor.Listener)}); {@code null} for none
     */
    public Replay(Options options, Consumer<Alert> alerts, Consumer<RejectRecord> rejects, Progress progress,
                  org.hotlinemonitor.core.detect.Monitor.Listener also) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.replay = new RecordReplay(options, alerts, rejects, also);
    }

    /** Replays the inputs in order and returns the closed report. {@code stdin} serves the input named {@code -}. */
    public ReplayReport run(List<LogInput> inputs, InputStream stdin) throws IOException, BadInputException {
        for (LogInput input : inputs) {
            read(input, stdin);
        }
        return replay.finish();
    }

    /** The report (closed once {@link #run} has returned). */
    public ReplayReport report() {
        return replay.report();
    }

    /** Every channel's detector state (after {@link #run}: at the end of the replay). */
    public java.util.Map<String, org.hotlinemonitor.core.detect.ChannelState> states() {
        return replay.states();
    }

    private void read(LogInput input, InputStream stdin) throws IOException, BadInputException {
        replay.input(input.name());
        long total = input.size();
        try (ReadAhead ahead = new ReadAhead(input, stdin, replay.gate())) {
            ReadAhead.Batch batch;
            while ((batch = ahead.next()) != null) {
                for (int i = 0; i < batch.size; i++) {
                    Rejection refused = batch.rejections[i];
                    if (refused != null) {
                        replay.refuse(refused, new RejectRecord.Line(input.name(), batch.lines[i]), batch.text(i));
                    } else {
                        refused = replay.take(batch.channels[i], batch.kinds[i], batch.times[i], batch.slots[i],
                                batch.sources[i]);
                        if (refused != null) {
                            replay.keep(refused, new RejectRecord.Line(input.name(), batch.lines[i]), batch.text(i));
                        }
                    }
                }
                if (batch.damage != null) {
                    replay.damaged(batch.damage);
                }
                records += batch.size;
                progress.update(input.name(), batch.bytesRead, total, records);
                ahead.recycle(batch);
            }
        } catch (IOException e) {
            throw new IOException("cannot read " + input.name() + ": " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }
}
