package org.hotlinemonitor.app.cli;

import java.util.Map;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import picocli.CommandLine.Option;

/**
 * The topics' options, a picocli mixin: names, and partitions and replication factor for those that are created.
 * Values stay text here; {@link KafkaOptions#resolve} parses them together with the environment.
 */
public final class TopicOptions {

    @Option(names = "--topic-events", paramLabel = "TOPIC",
            description = "Topic of call-check events. Env: HOTLINE_TOPIC_EVENTS. Default: hotline.events.")
    String events;

    @Option(names = "--topic-alerts", paramLabel = "TOPIC",
            description = "Topic of alerts. Env: HOTLINE_TOPIC_ALERTS. Default: hotline.alerts.")
    String alerts;

    @Option(names = "--topic-rejects", paramLabel = "TOPIC",
            description = "Topic of refused records and their reasons. Env: HOTLINE_TOPIC_REJECTS. Default: hotline.rejects.")
    String rejects;

    @Option(names = "--topic-notify-rejects", paramLabel = "TOPIC",
            description = "Topic of the notifier's refused alerts (a pager refused them for good, or not an alert) and their "
                    + "reasons. Env: HOTLINE_TOPIC_NOTIFY_REJECTS. Default: hotline.notify-rejects.")
    String notifyRejects;

    @Option(names = "--topic-silences", paramLabel = "TOPIC",
            description = "Compacted topic of the silences added through the API, shared by every instance. "
                    + "Env: HOTLINE_TOPIC_SILENCES. Default: hotline.silences.")
    String silences;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of each topic that is created; existing topics are left as they are. Env: HOTLINE_PARTITIONS. Default: 6.")
    String partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor of each topic that is created. Env: HOTLINE_REPLICATION_FACTOR. "
                    + "Default: 1 with the embedded broker, else the cluster's default.replication.factor.")
    String replicationFactor;

    void putInto(Map<Setting, String> options) {
        options.put(Setting.TOPIC_EVENTS, events);
        options.put(Setting.TOPIC_ALERTS, alerts);
        options.put(Setting.TOPIC_REJECTS, rejects);
        options.put(Setting.TOPIC_NOTIFY_REJECTS, notifyRejects);
        options.put(Setting.TOPIC_SILENCES, silences);
        options.put(Setting.PARTITIONS, partitions);
        options.put(Setting.REPLICATION_FACTOR, replicationFactor);
    }
}
