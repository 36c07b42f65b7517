package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.calls.AcceleratedClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.SimulationScript;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the live monitor on the embedded broker, with the simulated far side playing a scripted April 2023
 * on an accelerated clock, printing alerts as they fire; it stops by itself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Plays April 2023 on the inter-Korean lines through the live monitor, one hour per second: the embedded broker, "
                + "the scheduler with a simulated far side, the detector. Prints alerts as they fire and stops by itself "
                + "(about 40 s). Its data lives in a temporary directory, deleted at the end."},
        sortOptions = false)
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    static final String DEFAULT_START = "2023-04-06T06:00+09:00";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print alerts as JSON lines, as on the alerts topic, instead of one readable line each.")
    boolean json;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "3600",
            description = "How many times faster than real time the clock runs. Default: ${DEFAULT-VALUE} (an hour per second).")
    long speed;

    @Option(names = "--start", paramLabel = "TIME", defaultValue = DEFAULT_START,
            description = "Where the clock starts (ISO-8601 with an offset; must be in the past). Default: ${DEFAULT-VALUE}.")
    OffsetDateTime start;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT37H",
            description = "How much clock time to play before stopping. Default: ${DEFAULT-VALUE} (to Friday 19:00 in Seoul).")
    Duration duration;

    @Option(names = "--channels", paramLabel = "FILE",
            description = "Channel configuration: a YAML or .json file, or a directory of them. Default: the five inter-Korean lines, bundled.")
    Path channelsFile;

    @Option(names = "--simulation", paramLabel = "FILE",
            description = "The far side's script (YAML, docs/producers.md). Default: the bundled April 2023 scenario.")
    Path simulationFile;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the HTTP server (/metrics, and the status page at /). Default: 0, any free port (printed when the demo starts).")
    int httpPort;

    @Option(names = "--stay",
            description = "After the scenario, stop placing calls but keep the detector, /metrics and the status page serving "
                    + "until Ctrl-C (for Prometheus, dashboards and a browser to look at the result).")
    boolean stay;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException, IOException {
        CommandLine cl = spec.commandLine();
        if (speed < 1) {
            throw new CommandLine.ParameterException(cl, "--speed must be at least 1, was " + speed);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new CommandLine.ParameterException(cl, "--duration must be positive, was " + duration);
        }
        Instant from = start.toInstant();
        if (from.plus(duration).isAfter(Instant.now())) {
            throw new CommandLine.ParameterException(cl, "--start plus --duration must be in the past (brokers refuse records "
                    + "stamped ahead of their clock), was " + from.plus(duration));
        }
        MonitorConfig config = channelsFile != null ? Live.loadChannels(channelsFile) : Live.loadChannelsResource("demo/channels.yaml");
        SimulationScript script = simulationFile != null ? Live.loadScript(simulationFile, config)
                : Live.loadScriptResource("demo/simulation.yaml", config);

        Path dataDir = Files.createTempDirectory("hotline-demo");
        // Its own broker on free ports, in a fresh directory: never mixed with run's data, never in run's way.
        KafkaSettings settings = KafkaSettings.resolve(Map.of(), name -> null);
        settings = new KafkaSettings(settings.bootstrapServers(), settings.topics(), settings.partitions(),
                settings.replicationFactor(), new EmbeddedBroker.Config(dataDir, 0, 0));
        long printed;
        HttpOptions http = new HttpOptions();
        http.port = Integer.toString(httpPort);
        http.host = "127.0.0.1"; // a demo: this machine only
        try (StopSignal stop = StopSignal.install();
             LiveHttp web = LiveHttp.start(http, cl, 0);
             EmbeddedBroker broker = EmbeddedBroker.start(settings.broker())) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = settings.topics();
            // Its own PLAINTEXT broker on loopback, for this process alone: no Kafka security options here.
            KafkaClientConfig client = KafkaClientConfig.NONE;
            Live.ensureTopics(bootstrap, client, settings);
            AlertPrinter.Format format = json ? AlertPrinter.Format.JSON : AlertPrinter.Format.TEXT;
            // Paused until the detector runs: the scenario then plays from its beginning, and no event is hours old
            // (by the clock) when the detector first reads it.
            AcceleratedClock clock = AcceleratedClock.paused(from, speed);
            Live.Timing timing = Live.Timing.forSpeed(speed);
            try (AlertPrinter printer = new AlertPrinter(bootstrap, topics.alerts(), "hotline-demo-console", true, format,
                         config, System.out);
                 DetectorService detect = new DetectorService(Live.detectorSettings(bootstrap, client, topics, "hotline-demo",
                         dataDir.resolve("streams"), timing), config, clock);
                 SchedulerService produce = new SchedulerService(Live.producerSettings(bootstrap, client, topics, config, "demo-scheduler",
                         new PlacerSettings.Simulated(script), timing), clock)) {
                printer.start();
                web.bindDetector(detect, org.hotlinemonitor.app.metrics.ChannelMetrics.ALL, clock);
                web.serveStatusPage(detect, config, null, null, clock); // the demo has no silences; on 127.0.0.1, open
                web.ready(detect::isRunning);
                broker.onFailure(detect::brokerFailed);
                Live.startDetector(detect);
                web.bindDetectorClient(detect);
                clock.start();
                produce.start();
                web.bindProducer(produce);
                System.err.printf("demo: %d channels, the clock from %s at %dx (one hour in %.1f s), for %s of clock time; "
                        + "%s; alerts below as they fire%n", config.channels().size(), start, speed, 3600.0 / speed, duration,
                        web.describe());
                System.err.println("demo: " + web.statusPageLine());
                Instant end = from.plus(duration);
                boolean stopped = false;
                while (clock.instant().isBefore(end)) {
                    broker.checkAlive(); // the detector was told already (onFailure)
                    Live.checkAlive(detect);
                    if (stop.await(Duration.ofMillis(200))) {
                        stopped = true;
                        break;
                    }
                }
                if (stay && !stopped) {
                    // No more calls: answered and missed counts stay as the scenario left them. The detector goes on
                    // deciding the slots that fall due (as not placed, our side's) and /metrics goes on serving.
                    produce.close();
                    System.err.printf("demo: scenario over at %s; no more calls placed; the detector and %s stay until "
                            + "Ctrl-C%n", clock.instant(), web.describe());
                    while (!stop.await(Duration.ofMillis(200))) {
                        Live.checkAlive(detect);
                    }
                }
                LOG.info("Scenario over at {}; stopping", clock.instant());
                produce.close();
                detect.close(); // commits: the printer's drain then sees every alert
                printer.close();
                printed = printer.printed();
                if (detect.rejects().total() > 0) {
                    LOG.warn("the detector refused {} event(s)", detect.rejects().total());
                }
            }
        } finally {
            deleteRecursively(dataDir);
        }
        System.err.println("demo over: " + printed + " alert(s)");
        return ExitCodes.OK;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the demo's data in {}: {}", dir, e.toString());
        }
    }
}
