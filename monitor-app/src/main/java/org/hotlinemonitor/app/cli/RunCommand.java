package org.hotlinemonitor.app.cli;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.http.ApiAccess;
import org.hotlinemonitor.app.http.ApiRuntime;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.app.notify.SilenceTopic;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}, the main job: the scheduler (producer) and the detector in one process, against a cluster or the
 * embedded broker, printing alerts as they are committed, until SIGTERM or Ctrl-C.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the live monitor until stopped (Ctrl-C or SIGTERM, exit code 0): the scheduler places the routine calls and "
                + "publishes their outcomes, the detector raises alerts, and the alerts are printed on stdout as JSON lines.",
            "Without --bootstrap-servers it runs its own Kafka broker, with its data in the data directory, kept across restarts.",
            "When the channel file has a notify: section, the notifier delivers the alerts to its pagers too (docs/notify.md)."},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How long the detector may take to join its group and restore its state before {@code run} gives up. */

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LiveOptions.Channels channels;

    @Mixin
    LiveOptions.Producer producer;

    @Mixin
    LiveOptions.Detector detector;

    @Option(names = "--quiet", description = "Do not print alerts (they are still on the alerts topic).")
    boolean quiet;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    HttpOptions http;

    @Mixin
    LiveOptions.ClockOptions clockOptions;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        KafkaSettings settings = kafka.settings(cl);
        MonitorConfig config = channels.load(cl);
        PlacerSettings placer = producer.placer(cl, config);
        Optional<NotifyConfig> notify = Live.loadNotify(channels.file, config);
        Live.Operator operator = Live.loadOperator(channels.file, config);
        SigningConfig signing = Live.loadSigning(channels.file);
        org.hotlinemonitor.core.codec.EventSignature signer = producer.signer(); // a bad key file fails before anything starts
        Clock clock = clockOptions.clock(cl);
        int streamThreads = detector.streamThreads(cl);
        org.hotlinemonitor.app.metrics.ChannelMetrics channelMetrics = detector.channelMetrics(cl);
        LiveOptions.Membership membership = detector.membership(cl);
        Live.Timing timing = detector.timing(cl, clock);
        KafkaClientConfig given = kafka.client.load(channels.file);
        // The broker: users matter only to the embedded broker; with a cluster, their variables are not needed.
        EmbeddedBroker.Security brokerSecurity = settings.embedded()
                ? Live.brokerSecurity(Live.loadKafka(channels.file), settings.topics(), detector.applicationId,
                        notify.map(NotifyConfig::groupId).orElse(NotifyConfig.DEFAULT_GROUP_ID)).orElse(null)
                : null;

        try (ApiAccess access = Live.apiAccess(operator, producer.source).orElse(null);
             StopSignal stop = StopSignal.install();
             LiveHttp web = LiveHttp.start(http, cl, MetricsServer.DEFAULT_PORT, true);
             EmbeddedBroker broker = settings.embedded() ? EmbeddedBroker.start(settings.broker(), brokerSecurity) : null) {
            String bootstrap = broker != null ? broker.bootstrapServers() : settings.bootstrapServers().orElseThrow();
            // With the embedded broker in SASL mode and no client settings given, the broker's own user: one process.
            KafkaClientConfig client = broker != null && broker.secured() && !given.secured()
                    ? given.overriddenBy(broker.internalClientConfig()) : given;
            Live.ensureTopics(bootstrap, client, settings);
            // API silences: read from their topic before the notifier delivers anything, then followed.
            try (SilenceTopic sharedSilences = SilenceTopic.start(bootstrap, client.values(), settings.topics().silences(),
                         operator.silences(), SilenceTopic.LOAD_LIMIT);
                 AlertPrinter printer = quiet ? null : new AlertPrinter(bootstrap, client.values(), settings.topics().alerts(),
                         detector.applicationId + "-console", false, AlertPrinter.Format.JSON, config, System.out);
                 Notifier notifier = notify.map(n -> Live.notifier(bootstrap, client, settings.topics(), n)).orElse(null);
                 DetectorService detect = new DetectorService(membership.applyTo(Live.detectorSettings(bootstrap, client,
                         settings.topics(), detector.applicationId, detector.stateDir(settings.broker().dataDir()), streamThreads,
                         timing)), config, signing, clock);
                 SchedulerService produce = new SchedulerService(Live.producerSettings(bootstrap, client, settings.topics(), config, producer.source,
                         Live.recordCommand(placer, bootstrap, settings.topics().events(), channels.file, kafka.client.file,
                                 detector.applicationId),
                         timing), clock, signer);
                 ApiRuntime api = ApiRuntime.start(bootstrap, client.values(), settings.topics().events(), settings.topics().alerts(),
                         config, access, operator.silences(), detect.view(), detect::isRunning, clock)) {
                web.registerApi(api.api()); // until now /readyz said starting; from now, ready once the detector runs
                if (broker != null) {
                    broker.onFailure(detect::brokerFailed);
                }
                if (printer != null) {
                    printer.start(); // before the detector: every alert it commits from now on is printed
                }
                web.bindDetector(detect, channelMetrics, clock);
                web.serveStatusPage(detect, config, operator.silences(), access, clock);
                web.ready(api.api()::isReady);
                if (notifier != null) {
                    notifier.silences(operator.silences());
                    web.bindNotifier(notifier);
                }
                Live.startDetector(detect);
                web.bindDetectorClient(detect);
                if (clock instanceof AcceleratedClock accelerated) {
                    accelerated.start(); // only now: see AcceleratedClock
                }
                if (notifier != null) {
                    notifier.start(); // its consumer groups resume where they stopped: no alert is missed meanwhile
                }
                produce.start();
                web.bindProducer(produce);
                LOG.info("ready in {} s: broker {}, detector {}, producer placing {} channel(s) ({} placer){}{}; {}",
                        String.format(Locale.ROOT, "%.1f", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0),
                        broker != null ? bootstrap + " (embedded" + (broker.secured() ? ", SASL/SCRAM and ACLs" : "")
                                + ", data in " + broker.dataDir() + ")" : bootstrap + (client.secured() ? " (" + client.values().get("security.protocol") + ")" : ""),
                        detect.state(), config.channels().size(), producer.placer,
                        quiet ? "" : "; alerts on stdout",
                        notifier == null ? "" : "; notifier delivering to " + String.join(", ", notifier.sinkNames()),
                        web.describeWithApi());
                LOG.info("{}", web.statusPageLine());
                while (!stop.await(Duration.ofSeconds(1))) {
                    if (broker != null) {
                        broker.checkAlive(); // first: a failed broker is why the rest fails (the detector was told: onFailure)
                    }
                    Live.checkAlive(detect);
                    sharedSilences.checkAlive();
                    if (notifier != null) {
                        notifier.checkAlive();
                    }
                }
                LOG.info("Stopping: producer, detector, {}then the broker", notifier == null ? "" : "notifier, ");
            }
        }
        return ExitCodes.OK;
    }
}
