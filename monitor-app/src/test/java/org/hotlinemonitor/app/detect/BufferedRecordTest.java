package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class BufferedRecordTest {

    @Test
    void keysSortByEventTimeThenOffsetAsUnsignedBytes() {
        long[][] ordered = {
            {Long.MIN_VALUE + 1, 0}, {-86_400_000L, 5}, {-1, 0}, {0, 0}, {0, 1}, {0, Long.MAX_VALUE},
            {1_680_825_600_000L, 3}, {1_680_825_600_000L, 4}, {1_680_825_600_001L, 0}, {Long.MAX_VALUE, 0}};
        List<Bytes> keys = new ArrayList<>();
        for (long[] k : ordered) {
            Bytes key = BufferedRecord.key(k[0], k[1]);
            assertThat(BufferedRecord.eventTime(key)).isEqualTo(k[0]);
            keys.add(key);
        }
        List<Bytes> sorted = new ArrayList<>(keys);
        sorted.sort(null); // Bytes compare as unsigned bytes, as RocksDB and the in-memory stores do
        assertThat(sorted).containsExactlyElementsOf(keys);
    }

    @Test
    void roundTripsWithNullKeyAndHeaders() {
        BufferedRecord r = new BufferedRecord("hotline.events", 3, 1234L, 1_680_825_600_000L, null,
                "{\"kind\":\"HEARTBEAT\",\"ts\":0}".getBytes(StandardCharsets.UTF_8),
                new Header[] {new RecordHeader("trace-id", "x".getBytes(StandardCharsets.UTF_8)), new RecordHeader("empty", null)});
        BufferedRecord back = BufferedRecord.BufferedRecordSerde.fromBytes(BufferedRecord.BufferedRecordSerde.toBytes(r));
        assertThat(back.topic()).isEqualTo("hotline.events");
        assertThat(back.partition()).isEqualTo(3);
        assertThat(back.offset()).isEqualTo(1234L);
        assertThat(back.timestamp()).isEqualTo(1_680_825_600_000L);
        assertThat(back.key()).isNull();
        assertThat(back.value()).isEqualTo(r.value());
        assertThat(back.headersCopy().toArray()).containsExactly(r.headers());
    }
}
