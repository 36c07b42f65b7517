package org.hotlinemonitor.core.codec;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Signs and checks call-check events with a key shared by one source and the detector (HMAC-SHA256).
 *
 * <p>The signature is {@code sig = base64url(HMAC-SHA256(key, canonical))}, base64url without padding (RFC 4648
 * section 5: 43 characters), where {@code canonical} is the UTF-8 bytes of the event's canonical JSON line
 * <em>without</em> {@code sig} ({@link EventWriter}): fields in the order channel, kind, ts, slot, id, source,
 * note; absent fields left out; no whitespace; instants in UTC as {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} (the
 * fraction only when not zero, three digits); strings escaped as {@link JsonStrings} does. A signer in another
 * language builds that line from the values it sends, not from the bytes it sends: the detector parses the event
 * and writes the line again, so field order, spaces and the form of the timestamps on the wire do not matter, but
 * every value does, the source included. The key is the bytes it is given (a key file's text, UTF-8, without
 * the trailing line break). docs/security.md has a test vector.
 *
 * <p>Comparison is in constant time ({@link MessageDigest#isEqual}). The key is never shown: {@link #toString()}
 * names the source only.
 *
 * <p>Thread-safety: not thread-safe (it holds a {@link Mac}); one per thread.
 */
public final class EventSignature {

    /** Keys shorter than this many bytes are refused: HMAC-SHA256 wants at least its output's 32. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String source;
    private final Mac mac;
    private final StringBuilder line = new StringBuilder(192);

    /**
     * @param source the source the key belongs to, for messages
     * @param key    the shared key, at least {@value #MIN_KEY_BYTES} bytes; copied
     * @throws IllegalArgumentException if the key is too short
     */
    public EventSignature(String source, byte[] key) {
        this.source = Objects.requireNonNull(source, "source");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the signing key of source '" + source + "' has " + key.length
                    + " bytes; at least " + MIN_KEY_BYTES + " are needed");
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** The source whose key this holds. */
    public String source() {
        return source;
    }

    /** The canonical bytes that are signed: the canonical JSON line of {@code event} without {@code sig}, UTF-8. */
    public static byte[] canonical(CallEvent event) {
        return EventWriter.toJson(event.sig() == null ? event : event.withSig(null)).getBytes(StandardCharsets.UTF_8);
    }

    /** The signature of {@code event} (its own {@code sig}, if any, is not signed). */
    public String sign(CallEvent event) {
        return BASE64URL.encodeToString(mac(event));
    }

    /** {@code event} with its signature in {@code sig}. */
    public CallEvent signed(CallEvent event) {
        return event.withSig(sign(event));
    }

    /** Whether {@code event} carries the signature this key gives it; {@code false} when it carries none. */
    public boolean verify(CallEvent event) {
        String sig = event.sig();
        if (sig == null) {
            return false;
        }
        byte[] expected = BASE64URL.encodeToString(mac(event)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(CallEvent event) {
        line.setLength(0);
        EventWriter.appendJson(line, event.sig() == null ? event : event.withSig(null));
        return mac.doFinal(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "EventSignature[" + source + "]";
    }
}
