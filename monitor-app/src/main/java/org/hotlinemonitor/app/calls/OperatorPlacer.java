package org.hotlinemonitor.app.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.codec.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls placed by a person: the operator makes the call on the hotline's own telephone and records how
 * it went with the {@code record} command, which publishes the outcome event.
 *
 * <p>The scheduler publishes nothing for these slots ({@link #placesCalls()} is false): a
 * {@code CALL_PLACED} from the scheduler would claim a call that nobody may have made, and a forgotten
 * call would then look like the far side's miss ({@code SLOT_MISSED}) instead of what it is, our side's
 * ({@code CALL_NOT_PLACED}). Any outcome the operator records ({@code NO_ANSWER} and {@code LINE_FAULT}
 * included) shows the call was made. The scheduler still publishes heartbeats, so the detector's time
 * moves and it can tell our silence from the far side's. Each slot is logged as a reminder that ends with the
 * {@code record} command answering it, ready to paste into a shell.
 */
public final class OperatorPlacer implements CallPlacer {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorPlacer.class);

    /** Words a shell takes as they are; any other word is single-quoted. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:,=@+%-]+");

    private final List<String> recordCommand;

    /** Reminders naming only the {@code record} options that depend on the slot. */
    public OperatorPlacer() {
        this(List.of("record"));
    }

    /**
     * @param recordCommand the words of the {@code record} command that reaches this run's events topic, up to (not
     *                      including) {@code --channel}: the program, {@code record}, {@code --bootstrap-servers} ...
     */
    public OperatorPlacer(List<String> recordCommand) {
        this.recordCommand = List.copyOf(recordCommand);
        if (this.recordCommand.isEmpty()) {
            throw new IllegalArgumentException("recordCommand must not be empty");
        }
    }

    @Override
    public String name() {
        return "operator";
    }

    @Override
    public boolean placesCalls() {
        return false;
    }

    /** Logs a reminder; the returned stage never completes, since the outcome comes from {@code record}. */
    @Override
    public CompletionStage<CallOutcome> place(CallAttempt attempt) {
        LOG.info("{}", reminder(attempt));
        return new CompletableFuture<>();
    }

    /**
     * The reminder for {@code attempt}: the slot, then the command recording it as answered, last on the line so that
     * it can be copied to the line's end and pasted into a POSIX shell as it is.
     */
    public String reminder(CallAttempt attempt) {
        String slot = Timestamps.format(attempt.slot().toEpochMilli());
        return "call due on " + attempt.channel().id() + " for slot " + slot + (attempt.late() ? " (late)" : "")
                + "; once placed, record it (--no-answer or --line-fault in place of --answered when it was not answered): "
                + command(attempt.channel().id(), slot);
    }

    private String command(String channel, String slot) {
        List<String> words = new ArrayList<>(recordCommand);
        words.addAll(List.of("--channel", channel, "--slot", slot, "--answered"));
        return String.join(" ", words.stream().map(OperatorPlacer::shellQuoted).toList());
    }

    /** {@code word} as a POSIX shell reads it back: as it is when plain, else in single quotes. */
    static String shellQuoted(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
