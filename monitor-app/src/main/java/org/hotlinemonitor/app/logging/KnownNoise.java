package org.hotlinemonitor.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the few warnings Kafka logs on every normal start and stop of the embedded broker and its clients, which tell
 * an operator nothing and teach them to ignore warnings: a fresh controller's "the metadata log appears to be
 * empty" (it is, on first start), a client closed twice at shutdown, an internal topic ({@code __transaction_state},
 * {@code __consumer_offsets}) "already exists" when two clients asked for it at once on a fresh broker, a produce
 * request retried because the previous transaction was still being completed ({@code CONCURRENT_TRANSACTIONS}), and Kafka
 * Streams' advice about an exception
 * handler for global stores, logged for every configuration it builds (the detector has no global store; setting the
 * deprecated option does not stop it, since Kafka Streams also builds configurations of its own). Each is matched by its logger and the
 * start of its message, so that every other warning of those loggers still shows. Registered by {@link LogSetup}.
 */
public final class KnownNoise extends TurboFilter {

    /** A message of {@code logger} that starts with {@code messageStart} and, unless null, has a parameter {@code param}. */
    record Noise(String logger, String messageStart, String param) {

        Noise(String logger, String messageStart) {
            this(logger, messageStart, null);
        }
    }

    static final List<Noise> NOISE = List.of(
            new Noise("org.apache.kafka.controller.QuorumController", "Performing controller activation. The metadata log appears to be empty."),
            new Noise("org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed."),
            new Noise("org.apache.kafka.streams.StreamsConfig", "Processing exception handler is not enabled for the GlobalThread."),
            // Two clients asked at once for an internal topic that did not exist yet; the second request lost the race.
            new Noise("kafka.server.DefaultAutoTopicCreationManager",
                    "Auto topic creation failed for __transaction_state with error 'TOPIC_ALREADY_EXISTS'"),
            new Noise("kafka.server.DefaultAutoTopicCreationManager",
                    "Auto topic creation failed for __consumer_offsets with error 'TOPIC_ALREADY_EXISTS'"),
            // Exactly once: a transaction's first write reached its coordinator while the previous commit was still being
            // completed; the producer retries it (at a busy start, mostly). Only this error: other produce errors show.
            new Noise("org.apache.kafka.clients.producer.internals.Sender", "Got error produce response with correlation id",
                    "CONCURRENT_TRANSACTIONS"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || level.isGreaterOrEqual(Level.ERROR) || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        for (Noise n : NOISE) {
            if (logger.getName().equals(n.logger()) && matches(format, params, n.messageStart())
                    && (n.param() == null || hasParam(params, n.param()))) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

    static boolean hasParam(Object[] params, String value) {
        if (params != null) {
            for (Object p : params) {
                if (p != null && p.toString().startsWith(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The message starts with {@code start}, after the {@code [Client id=1] } prefix Kafka's log context puts before
     * every message of a client or server.
     */
    static boolean matches(String format, Object[] params, String start) {
        String message = format;
        if (message.startsWith("{}") && params != null && params.length > 0 && params[0] != null) {
            message = params[0] + message.substring(2);
        }
        if (message.startsWith("[")) {
            int end = message.indexOf("] ");
            if (end > 0) {
                message = message.substring(end + 2);
            }
        }
        return message.startsWith(start);
    }
}
