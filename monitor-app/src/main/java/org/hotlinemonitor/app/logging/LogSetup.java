package org.hotlinemonitor.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The program's logging, set up in code (found by logback through {@code META-INF/services}) rather than read from an
 * XML file: logback's XML reader is several hundred classes that every command, even {@code --version}, would load.
 * What it sets:
 * <ul>
 *   <li>logs go to stderr (stdout is for data: alerts, reports), as {@code HH:mm:ss.SSS LEVEL Logger - message};</li>
 *   <li>the level: {@code -Dhotline.log.level=DEBUG} or {@code HOTLINE_LOG_LEVEL}, INFO by default;</li>
 *   <li>Kafka's broker and clients ({@code org.apache.kafka}, {@code kafka}, {@code state.change.logger},
 *       {@code org.apache.zookeeper}) log hundreds of lines at INFO: WARN unless {@code -Dhotline.kafka.log.level} or
 *       {@code HOTLINE_KAFKA_LOG_LEVEL} says otherwise;</li>
 *   <li>Kafka Streams' standby task assignor at ERROR: a lone detector has nowhere to put the standby replica it asks
 *       for (docs/kafka.md#failover), which is no fault, yet it warns at every rebalance;</li>
 *   <li>Jetty (the HTTP server) at WARN;</li>
 *   <li>{@link KnownNoise} drops the known warnings of Kafka's normal start and stop.</li>
 * </ul>
 * A {@code logback.xml} or {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile}, wins:
 * then this steps aside and logback reads that file, unless {@value #SHIPPED} is set.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements ch.qos.logback.classic.spi.Configurator {

    /**
     * {@code -Dhotline.log.shipped=true}: this set-up even where a logback file would win (the tests' child processes,
     * whose class path holds the tests' {@code logback-test.xml}, use it to log as the shipped program does).
     */
    public static final String SHIPPED = "hotline.log.shipped";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!Boolean.getBoolean(SHIPPED) && (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null
                || LogSetup.class.getClassLoader().getResource("logback.xml") != null)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        setUp(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up as the class comment says. */
    static void setUp(LoggerContext context) {
        KnownNoise noise = new KnownNoise();
        noise.setContext(context);
        noise.start();
        context.addTurboFilter(noise);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Level kafka = level("hotline.kafka.log.level", "HOTLINE_KAFKA_LOG_LEVEL", Level.WARN);
        for (String name : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper"}) {
            context.getLogger(name).setLevel(kafka);
        }
        context.getLogger("org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor")
                .setLevel(Level.ERROR);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level("hotline.log.level", "HOTLINE_LOG_LEVEL", Level.INFO));
        root.addAppender(stderr);
    }

    /** The level the system property or else the environment variable names, or {@code otherwise}. */
    static Level level(String property, String variable, Level otherwise) {
        String v = System.getProperty(property);
        if (v == null) {
            v = System.getenv(variable);
        }
        return Level.toLevel(v, otherwise);
    }
}
