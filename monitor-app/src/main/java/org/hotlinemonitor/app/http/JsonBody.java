package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A request body read strictly, the same way for every endpoint that takes one (pure): UTF-8 only (no byte order
 * mark, no UTF-16 or UTF-32, no malformed sequence), exactly one JSON object (nothing after it but white space), no
 * field given twice, and only the fields the endpoint knows, a misspelt one answered with the nearest known name.
 * Each refusal is an {@link ApiProblem} in our words.
 */
final class JsonBody {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBody() {
    }

    /**
     * Checks a declared {@code Content-Type}: its {@code charset}, if any, must be UTF-8.
     *
     * @throws ApiProblem 415 naming the declared charset
     */
    static void checkContentType(String contentType) throws ApiProblem {
        if (contentType == null) {
            return;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String charset = p.substring(eq + 1).trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiProblem(415, null, "charset '" + charset + "': the API reads UTF-8 only; send the body "
                            + "in UTF-8 (Content-Type: application/json)");
                }
            }
        }
    }

    /**
     * The body as one JSON object.
     *
     * @param what what the object is, for the messages ("a call-check event")
     * @throws ApiProblem 400: not UTF-8, not one JSON object, a field twice
     */
    static ObjectNode object(byte[] body, String what) throws ApiProblem {
        String text = utf8(body);
        JsonNode tree;
        try (JsonParser parser = JSON.createParser(text)) {
            try {
                tree = JSON.readTree(parser);
            } catch (JsonProcessingException e) {
                String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
                String duplicate = duplicateField(m);
                if (duplicate != null) {
                    throw ApiProblem.badField(duplicate, "field '" + JsonBody.shorten(duplicate) + "' given twice");
                }
                throw ApiProblem.badField(null, "not a JSON object: " + firstLine(m) + where(e));
            }
            try {
                if (tree != null && parser.nextToken() != null) {
                    throw new JsonParseException(parser, "a second value");
                }
            } catch (JsonProcessingException e) {
                throw ApiProblem.badField(null, "more than one JSON value: the body must be exactly one JSON object ("
                        + what + ") with nothing after it but white space; found more" + where(e));
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e); // a String has no I/O to fail
        }
        if (!(tree instanceof ObjectNode object)) {
            throw ApiProblem.badField(null, "expected a JSON object (" + what + "), was "
                    + (tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return object;
    }

    /**
     * Refuses a field not in {@code known}, naming the nearest known one.
     *
     * @throws ApiProblem 400 naming the unknown field
     */
    static void onlyKnownFields(ObjectNode object, List<String> known) throws ApiProblem {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                String near = nearest(f, known);
                throw ApiProblem.badField(f, "unknown field '" + shorten(f) + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
                        + " (expected " + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * The body decoded as UTF-8, refusing what is not: a byte order mark (of any encoding), a NUL byte (what UTF-16
     * and UTF-32 make of ASCII), a malformed sequence.
     */
    static String utf8(byte[] body) throws ApiProblem {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw notUtf8("it starts with a byte order mark (EF BB BF); send UTF-8 without one");
        }
        if (body.length >= 2 && ((body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF
                || (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE)) {
            throw notUtf8("it starts with a UTF-16 or UTF-32 byte order mark");
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                throw notUtf8("a NUL byte at offset " + i + " (UTF-16 or UTF-32?)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw notUtf8("a malformed byte sequence");
        }
    }

    private static ApiProblem notUtf8(String why) {
        return new ApiProblem(400, null, "the body is not UTF-8: " + why + "; the API reads UTF-8 only");
    }

    /** The known name nearest {@code name} by edit distance (case ignored), if near enough to be a slip; else null. */
    static String nearest(String name, List<String> known) {
        if (name.length() > 64) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // a slip: at most a third of the longer name changed, and at least one character
        return best != null && bestDistance <= Math.max(1, Math.max(name.length(), best.length()) / 3) ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A value echoed in a message, cut to 64 characters so that an error never repeats a large body. */
    static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "... (" + value.length() + " characters)";
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Jackson's duplicate-key error names the key. */
    private static String duplicateField(String m) {
        if (m.startsWith("Duplicate field '")) {
            int end = m.indexOf('\'', "Duplicate field '".length());
            return end > 0 ? m.substring("Duplicate field '".length(), end) : null;
        }
        return null;
    }
}
