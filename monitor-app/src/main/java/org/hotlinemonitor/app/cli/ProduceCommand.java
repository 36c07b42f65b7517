package org.hotlinemonitor.app.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code produce}: the scheduler alone, against a cluster, until stopped. */
@Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the scheduler alone against a Kafka cluster until stopped (Ctrl-C or SIGTERM, exit code 0): places the "
                + "routine calls and publishes their outcomes and heartbeats to the events topic."},
        sortOptions = false)
final class ProduceCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LiveOptions.Channels channels;

    @Mixin
    LiveOptions.Producer producer;

    @Mixin
    LiveOptions.ClockOptions clockOptions;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        KafkaSettings settings = cluster.settings(cl);
        MonitorConfig config = channels.load(cl);
        PlacerSettings placer = producer.placer(cl, config);
        org.hotlinemonitor.core.codec.EventSignature signer = producer.signer(); // a bad key file fails before anything starts
        Clock clock = clockOptions.clock(cl);
        String bootstrap = settings.bootstrapServers().orElseThrow();
        KafkaClientConfig client = cluster.client.load(channels.file);
        try (StopSignal stop = StopSignal.install()) {
            Live.ensureTopics(bootstrap, client, settings);
            try (SchedulerService produce = new SchedulerService(Live.producerSettings(bootstrap, client, settings.topics(), config, producer.source,
                    Live.recordCommand(placer, bootstrap, settings.topics().events(), channels.file, cluster.client.file, null),
                    Live.Timing.forClock(clock)), clock, signer)) {
                if (clock instanceof AcceleratedClock accelerated) {
                    accelerated.start();
                }
                produce.start();
                LOG.info("ready: producer {} placing {} channel(s) ({} placer), events to {} at {}", producer.source,
                        config.channels().size(), producer.placer, settings.topics().events(), bootstrap);
                stop.await();
                LOG.info("Stopping the producer ({} events delivered)", produce.delivered());
                produce.flush(Duration.ofSeconds(10));
            }
        }
        return ExitCodes.OK;
    }
}
