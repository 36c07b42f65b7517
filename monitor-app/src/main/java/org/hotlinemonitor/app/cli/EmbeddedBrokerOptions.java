package org.hotlinemonitor.app.cli;

import java.util.Map;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import picocli.CommandLine.Option;

/**
 * The embedded broker's options, a picocli mixin: {@code --data-dir}, {@code --broker-port}, {@code --controller-port}.
 * Values stay text here; {@link KafkaOptions#resolve} parses them together with the environment.
 */
public final class EmbeddedBrokerOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory; the embedded broker keeps its data in DIR/kafka across restarts. Env: HOTLINE_DATA_DIR. Default: data.")
    String dataDir;

    @Option(names = "--broker-port", paramLabel = "PORT",
            description = "Embedded broker's client port on 127.0.0.1; 0 for any free port. Env: HOTLINE_BROKER_PORT. Default: 9092.")
    String brokerPort;

    @Option(names = "--controller-port", paramLabel = "PORT",
            description = "Embedded broker's KRaft controller port on 127.0.0.1; 0 for any free port. Env: HOTLINE_CONTROLLER_PORT. Default: 9093.")
    String controllerPort;

    void putInto(Map<Setting, String> options) {
        options.put(Setting.DATA_DIR, dataDir);
        options.put(Setting.BROKER_PORT, brokerPort);
        options.put(Setting.CONTROLLER_PORT, controllerPort);
    }
}
