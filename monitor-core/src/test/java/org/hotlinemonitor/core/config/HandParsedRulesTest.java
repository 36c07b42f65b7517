package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.Random;
import java.util.regex.Matcher;
import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.api.Test;

/**
 * The rules the loader checks by hand for every channel of a file (a check time, a channel id) accept exactly
 * what their patterns accept: every string of five characters over digits, ':' and others, and many random
 * strings of other lengths.
 */
class HandParsedRulesTest {

    private static final String TIME_CHARS = "0123456789:x\u0663 ";
    private static final String ID_CHARS = "az09._-AZ:/ \u00e9";

    private static LocalTime byPattern(String text) {
        Matcher m = ConfigLoader.CHECK_TIME.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    @Test
    void aCheckTimeIsWhatThePatternAccepts() {
        int accepted = 0;
        char[] c = new char[5];
        int k = TIME_CHARS.length();
        for (int code = 0; code < k * k * k * k * k; code++) {
            for (int i = 0, rest = code; i < 5; i++, rest /= k) {
                c[i] = TIME_CHARS.charAt(rest % k);
            }
            String text = new String(c);
            LocalTime expected = byPattern(text);
            assertThat(ConfigLoader.checkTime(text)).as(text).isEqualTo(expected);
            accepted += expected == null ? 0 : 1;
        }
        assertThat(accepted).isEqualTo(24 * 60);

        Random random = new Random(7);
        for (int n = 0; n < 300_000; n++) {
            StringBuilder b = new StringBuilder(n % 10 == 0 ? "" : String.format("%02d:%02d:%02d",
                    random.nextInt(30), random.nextInt(70), random.nextInt(70)));
            if (random.nextInt(3) == 0) { // damage one character, or cut or lengthen it
                int at = b.isEmpty() ? 0 : random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.insert(at, TIME_CHARS.charAt(random.nextInt(TIME_CHARS.length())));
                    case 1 -> b.setLength(at);
                    default -> {
                        if (!b.isEmpty()) {
                            b.setCharAt(at, TIME_CHARS.charAt(random.nextInt(TIME_CHARS.length())));
                        }
                    }
                }
            } else if (random.nextBoolean() && b.length() == 8) {
                b.setLength(5);
            }
            String text = b.toString();
            assertThat(ConfigLoader.checkTime(text)).as(text).isEqualTo(byPattern(text));
        }
    }

    @Test
    void aChannelIdIsWhatThePatternAccepts() {
        Random random = new Random(11);
        int accepted = 0;
        for (int n = 0; n < 300_000; n++) {
            int length = random.nextInt(70);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                // mostly good characters, so that long good ids occur
                b.append(random.nextInt(20) == 0 ? ID_CHARS.charAt(random.nextInt(ID_CHARS.length()))
                        : "abcxyz0189._-".charAt(random.nextInt(13)));
            }
            String id = b.toString();
            boolean expected = Channel.ID.matcher(id).matches();
            assertThat(Channel.isValidId(id)).as(id).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).isBetween(10_000, 290_000); // both answers well represented
    }
}
