package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.replay.TopicReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";";

    @TempDir
    Path tmp;

    @Test
    void toStringHidesEverySecret() {
        KafkaClientConfig c = new KafkaClientConfig(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS, "ssl.truststore.password", "tspw", "ssl.keystore.key", "PEMKEY",
                "request.timeout.ms", "20000"));
        assertThat(c.toString()).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "request.timeout.ms=20000",
                "sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]").doesNotContain("hunter2", "tspw", "PEMKEY");
        assertThat(DetectorSettings.of("127.0.0.1:9").withStreamsOverrides(c.values()).toString())
                .contains("sasl.jaas.config=[hidden]").doesNotContain("hunter2", "tspw", "PEMKEY");
        assertThat(new TopicReplay.Source("127.0.0.1:9", "t", java.time.Instant.EPOCH, null, java.time.Duration.ZERO,
                java.time.Duration.ofDays(1), java.time.Duration.ofSeconds(1), Map.copyOf(c.values())).toString()).doesNotContain("hunter2", "tspw", "PEMKEY");
    }

    @Test
    void laterSettingsWinAndBootstrapServersIsRefused() {
        KafkaClientConfig yaml = new KafkaClientConfig(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"));
        KafkaClientConfig file = new KafkaClientConfig(Map.of("sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(yaml.overriddenBy(file).values()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThat(yaml.secured()).isTrue();
        assertThat(KafkaClientConfig.NONE.secured()).isFalse();
        assertThatThrownBy(() -> new KafkaClientConfig(Map.of("bootstrap.servers", "x:1")))
                .hasMessageContaining("--bootstrap-servers");
    }

    /**
     * Kafka 4.3 clients resolve config-provider references when the system property
     * {@code org.apache.kafka.automatic.config.providers} is not set (all providers allowed); docs/security.md.
     */
    @Test
    void kafkasFileConfigProviderResolvesASecretFromAFile() throws Exception {
        Path secret = tmp.resolve("kafka-secret.properties");
        Files.writeString(secret, "jaas=" + JAAS.replace("\\", "\\\\") + "\n");
        assertThat(System.getProperty("org.apache.kafka.automatic.config.providers")).isNull();
        Map<String, Object> c = new KafkaClientConfig(Map.of(
                "config.providers", "file",
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "sasl.jaas.config", "${file:" + secret + ":jaas}")).withBootstrap("127.0.0.1:9");
        c.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        c.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        ProducerConfig config = new ProducerConfig(c);
        assertThat(config.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
        assertThat(config.getPassword("sasl.jaas.config").toString()).isEqualTo(Password.HIDDEN);
    }
}
