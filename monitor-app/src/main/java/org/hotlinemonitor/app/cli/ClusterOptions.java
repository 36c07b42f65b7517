package org.hotlinemonitor.app.cli;

import java.util.EnumMap;
import java.util.Map;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a command that needs an existing cluster ({@code produce}, {@code detect}): {@code --bootstrap-servers},
 * required (or {@code HOTLINE_BOOTSTRAP_SERVERS}), the topic options and {@code --kafka-config}. No embedded broker here: two halves that each
 * ran their own would not meet.
 */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "The Kafka cluster. Env: HOTLINE_BOOTSTRAP_SERVERS. Required (one or the other).")
    String bootstrapServers;

    @Mixin
    TopicOptions topics;

    @Mixin
    KafkaClientOptions client;

    /** The settings; a usage error when no bootstrap servers are given or a value is bad. */
    KafkaSettings settings(CommandLine commandLine) {
        Map<Setting, String> options = new EnumMap<>(Setting.class);
        options.put(Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        topics.putInto(options);
        KafkaSettings settings = KafkaOptions.resolve(commandLine, options, System::getenv);
        if (settings.embedded()) {
            throw new CommandLine.ParameterException(commandLine,
                    "missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS)");
        }
        return settings;
    }
}
