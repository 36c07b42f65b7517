package org.hotlinemonitor.app.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.detect.ChannelTopic;
import org.hotlinemonitor.core.config.ChannelRecords;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code channels}: the channels kept in a compacted Kafka topic ({@link ChannelTopic}), which detectors started with
 * {@code --channels-topic} follow while they run: {@code publish} a channel file or directory to it, {@code remove}
 * channels, {@code list} what it holds.
 */
@Command(name = "channels", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "The channels in a compacted Kafka topic: detectors started with --channels-topic read it at start and follow it, "
                + "so a channel added, changed or removed there is watched, rewatched or dropped without a restart "
                + "(docs/kafka.md, \"Channels in a topic\")."},
        subcommands = {ChannelsCommand.Publish.class, ChannelsCommand.Remove.class, ChannelsCommand.List.class},
        sortOptions = false)
final class ChannelsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand: publish, remove or list");
    }

    /** Where the topic is: the options every subcommand shares. */
    static final class Where {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:HOTLINE_BOOTSTRAP_SERVERS}",
                description = "The Kafka cluster. Env: HOTLINE_BOOTSTRAP_SERVERS. Required.")
        String bootstrapServers;

        @Option(names = "--channels-topic", paramLabel = "TOPIC",
                defaultValue = "${env:HOTLINE_CHANNELS_TOPIC:-" + ChannelTopic.DEFAULT_TOPIC + "}",
                description = "The compacted topic of channels. Env: HOTLINE_CHANNELS_TOPIC. Default: " + ChannelTopic.DEFAULT_TOPIC + ".")
        String topic;

        @Mixin
        KafkaClientOptions client;

        String bootstrap(CommandLine commandLine) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new CommandLine.ParameterException(commandLine,
                        "missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS)");
            }
            return bootstrapServers;
        }

        Map<String, Object> kafka(Path configFile) {
            return Map.copyOf(client.load(configFile).values());
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {
                "Makes the channels topic hold the channels of a channel file or directory, checked as every command checks "
                    + "them: writes each channel that is new or changed (a changed schedule restarts that channel's schedule "
                    + "in the running detectors, keeping its status and streak), and leaves the same ones alone. Creates the "
                    + "topic (compacted, 1 partition) when it does not exist.",
                "With --prune, also removes the channels of the topic that the file does not list."},
            sortOptions = false)
    static final class Publish implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--channels", paramLabel = "FILE", required = true,
                description = "The channels to publish: a YAML or .json channel file, or a directory of them. Its kafka: "
                        + "section gives the client settings, as for the other commands.")
        Path file;

        @Option(names = "--prune", description = "Remove the topic's channels that the file does not list.")
        boolean prune;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Replication factor of the topic if it is created. Default: the cluster's default.replication.factor.")
        Short replicationFactor;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            String bootstrap = where.bootstrap(cl);
            MonitorConfig config = Live.loadChannels(file);
            ChannelTopic.Published p = ChannelTopic.publish(bootstrap, where.kafka(file), where.topic,
                    Optional.ofNullable(replicationFactor), config.channels(), prune);
            cl.getOut().printf("%s: %d added, %d changed, %d unchanged, %d removed (from %s, %d channels)%n", where.topic,
                    p.added(), p.changed(), p.unchanged(), p.removed(), file, config.channels().size());
            cl.getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Removes channels from the channels topic (a tombstone each): the running detectors drop them and "
                    + "their state. An id the topic does not hold is reported (exit code 3) and nothing is written for it."},
            sortOptions = false)
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "The ids of the channels to remove.")
        java.util.List<String> ids;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            java.util.List<String> unknown = ChannelTopic.remove(where.bootstrap(cl), where.kafka(null), where.topic, ids);
            cl.getOut().printf("%s: %d removed%n", where.topic, ids.size() - unknown.size());
            cl.getOut().flush();
            if (!unknown.isEmpty()) {
                cl.getErr().printf("not in %s, nothing written: %s%n", where.topic, String.join(", ", unknown));
                return ExitCodes.BAD_INPUT;
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Prints the channels the topic holds, as a detector starting now would take them: one line each "
                    + "(id, schedule and zone, answerWithin, downAfter), or with --json each channel's record value (a channel "
                    + "file's item as JSON). Refused records (not a channel, a bad setting) go to stderr with their partition, "
                    + "offset and reason; the exit code is then 3."},
            sortOptions = false)
    static final class List implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--json", description = "Print each channel as its record's JSON, one per line.")
        boolean json;

        @Override
        public Integer call() {
            CommandLine cl = spec.commandLine();
            ChannelTopic topic = ChannelTopic.read(where.bootstrap(cl), where.kafka(null), where.topic, ChannelTopic.LOAD_LIMIT);
            java.io.PrintWriter out = cl.getOut();
            java.util.List<Channel> channels = topic.registry().channels();
            for (Channel c : channels) {
                out.println(json ? ChannelRecords.toJson(c)
                        : c.id() + "  " + c.schedule() + "  answerWithin " + c.answerWithin() + "  downAfter " + c.downAfter());
            }
            out.flush();
            java.util.List<ChannelTopic.Refusal> refusals = topic.refusals();
            for (ChannelTopic.Refusal r : refusals) {
                cl.getErr().println("refused: " + r);
            }
            cl.getErr().printf("%s: %d channel(s), %d record(s) refused%n", where.topic, channels.size(), topic.refused());
            cl.getErr().flush();
            return refusals.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        }
    }
}
