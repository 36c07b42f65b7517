package org.hotlinemonitor.core.replay;

import java.util.Objects;

/**
 * An input that could not be read to its end: a truncated or corrupt gzip file, or a read error. The lines before
 * the damage are replayed; nothing after it is read.
 *
 * @param input      the input's name as given
 * @param offset     where in the file as stored (compressed, for a {@code .gz}) its decoder stopped, in bytes from 0
 * @param compressed whether {@code offset} counts compressed bytes
 * @param lines      the complete lines read before the damage (a line cut short by it is refused as malformed)
 * @param problem    what went wrong, for people
 */
public record InputDamage(String input, long offset, boolean compressed, long lines, String problem) {

    public InputDamage {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(problem, "problem");
    }

    /** One line: "{@code NAME: damaged at byte N (compressed): PROBLEM; the L lines before it are replayed}". */
    public String describe() {
        return input + ": damaged at byte " + offset + (compressed ? " of the compressed file" : "") + " (" + problem
                + "): only the " + lines + " line(s) before it are replayed";
    }
}
