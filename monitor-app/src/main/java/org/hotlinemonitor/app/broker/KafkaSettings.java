package org.hotlinemonitor.app.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the monitor's Kafka is and what its topics are called: one value, resolved once from command-line options
 * and environment variables (see {@link #resolve}).
 *
 * @param bootstrapServers  an existing cluster's {@code host:port,...}; empty to use the embedded broker
 * @param topics            the topic names
 * @param partitions        partitions for topics that are created
 * @param replicationFactor for topics that are created; empty for 1 with the embedded broker, and the cluster's
 *                          {@code default.replication.factor} with an existing cluster
 * @param broker            the embedded broker's data directory and ports (unused with {@code bootstrapServers})
 */
public record KafkaSettings(Optional<String> bootstrapServers, Topics topics, int partitions,
                            Optional<Short> replicationFactor, EmbeddedBroker.Config broker) {

    public KafkaSettings {
        if (bootstrapServers == null || topics == null || replicationFactor == null || broker == null) {
            throw new IllegalArgumentException("bootstrapServers, topics, replicationFactor and broker are required (empty, not null)");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
    }

    /** Every default: the embedded broker with its data in {@code ./data}, ports 9092 and 9093, the default topics. */
    public static final KafkaSettings DEFAULT = new KafkaSettings(Optional.empty(), Topics.DEFAULT,
            Topics.DEFAULT_PARTITIONS, Optional.empty(), EmbeddedBroker.Config.DEFAULT);

    /**
     * One setting, with its command-line option and its environment variable. The scheme is the same for all: option
     * {@code --data-dir} is variable {@code HOTLINE_DATA_DIR}.
     */
    public enum Setting {
        BOOTSTRAP_SERVERS(null),
        DATA_DIR(EmbeddedBroker.Config.DEFAULT_DATA_DIR.toString()),
        BROKER_PORT(String.valueOf(EmbeddedBroker.Config.DEFAULT_PORT)),
        CONTROLLER_PORT(String.valueOf(EmbeddedBroker.Config.DEFAULT_CONTROLLER_PORT)),
        TOPIC_EVENTS(Topics.DEFAULT.events()),
        TOPIC_ALERTS(Topics.DEFAULT.alerts()),
        TOPIC_REJECTS(Topics.DEFAULT.rejects()),
        TOPIC_NOTIFY_REJECTS(Topics.DEFAULT.notifyRejects()),
        TOPIC_SILENCES(Topics.DEFAULT.silences()),
        PARTITIONS(String.valueOf(Topics.DEFAULT_PARTITIONS)),
        REPLICATION_FACTOR(null);

        private final String defaultValue;

        Setting(String defaultValue) {
            this.defaultValue = defaultValue;
        }

        /** For example {@code --data-dir}. */
        public String option() {
            return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** For example {@code HOTLINE_DATA_DIR}. */
        public String envVar() {
            return "HOTLINE_" + name();
        }

        /** The value when neither option nor variable gives one; empty where there is none to write down. */
        public Optional<String> defaultValue() {
            return Optional.ofNullable(defaultValue);
        }
    }

    /** Settings that could not be resolved: every problem, one line each, naming the option or variable. */
    public static final class InvalidSettingsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        InvalidSettingsException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}|\\[[0-9a-fA-F:.]+]:\\d{1,5}");

    /**
     * Resolves the settings a command has options for. For each of them the command-line value wins, then the
     * environment variable ({@link Setting#envVar()}; empty counts as unset), then the default. Settings the command
     * has no option for (absent from {@code options}' keys) take their defaults, whatever the environment says: a
     * command without {@code --bootstrap-servers} always uses the embedded broker.
     *
     * @param options the command's options, each mapped to its value or to null when not given
     * @param env     the environment, usually {@code System::getenv}
     * @throws InvalidSettingsException naming every option or variable with a bad value
     */
    public static KafkaSettings resolve(Map<Setting, String> options, Function<String, String> env) {
        Resolver r = new Resolver(options, env);
        Optional<String> bootstrap = r.value(Setting.BOOTSTRAP_SERVERS, KafkaSettings::bootstrapServers);
        String events = r.value(Setting.TOPIC_EVENTS, KafkaSettings::topicName).orElse(null);
        String alerts = r.value(Setting.TOPIC_ALERTS, KafkaSettings::topicName).orElse(null);
        String rejects = r.value(Setting.TOPIC_REJECTS, KafkaSettings::topicName).orElse(null);
        String notifyRejects = r.value(Setting.TOPIC_NOTIFY_REJECTS, KafkaSettings::topicName).orElse(null);
        String silences = r.value(Setting.TOPIC_SILENCES, KafkaSettings::topicName).orElse(null);
        Integer partitions = r.value(Setting.PARTITIONS, v -> positive(v, Integer.MAX_VALUE)).orElse(null);
        Optional<Short> replication = r.value(Setting.REPLICATION_FACTOR, v -> (short) positive(v, Short.MAX_VALUE));
        Path dataDir = r.value(Setting.DATA_DIR, Path::of).orElse(null);
        Integer port = r.value(Setting.BROKER_PORT, KafkaSettings::port).orElse(null);
        Integer controllerPort = r.value(Setting.CONTROLLER_PORT, KafkaSettings::port).orElse(null);
        Topics topics = null;
        EmbeddedBroker.Config broker = null;
        if (r.problems.isEmpty()) { // then every value above is there: those without a default are Optional
            try {
                topics = new Topics(events, alerts, rejects, notifyRejects, silences);
            } catch (IllegalArgumentException e) {
                boolean dataTopicsClash = new HashSet<>(List.of(events, alerts, rejects, notifyRejects)).size() < 4;
                r.problems.add(Setting.TOPIC_EVENTS.option() + ", " + Setting.TOPIC_ALERTS.option() + ", "
                        + Setting.TOPIC_REJECTS.option() + ", " + Setting.TOPIC_NOTIFY_REJECTS.option()
                        + (dataTopicsClash ? "" : ", " + Setting.TOPIC_SILENCES.option())
                        + ": " + e.getMessage());
            }
            if (port != 0 && port.equals(controllerPort)) {
                r.problems.add(Setting.BROKER_PORT.option() + ", " + Setting.CONTROLLER_PORT.option() + ": must differ, both were " + port);
            } else {
                broker = new EmbeddedBroker.Config(dataDir, port, controllerPort);
            }
        }
        if (!r.problems.isEmpty()) {
            throw new InvalidSettingsException(r.problems);
        }
        return new KafkaSettings(bootstrap, topics, partitions, replication, broker);
    }

    /** Whether the monitor runs its own broker, because no {@code bootstrapServers} were given. */
    public boolean embedded() {
        return bootstrapServers.isEmpty();
    }

    /**
     * The topics as they are to be created: the three data topics with {@link #partitions()}, then the compacted
     * silences topic ({@link Topics#silencesSpec}); with the embedded broker the replication factor is 1 unless given.
     */
    public List<TopicSpec> topicSpecs() {
        Optional<Short> replication = embedded() && replicationFactor.isEmpty() ? Optional.of((short) 1) : replicationFactor;
        List<TopicSpec> specs = new ArrayList<>(topics.specs(partitions, replication));
        specs.add(topics.silencesSpec(replication));
        return List.copyOf(specs);
    }

    private static final class Resolver {
        final Map<Setting, String> options;
        final Function<String, String> env;
        final List<String> problems = new ArrayList<>();

        Resolver(Map<Setting, String> options, Function<String, String> env) {
            this.options = options;
            this.env = env;
        }

        /** The setting's value, parsed; empty if there is none, or if it is bad (then a problem is noted). */
        <T> Optional<T> value(Setting setting, Function<String, T> parse) {
            String source;
            String text;
            if (!options.containsKey(setting)) {
                source = null;
                text = setting.defaultValue;
            } else if (options.get(setting) != null) {
                source = setting.option();
                text = options.get(setting);
            } else {
                String fromEnv = env.apply(setting.envVar());
                boolean set = fromEnv != null && !fromEnv.isBlank();
                source = set ? setting.envVar() : null;
                text = set ? fromEnv.strip() : setting.defaultValue;
            }
            if (text == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(text));
            } catch (IllegalArgumentException e) { // InvalidPathException too
                problems.add((source != null ? source : setting.option() + " (default)") + ": " + e.getMessage());
                return Optional.empty();
            }
        }
    }

    private static String bootstrapServers(String text) {
        for (String server : text.split(",", -1)) {
            if (!HOST_PORT.matcher(server.strip()).matches()) {
                throw new IllegalArgumentException("expected host:port[,host:port...], was '" + text + "'");
            }
        }
        return text;
    }

    private static String topicName(String text) {
        TopicSpec.checkName(text);
        return text;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a port number 0-65535 (0: any free port), was '" + text + "'");
    }

    private static int positive(String text, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a whole number from 1 to " + max + ", was '" + text + "'");
    }
}
