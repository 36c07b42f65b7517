package org.hotlinemonitor.app.notify;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.ingest.Rejection;

/**
 * The notifier's dead letters on {@code hotline.rejects}, with {@link DeadLetters}' headers: the original key,
 * value, headers and timestamp, plus {@value DeadLetters#REASON}, {@value DeadLetters#FIELD} (when known),
 * {@value DeadLetters#MESSAGE}, {@value DeadLetters#TOPIC}, {@value DeadLetters#PARTITION}, {@value DeadLetters#OFFSET},
 * and, for a page a sink refused, {@value #SINK}. Reasons:
 * <ul>
 *   <li>{@code malformed}: the alerts topic held something that is not an alert;</li>
 *   <li>{@value #SINK_REJECTED}: a sink answered with a permanent failure (a 4xx other than 408, 425, 429).</li>
 * </ul>
 *
 * <p>Thread-safety: safe from any thread (the producer is); blocks until the broker has the record.
 */
final class NotifyRejects {

    /** The header naming the sink that refused the page. */
    static final String SINK = "reject.sink";
    static final String SINK_REJECTED = "sink-rejected";

    private static final Pattern FIELD = Pattern.compile("^(?:missing )?field '([^']+)'");

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final RejectCounter counter;

    NotifyRejects(Producer<byte[], byte[]> producer, String topic, RejectCounter counter) {
        this.producer = producer;
        this.topic = topic;
        this.counter = counter;
    }

    /** A record that is not an alert; {@code message} from {@code AlertCodec.fromJson}. */
    void malformed(ConsumerRecord<byte[], byte[]> record, String message) throws InterruptedException {
        Matcher field = FIELD.matcher(message);
        send(record, Rejection.MALFORMED, field.find() ? field.group(1) : null, message, null);
    }

    /** An alert a sink refused for good. */
    void refused(ConsumerRecord<byte[], byte[]> record, String sink, String reason) throws InterruptedException {
        send(record, SINK_REJECTED, null, "sink " + sink + " refused the page: " + reason, sink);
    }

    private void send(ConsumerRecord<byte[], byte[]> record, String reason, String field, String message, String sink)
            throws InterruptedException {
        RecordHeaders h = new RecordHeaders(record.headers().toArray());
        h.add(DeadLetters.REASON, utf8(reason));
        if (field != null) {
            h.add(DeadLetters.FIELD, utf8(field));
        }
        h.add(DeadLetters.MESSAGE, utf8(message));
        h.add(DeadLetters.TOPIC, utf8(record.topic()));
        h.add(DeadLetters.PARTITION, utf8(Integer.toString(record.partition())));
        h.add(DeadLetters.OFFSET, utf8(Long.toString(record.offset())));
        if (sink != null) {
            h.add(SINK, utf8(sink));
        }
        try {
            producer.send(new ProducerRecord<byte[], byte[]>(topic, null, record.timestamp(), record.key(),
                    record.value(), h)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write a dead letter to " + topic + ": " + e.getCause(), e.getCause());
        }
        counter.increment(reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
