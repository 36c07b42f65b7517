package org.hotlinemonitor.core.codec;

/**
 * Writes JSON string literals: quotes, {@code "}, {@code \} and control characters escaped; everything
 * else, non-ASCII included, kept as is (the output is meant to be encoded as UTF-8).
 *
 * <p>One exception to "kept as is": a surrogate that is not half of a pair is written as a
 * {@code \}{@code uXXXX} escape. Such a string cannot be encoded in UTF-8 (the encoder would put a
 * {@code ?} in its place), and the escape makes every Java string survive a round trip exactly.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class JsonStrings {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    /** {@code s} as a quoted JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} to {@code sb} as a quoted JSON string literal. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int clean = 0; // start of the run of characters that need no escape, appended in one call
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isSurrogate(c) && isPaired(s, i, c)) {
                i++; // the low half of the pair follows and is kept with it
                continue;
            }
            sb.append(s, clean, i);
            clean = i + 1;
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        sb.append(s, clean, n).append('"');
    }

    /** True when the surrogate {@code c} at {@code i} is a high surrogate followed by a low one. */
    private static boolean isPaired(String s, int i, char c) {
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
