package org.hotlinemonitor.app.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every Kafka option, a picocli mixin for the commands that talk to Kafka ({@code run}, {@code detect},
 * {@code produce}, {@code record}, {@code demo}): {@code --bootstrap-servers} for an existing cluster (without it,
 * the embedded broker), the topic options, {@code --kafka-config} and the embedded broker's options. Each option has an environment
 * variable, {@code HOTLINE_} and its name ({@code --data-dir}: {@code HOTLINE_DATA_DIR}); the option wins.
 *
 * <pre>{@code
 * @Mixin KafkaOptions kafka;
 * ...
 * KafkaSettings settings = kafka.settings(spec.commandLine());
 * }</pre>
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "An existing Kafka cluster. Env: HOTLINE_BOOTSTRAP_SERVERS. Default: none, the embedded broker.")
    String bootstrapServers;

    @Mixin
    TopicOptions topics;

    @Mixin
    KafkaClientOptions client;

    @Mixin
    EmbeddedBrokerOptions broker;

    /**
     * The settings from these options and the process environment.
     *
     * @throws CommandLine.ParameterException naming every bad option or variable (exit code 2)
     */
    public KafkaSettings settings(CommandLine commandLine) {
        Map<Setting, String> options = new EnumMap<>(Setting.class);
        options.put(Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        topics.putInto(options);
        broker.putInto(options);
        return resolve(commandLine, options, System::getenv);
    }

    /**
     * {@link KafkaSettings#resolve} for a command: a bad value is a usage error that names every bad option or
     * variable.
     */
    static KafkaSettings resolve(CommandLine commandLine, Map<Setting, String> options, Function<String, String> env) {
        try {
            return KafkaSettings.resolve(options, env);
        } catch (KafkaSettings.InvalidSettingsException e) {
            throw new CommandLine.ParameterException(commandLine, e.problems().size() == 1
                    ? e.getMessage() : "invalid Kafka settings:\n  " + String.join("\n  ", e.problems()));
        }
    }
}
