package org.hotlinemonitor.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {

    @Test
    void logsToStderrAtInfoWithKafkaAtWarnAndTheKnownNoiseDropped() {
        LoggerContext context = new LoggerContext();
        LogSetup.setUp(context);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(
                LogSetup.level("hotline.log.level", "HOTLINE_LOG_LEVEL", Level.INFO));
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
        Level kafka = LogSetup.level("hotline.kafka.log.level", "HOTLINE_KAFKA_LOG_LEVEL", Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel()).isEqualTo(kafka);
        assertThat(context.getLogger("kafka.server.KafkaRaftServer").getEffectiveLevel()).isEqualTo(kafka);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor")
                .getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(KnownNoise.class);
    }

    @Test
    void aLevelComesFromThePropertyThenTheEnvironment() {
        System.setProperty("hotline.test.level", "DEBUG");
        try {
            assertThat(LogSetup.level("hotline.test.level", "HOTLINE_NO_SUCH_VARIABLE", Level.INFO)).isEqualTo(Level.DEBUG);
        } finally {
            System.clearProperty("hotline.test.level");
        }
        assertThat(LogSetup.level("hotline.test.level", "HOTLINE_NO_SUCH_VARIABLE", Level.INFO)).isEqualTo(Level.INFO);
    }

    @Test
    void aLogbackFileWinsUnlessTheShippedSetUpIsAskedFor() {
        // logback-test.xml is on the test class path: the file wins, this steps aside.
        assertThat(new LogSetup().configure(new LoggerContext()))
                .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        System.setProperty(LogSetup.SHIPPED, "true");
        try {
            LoggerContext context = new LoggerContext();
            assertThat(new LogSetup().configure(context))
                    .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        } finally {
            System.clearProperty(LogSetup.SHIPPED);
        }
    }
}
