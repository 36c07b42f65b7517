package org.hotlinemonitor.app.detect;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.hotlinemonitor.core.ingest.Rejection;

/**
 * The dead-letter records of {@code hotline.rejects}: a refused record's original key and value bytes and
 * headers, its original timestamp, plus these headers (UTF-8 text):
 * <ul>
 *   <li>{@value #REASON}: the reason code, one of replay's ({@link Rejection}: {@code malformed},
 *       {@code invalid-field}, {@code bad-signature}, {@code unknown-channel}, {@code not-a-slot}, {@code too-early},
 *       {@code late}, {@code beyond-until}) or {@code wrong-partition} ({@link Rejection#WRONG_PARTITION}), which only Kafka has;</li>
 *   <li>{@value #FIELD}: the field at fault, when there is one;</li>
 *   <li>{@value #MESSAGE}: a sentence for people;</li>
 *   <li>{@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}: where the record was read.</li>
 * </ul>
 */
public final class DeadLetters {

    public static final String REASON = "reject.reason";
    public static final String FIELD = "reject.field";
    public static final String MESSAGE = "reject.message";
    public static final String TOPIC = "reject.topic";
    public static final String PARTITION = "reject.partition";
    public static final String OFFSET = "reject.offset";

    private DeadLetters() {
    }

    /** The original headers (copied) followed by the reject headers. */
    static Headers headers(Headers original, Rejection why, String topic, int partition, long offset) {
        RecordHeaders h = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
        h.add(REASON, utf8(why.reason()));
        if (why.field() != null) {
            h.add(FIELD, utf8(why.field()));
        }
        h.add(MESSAGE, utf8(why.message()));
        h.add(TOPIC, utf8(topic));
        h.add(PARTITION, utf8(Integer.toString(partition)));
        h.add(OFFSET, utf8(Long.toString(offset)));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
