package org.hotlinemonitor.app.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code broker}: the embedded Kafka broker on its own, with the monitor's topics, until stopped. */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the embedded single-node Kafka broker with the monitor's topics until stopped (Ctrl-C or SIGTERM, exit code 0).",
            "Prints its bootstrap servers on stdout. Its data is kept in the data directory across restarts."},
        sortOptions = false)
final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    EmbeddedBrokerOptions broker;

    @Mixin
    TopicOptions topics;

    @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:HOTLINE_CONFIG}",
            description = "The monitor's configuration (YAML): its kafka: section's broker: users switch the broker to "
                    + "SASL/SCRAM with ACLs (docs/security.md). Env: HOTLINE_CONFIG. Default: none, PLAINTEXT without authentication.")
    java.nio.file.Path config;

    @picocli.CommandLine.Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:HOTLINE_APPLICATION_ID:-" + org.hotlinemonitor.app.detect.DetectorSettings.DEFAULT_APPLICATION_ID + "}",
            description = "The detector's application id, in the detector role's ACLs. Env: HOTLINE_APPLICATION_ID. "
                    + "Default: " + org.hotlinemonitor.app.detect.DetectorSettings.DEFAULT_APPLICATION_ID + ".")
    String applicationId;

    @picocli.CommandLine.Option(names = "--notify-group-id", paramLabel = "ID",
            defaultValue = "${env:HOTLINE_NOTIFY_GROUP_ID:-" + NotifyConfig.DEFAULT_GROUP_ID + "}",
            description = "The notify: section's groupId, in the notifier role's ACLs. Env: HOTLINE_NOTIFY_GROUP_ID. "
                    + "Default: " + NotifyConfig.DEFAULT_GROUP_ID + ".")
    String notifyGroupId;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        Map<Setting, String> options = new EnumMap<>(Setting.class);
        broker.putInto(options);
        topics.putInto(options);
        KafkaSettings settings = KafkaOptions.resolve(spec.commandLine(), options, System::getenv);
        EmbeddedBroker.Security security = null;
        if (config != null) {
            security = Live.brokerSecurity(Live.loadKafka(config), settings.topics(), applicationId, notifyGroupId).orElse(null);
        }
        try (StopSignal stop = StopSignal.install();
             EmbeddedBroker running = EmbeddedBroker.start(settings.broker(), security)) {
            try (Admin admin = Admin.create(running.internalClientConfig().withBootstrap(running.bootstrapServers()))) {
                Topics.ensureTopics(admin, settings.topicSpecs(), Topics.DEFAULT_TIMEOUT);
            }
            System.out.println(running.bootstrapServers());
            System.out.flush();
            LOG.info("Broker running at {} with topics {}; stop with Ctrl-C or SIGTERM",
                    running.bootstrapServers(), String.join(", ", settings.topics().names()));
            while (!stop.await(java.time.Duration.ofSeconds(1))) {
                running.checkAlive();
            }
            LOG.info("Stopping the broker");
        }
        return ExitCodes.OK;
    }
}
