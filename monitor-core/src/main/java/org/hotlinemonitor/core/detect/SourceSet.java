package org.hotlinemonitor.core.detect;

import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * The sources of the events applied to one slot, as a small immutable list: the names ascending (by
 * {@link String#compareTo}), at most {@link Alert#MAX_SOURCES} of them, then {@link Alert#MORE_SOURCES} when
 * there were more. The list kept is the smallest {@code MAX_SOURCES} names of all seen, so it does not depend
 * on the order the events came in: a replay and a live run that apply the same events in another order agree.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class SourceSet {

    private SourceSet() {
    }

    /**
     * {@code set} with {@code source} added: {@code set} itself when nothing changes (the source is in it, or is
     * {@code null}: an event without a source contributes nothing), else a new list. {@link Alert#MORE_SOURCES} as a
     * source only marks the set as having more.
     */
    public static List<String> add(List<String> set, String source) {
        if (source == null || set.contains(source)) {
            return set;
        }
        boolean more = !set.isEmpty() && set.get(set.size() - 1).equals(Alert.MORE_SOURCES);
        int names = more ? set.size() - 1 : set.size();
        if (source.equals(Alert.MORE_SOURCES)) { // a name the monitor's full table stands for: counts as more
            return withMore(set.subList(0, names));
        }
        int at = 0;
        while (at < names && set.get(at).compareTo(source) < 0) {
            at++;
        }
        if (names == Alert.MAX_SOURCES) {
            if (at == names) {
                return more ? set : withMore(set.subList(0, names)); // after every name kept: only counts as more
            }
            more = true;
            names--; // the largest name makes room
        }
        List<String> out = new ArrayList<>(names + 2);
        out.addAll(set.subList(0, at));
        out.add(source);
        out.addAll(set.subList(at, names));
        if (more) {
            out.add(Alert.MORE_SOURCES);
        }
        return List.copyOf(out);
    }

    private static List<String> withMore(List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.add(Alert.MORE_SOURCES);
        return List.copyOf(out);
    }

    /** Whether {@code set} is a set this class makes: names ascending and distinct, capped, {@code +more} last. */
    static boolean valid(List<String> set) {
        int names = !set.isEmpty() && set.get(set.size() - 1).equals(Alert.MORE_SOURCES) ? set.size() - 1 : set.size();
        if (names > Alert.MAX_SOURCES) {
            return false;
        }
        for (int i = 1; i < names; i++) {
            if (set.get(i - 1).compareTo(set.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}
