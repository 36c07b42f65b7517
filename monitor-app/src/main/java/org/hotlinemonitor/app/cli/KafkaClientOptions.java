package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE} (or {@code HOTLINE_KAFKA_CONFIG}), a picocli mixin of every command that talks to Kafka:
 * the Kafka client settings (security) of a properties file, on top of the configuration file's {@code kafka:}
 * section. Secrets stay out of the command line: in the file itself (readable by the monitor's user only), or
 * through Kafka's config providers ({@code config.providers=env,file}, docs/security.md).
 */
final class KafkaClientOptions {

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:HOTLINE_KAFKA_CONFIG}",
            description = "Kafka client settings (security.protocol, ssl.*, sasl.*, config.providers), a properties file, "
                    + "for every Kafka client of this command; they win over the config file's kafka: section. "
                    + "Env: HOTLINE_KAFKA_CONFIG. Default: none (PLAINTEXT). See docs/security.md.")
    Path file;

    /**
     * The client settings: the {@code kafka:} section of {@code configFile} (none when it is null), then this option's
     * file on top.
     *
     * @throws Main.BadInput naming the file (and line) of a bad section, or a file that cannot be read
     */
    KafkaClientConfig load(Path configFile) {
        KafkaClientConfig fromYaml = new KafkaClientConfig(Live.loadKafkaClient(configFile).client());
        return file == null ? fromYaml : fromYaml.overriddenBy(read(file));
    }

    /** The properties in {@code file}, as they are (Kafka resolves config-provider references). */
    static KafkaClientConfig read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new Main.BadInput("--kafka-config " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Main.BadInput("--kafka-config " + file + ": permission denied");
        } catch (IOException | IllegalArgumentException e) { // a malformed \\uXXXX escape
            throw new Main.BadInput("--kafka-config " + file + ": cannot read: " + e.getMessage());
        }
        if (p.containsKey("bootstrap.servers")) {
            throw new Main.BadInput("--kafka-config " + file + ": bootstrap.servers is not read from here: give --bootstrap-servers "
                    + "(or HOTLINE_BOOTSTRAP_SERVERS)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, p.getProperty(k).strip()));
        return new KafkaClientConfig(values);
    }


}
