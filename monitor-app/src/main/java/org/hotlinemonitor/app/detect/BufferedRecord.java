package org.hotlinemonitor.app.detect;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * An input record waiting in the detector's reorder buffer: its original bytes and where it came from, so
 * that it can still be parsed when released, or sent to the dead letters as it was read.
 *
 * <p>The buffer is a key-value store whose keys ({@link #key}) sort by event time, then by offset (arrival
 * order), so that iterating it releases records in the order replay would apply them.
 *
 * @param topic     the topic it was read from
 * @param partition its partition
 * @param offset    its offset
 * @param timestamp its Kafka timestamp
 * @param key       its key bytes, or {@code null}
 * @param value     its value bytes (never {@code null}: a record without value is refused on arrival)
 * @param headers   its headers
 */
record BufferedRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                      Header[] headers) {

    private static final byte VERSION = 1;

    BufferedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        headers = headers == null ? new Header[0] : headers.clone();
    }

    Headers headersCopy() {
        return new RecordHeaders(headers.clone());
    }

    /** The store key of an event at {@code eventTime} read at {@code offset}: sorts by (time, offset) as unsigned bytes. */
    static Bytes key(long eventTime, long offset) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(eventTime ^ Long.MIN_VALUE); // flip the sign bit: negative times sort first
        b.putLong(offset ^ Long.MIN_VALUE);
        return Bytes.wrap(b.array());
    }

    /** The event time in a {@link #key}. */
    static long eventTime(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    /**
     * Version 1: {@code byte 1, utf8 topic, int32 partition, int64 offset, int64 timestamp, bytes key
     * (length -1 for null), bytes value, int32 header count, then per header utf8 name and bytes value};
     * byte strings are an int32 length and the bytes.
     */
    static final class BufferedRecordSerde implements Serde<BufferedRecord> {

        @Override
        public Serializer<BufferedRecord> serializer() {
            return (topic, r) -> r == null ? null : toBytes(r);
        }

        @Override
        public Deserializer<BufferedRecord> deserializer() {
            return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
        }

        static byte[] toBytes(BufferedRecord r) {
            byte[] topic = r.topic.getBytes(StandardCharsets.UTF_8);
            int size = 1 + 4 + topic.length + 4 + 8 + 8 + 4 + len(r.key) + 4 + r.value.length + 4;
            byte[][] names = new byte[r.headers.length][];
            for (int i = 0; i < r.headers.length; i++) {
                names[i] = r.headers[i].key().getBytes(StandardCharsets.UTF_8);
                size += 4 + names[i].length + 4 + len(r.headers[i].value());
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            b.put(VERSION);
            putBytes(b, topic);
            b.putInt(r.partition).putLong(r.offset).putLong(r.timestamp);
            putBytes(b, r.key);
            putBytes(b, r.value);
            b.putInt(r.headers.length);
            for (int i = 0; i < r.headers.length; i++) {
                putBytes(b, names[i]);
                putBytes(b, r.headers[i].value());
            }
            return b.array();
        }

        static BufferedRecord fromBytes(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            try {
                byte version = b.get();
                if (version != VERSION) {
                    throw new SerializationException("buffered record has version " + version
                            + ", this detector reads version " + VERSION);
                }
                String topic = new String(getBytes(b), StandardCharsets.UTF_8);
                int partition = b.getInt();
                long offset = b.getLong();
                long timestamp = b.getLong();
                byte[] key = getBytes(b);
                byte[] value = getBytes(b);
                int n = b.getInt();
                if (n < 0 || n > b.remaining()) {
                    throw new SerializationException("buffered record: bad header count " + n);
                }
                Header[] headers = new Header[n];
                for (int i = 0; i < n; i++) {
                    headers[i] = new RecordHeader(new String(getBytes(b), StandardCharsets.UTF_8), getBytes(b));
                }
                return new BufferedRecord(topic, partition, offset, timestamp, key, value, headers);
            } catch (BufferUnderflowException | NullPointerException e) {
                throw new SerializationException("buffered record is truncated or corrupt (" + bytes.length + " bytes)", e);
            }
        }

        private static int len(byte[] a) {
            return a == null ? 0 : a.length;
        }

        private static void putBytes(ByteBuffer b, byte[] a) {
            if (a == null) {
                b.putInt(-1);
            } else {
                b.putInt(a.length).put(a);
            }
        }

        private static byte[] getBytes(ByteBuffer b) {
            int n = b.getInt();
            if (n == -1) {
                return null;
            }
            if (n < 0 || n > b.remaining()) {
                throw new SerializationException("buffered record: bad length " + n);
            }
            byte[] a = new byte[n];
            b.get(a);
            return a;
        }
    }
}
