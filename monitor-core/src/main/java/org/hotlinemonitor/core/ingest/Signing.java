package org.hotlinemonitor.core.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * The check of signed events, shared by replay and the live detector: an event whose {@code source} is configured
 * to sign must carry its valid {@code sig}, else it is refused with reason {@link Rejection#BAD_SIGNATURE}. Events
 * of other sources, and events without a source, pass as they are, signed or not.
 *
 * <p>The check costs one map lookup for an event of a source that does not sign. Messages never show a key or
 * the signature expected.
 *
 * <p>Thread-safety: not thread-safe (it holds a {@link javax.crypto.Mac} per source); one per thread.
 */
public final class Signing {

    private final SigningConfig config;
    private final Map<String, EventSignature> signatures = new HashMap<>();

    public Signing(SigningConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        for (String source : config.sources()) {
            signatures.put(source, config.signature(source));
        }
    }

    /** Whether events of {@code source} must be signed ({@code null}: no). */
    public boolean signs(String source) {
        return source != null && signatures.containsKey(source);
    }

    /** Whether no source signs: {@link #check} passes everything. */
    public boolean isEmpty() {
        return signatures.isEmpty();
    }

    /** {@code null} when {@code event} may be taken, else its {@code bad-signature} rejection. */
    public Rejection check(CallEvent event) {
        EventSignature signature = event.source() == null ? null : signatures.get(event.source());
        if (signature == null || signature.verify(event)) {
            return null;
        }
        return new Rejection(Rejection.BAD_SIGNATURE, "sig", event.sig() == null
                ? "source '" + event.source() + "' must sign its events, and this one has no sig"
                : "sig is not the signature of this event by source '" + event.source()
                        + "' (signed with another key, or changed after it was signed)");
    }

    /** A checker for another thread, with the same configuration. */
    public Signing copy() {
        return new Signing(config);
    }
}
