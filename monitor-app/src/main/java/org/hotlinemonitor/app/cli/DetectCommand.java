package org.hotlinemonitor.app.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code detect}: the detector alone, against a cluster, until stopped; several share the work. */
@Command(name = "detect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the detector alone against a Kafka cluster until stopped (Ctrl-C or SIGTERM, exit code 0): reads the "
                + "events topic, writes alerts and dead letters, exactly once.",
            "Several instances with the same --application-id share the events topic's partitions; when one stops, the "
                + "others take its channels over from the changelogs."},
        sortOptions = false)
final class DetectCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LiveOptions.Channels channels;

    @picocli.CommandLine.Option(names = "--channels-topic", paramLabel = "TOPIC", defaultValue = "${env:HOTLINE_CHANNELS_TOPIC}",
            description = "Take the channels from this compacted topic (written by `channels publish`) and follow its changes "
                    + "while running, instead of the --channels file's channels; --channels is then optional, and read for its "
                    + "other settings only. Env: HOTLINE_CHANNELS_TOPIC. Default: none (the file's channels).")
    String channelsTopic;

    @Mixin
    LiveOptions.Detector detector;

    @Mixin
    HttpOptions http;

    @Mixin
    LiveOptions.ClockOptions clockOptions;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        KafkaSettings settings = cluster.settings(cl);
        MonitorConfig config = channelsTopic != null && channels.file == null ? new MonitorConfig(java.util.List.of())
                : channels.load(cl);
        if (channelsTopic != null && !config.channels().isEmpty()) {
            LOG.info("The {} channel(s) of {} are not used: the channels come from the topic {}", config.channels().size(),
                    channels.file, channelsTopic);
        }
        SigningConfig signing = channels.file == null ? SigningConfig.NONE : Live.loadSigning(channels.file);
        Clock clock = clockOptions.clock(cl);
        int streamThreads = detector.streamThreads(cl);
        Live.Timing timing = detector.timing(cl, clock);
        org.hotlinemonitor.app.metrics.ChannelMetrics channelMetrics = detector.channelMetrics(cl);
        LiveOptions.Membership membership = detector.membership(cl);
        String bootstrap = settings.bootstrapServers().orElseThrow();
        KafkaClientConfig client = cluster.client.load(channels.file);
        Path stateDir = detector.stateDir(EmbeddedBroker.Config.DEFAULT_DATA_DIR);
        try (StopSignal stop = StopSignal.install();
             LiveHttp web = LiveHttp.start(http, cl, MetricsServer.DEFAULT_PORT)) {
            Live.ensureTopics(bootstrap, client, settings);
            try (DetectorService detect = new DetectorService(membership.applyTo(Live.detectorSettings(bootstrap, client, settings.topics(),
                    detector.applicationId, stateDir, streamThreads, timing)), config, signing, clock)) {
                if (channelsTopic != null) {
                    detect.channelsFrom(channelsTopic);
                }
                web.bindDetector(detect, channelMetrics, clock);
                web.ready(detect::isRunning);
                Live.startDetector(detect);
                web.bindDetectorClient(detect);
                if (clock instanceof AcceleratedClock accelerated) {
                    accelerated.start();
                }
                LOG.info("ready: detector {} {} on {} partition(s) of {} at {}, state in {}; {}", detector.applicationId,
                        detect.state(), detect.eventPartitions(), settings.topics().events(), bootstrap, stateDir,
                        web.describe());
                while (!stop.await(Duration.ofSeconds(1))) {
                    Live.checkAlive(detect);
                }
                LOG.info("Stopping the detector");
            }
        }
        return ExitCodes.OK;
    }
}
