package org.hotlinemonitor.app.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;

/** A scheduler's sink with a signing key: every record on the topic, heartbeat copies included, carries a valid sig. */
@org.junit.jupiter.api.Tag("integration")
class SignedEventPublisherTest {

    static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";

    @Test
    void everyRecordIsSigned() throws Exception {
        try (KafkaClusterTestKit cluster = TestCluster.start(1)) {
            TestCluster.createTopic(cluster, "signed.events", 2);
            EventSignature signer = new EventSignature("field-1", KEY.getBytes(StandardCharsets.UTF_8));
            Instant t = Instant.parse("2023-04-07T00:00:01Z");
            KafkaEventPublisher closed;
            try (KafkaEventPublisher sink = new KafkaEventPublisher(KafkaEventPublisher.producerConfig(cluster.bootstrapServers(), "field-1",
                    Duration.ofSeconds(30), Map.of()), "signed.events", Duration.ofSeconds(30), signer)) {
                sink.publish(new CallEvent("liaison-office", EventKind.CALL_PLACED, t, t.minusSeconds(1), "id-1", "field-1", null));
                sink.publishHeartbeat(CallEvent.heartbeat(t, "field-1"));
                closed = sink;
            } // close sends what the outbox holds
            assertThat(closed.delivered()).as("the event, and the heartbeat on each partition").isEqualTo(3);
            List<ConsumerRecord<String, String>> records = TestCluster.readAll(cluster.bootstrapServers(), "signed.events");
            assertThat(records).hasSize(3);
            EventDecoder parser = new JsonEventParser();
            for (ConsumerRecord<String, String> r : records) {
                CallEvent e = decode(parser, r.value());
                assertThat(e.sig()).as(r.value()).isNotNull();
                assertThat(signer.verify(e)).as(r.value()).isTrue();
            }
        }
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
