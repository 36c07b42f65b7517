package org.hotlinemonitor.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** Only the known warnings are dropped: by logger and message, after Kafka's log-context prefix. */
class KnownNoiseTest {

    final LoggerContext context = new LoggerContext();
    final KnownNoise filter = new KnownNoise();

    FilterReply decide(String logger, Level level, String format, Object... params) {
        return filter.decide(null, context.getLogger(logger), level, format, params, null);
    }

    @Test
    void dropsTheKnownWarningsWithOrWithoutTheLogContextPrefix() {
        assertThat(decide("org.apache.kafka.controller.QuorumController", Level.WARN,
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty. Appending 6 records"))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already been closed."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.streams.StreamsConfig", Level.WARN,
                "Processing exception handler is not enabled for the GlobalThread. It's recommended to ..."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("kafka.server.DefaultAutoTopicCreationManager", Level.WARN,
                "Auto topic creation failed for __transaction_state with error 'TOPIC_ALREADY_EXISTS': Topic '__transaction_state' already exists."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.producer.internals.Sender", Level.WARN,
                "[Producer clientId=d-StreamThread-2-producer, transactionalId=d-2] Got error produce response with correlation id {}"
                        + " on topic-partition {}, retrying ({} attempts left). Error: {}",
                17, "d-detector-channels-changelog-1", 2147483646, "CONCURRENT_TRANSACTIONS"))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsEveryOtherWarningOfThoseLoggersAndErrors() {
        assertThat(decide("org.apache.kafka.clients.producer.internals.Sender", Level.WARN,
                "[Producer clientId=p] Got error produce response with correlation id {} on topic-partition {}, retrying ({} "
                        + "attempts left). Error: {}", 17, "hotline.alerts-1", 5, "NOT_ENOUGH_REPLICAS"))
                .as("another produce error shows").isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "[Consumer clientId=c] Bootstrap broker localhost:9092 (id: -1 rack: null) disconnected"))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.apache.kafka.controller.QuorumController", Level.ERROR,
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty."))
                .as("an error is never dropped").isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.hotlinemonitor.app.cli.RunCommand", Level.WARN,
                "Attempting to close NetworkClient that has already been closed."))
                .as("the same words from another logger").isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("kafka.server.DefaultAutoTopicCreationManager", Level.WARN,
                "Auto topic creation failed for hotline.events with error 'TOPIC_ALREADY_EXISTS': Topic 'hotline.events' already exists."))
                .as("only the internal topics' race").isEqualTo(FilterReply.NEUTRAL);
    }
}
