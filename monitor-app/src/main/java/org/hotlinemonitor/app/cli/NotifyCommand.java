package org.hotlinemonitor.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.app.notify.SilenceTopic;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code notify}: the notifier alone, delivering the alerts topic to the configured pagers until stopped. */
@Command(name = "notify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Delivers the alerts on the alerts topic to the pagers of the configuration's notify: section (Alertmanager, "
                + "PagerDuty, a signed webhook, Slack) until stopped (Ctrl-C or SIGTERM, exit code 0): at least once, in "
                + "order per channel, retrying while a pager is down; refused alerts go to the notifier's rejects topic.",
            "Each sink keeps its place in its own consumer group (GROUP_ID.SINK), so a restart resumes where it stopped. "
                + "See docs/notify.md."},
        sortOptions = false)
final class NotifyCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:HOTLINE_CONFIG}",
            description = "The monitor's configuration (YAML): its channels and its notify: section. Secrets come from "
                    + "the environment variables it names. Env: HOTLINE_CONFIG. Required.")
    Path config;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HttpOptions http;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        KafkaSettings settings = cluster.settings(cl);
        if (config == null) {
            throw new CommandLine.ParameterException(cl, "missing --config FILE (or the environment variable HOTLINE_CONFIG)");
        }
        MonitorConfig channels = Live.loadChannels(config);
        Live.Operator operator = Live.loadOperator(config, channels); // its silences keep pagers quiet
        NotifyConfig notify = Live.loadNotify(config, channels).orElseThrow(() -> new Main.BadInput(
                config + ": no notify: section; see docs/notify.md for its format"));
        String bootstrap = settings.bootstrapServers().orElseThrow();
        KafkaClientConfig client = cluster.client.load(config);
        try (StopSignal stop = StopSignal.install();
             LiveHttp web = LiveHttp.start(http, cl, MetricsServer.DEFAULT_PORT)) {
            Live.ensureTopics(bootstrap, client, settings);
            // API silences (added through a run instance's API): read before the first delivery, then followed.
            try (SilenceTopic sharedSilences = SilenceTopic.start(bootstrap, client.values(), settings.topics().silences(),
                         operator.silences(), SilenceTopic.LOAD_LIMIT);
                 Notifier notifier = Live.notifier(bootstrap, client, settings.topics(), notify)) {
                notifier.silences(operator.silences());
                web.bindNotifier(notifier);
                notifier.start();
                LOG.info("ready: notifier delivering {} to {} ({} route(s)), groups {}.<sink>, rejects to {}; {}",
                        settings.topics().alerts(), String.join(", ", notifier.sinkNames()), notify.routes().size(),
                        notify.groupId(), settings.topics().notifyRejects(), web.describe());
                while (!stop.await(Duration.ofSeconds(1))) {
                    notifier.checkAlive();
                    sharedSilences.checkAlive();
                }
                LOG.info("Stopping the notifier");
            }
        }
        return ExitCodes.OK;
    }
}
