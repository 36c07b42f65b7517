package org.hotlinemonitor.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --verbose}, a picocli mixin of every command that runs Kafka (a broker, clients, Streams): Kafka's own INFO
 * lines on stderr beside ours. Without it they stay out (LogSetup sets Kafka's loggers to WARN, unless
 * {@code HOTLINE_KAFKA_LOG_LEVEL} says otherwise): hundreds of lines on every start that bury the monitor's own.
 */
final class VerboseOption {

    /** The loggers LogSetup turns down to {@code HOTLINE_KAFKA_LOG_LEVEL}: the broker's, the clients', Streams'. */
    static final List<String> KAFKA_LOGGERS = List.of("org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper");

    /** Whether {@code --verbose} was given. */
    boolean on;

    @Option(names = "--verbose",
            description = "Kafka's own INFO lines (broker, clients, Streams) on stderr too. "
                    + "Default: Kafka's warnings only (or HOTLINE_KAFKA_LOG_LEVEL).")
    void verbose(boolean given) {
        on = given;
        if (given) {
            kafkaAtInfo();
        }
    }

    /**
     * Lowers Kafka's loggers to INFO, from when the option is parsed, before any Kafka class logs; a logger already at
     * DEBUG or TRACE ({@code HOTLINE_KAFKA_LOG_LEVEL=DEBUG}) keeps its level. Nothing happens when SLF4J is not bound
     * to logback.
     */
    static void kafkaAtInfo() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : KAFKA_LOGGERS) {
                Logger logger = context.getLogger(name);
                if (!logger.isInfoEnabled()) {
                    logger.setLevel(Level.INFO);
                }
            }
        }
    }
}
