package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.acl.AclOperation;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka-config} and the {@code kafka:} section as the commands read them. */
class KafkaClientOptionsTest {

    static final String CHANNELS = """
            channels:
              - id: liaison-office
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
            """;

    @TempDir
    Path tmp;

    @Test
    void thePropertiesFileWinsOverTheSection() throws Exception {
        Path yaml = tmp.resolve("monitor.yaml");
        Files.writeString(yaml, CHANNELS + """
                kafka:
                  security.protocol: SASL_SSL
                  sasl.mechanism: PLAIN
                """);
        Path props = tmp.resolve("client.properties");
        Files.writeString(props, "sasl.mechanism=SCRAM-SHA-512\nssl.truststore.location=/etc/ts.p12\n");
        KafkaClientOptions options = new KafkaClientOptions();
        options.file = props;
        KafkaClientConfig c = options.load(yaml);
        assertThat(c.values()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/ts.p12");
        options.file = null;
        assertThat(options.load(yaml).values()).containsEntry("sasl.mechanism", "PLAIN");
        assertThat(options.load(null)).isEqualTo(KafkaClientConfig.NONE);
    }

    @Test
    void aBadSectionStopsTheCommandNamingFileLineAndField() throws Exception {
        Path yaml = tmp.resolve("monitor.yaml");
        Files.writeString(yaml, CHANNELS + """
                kafka:
                  security.protocol: SASL_SSL
                  sasl.jaas.config: {password: x}
                """);
        CliTest.Result r = CliTest.run("detect", "--bootstrap-servers", "127.0.0.1:9", "--channels", yaml.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains(yaml + ":7:21: kafka.sasl.jaas.config: expected a value");
    }

    @Test
    void bootstrapServersInThePropertiesFileIsRefused() throws Exception {
        Path yaml = tmp.resolve("monitor.yaml");
        Files.writeString(yaml, CHANNELS);
        Path props = tmp.resolve("client.properties");
        Files.writeString(props, "bootstrap.servers=elsewhere:9092\n");
        CliTest.Result r = CliTest.run("produce", "--bootstrap-servers", "127.0.0.1:9", "--channels", yaml.toString(),
                "--kafka-config", props.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--kafka-config " + props + ": bootstrap.servers is not read from here");
    }

    @Test
    void theBrokerSectionMakesUsersAndTheirRolesAcls() throws Exception {
        Path yaml = tmp.resolve("monitor.yaml");
        Files.writeString(yaml, CHANNELS + """
                kafka:
                  broker:
                    superUser: admin
                    users:
                      admin: { password: '${HOME}' }
                      watcher: { password: '${HOME}', roles: [replay] }
                """);
        EmbeddedBroker.Security s = Live.brokerSecurity(Live.loadKafka(yaml), Topics.DEFAULT, "det", "ntf").orElseThrow();
        assertThat(s.superUser()).isEqualTo("admin");
        assertThat(s.passwords()).containsOnlyKeys("admin", "watcher");
        assertThat(s.acls()).allMatch(b -> b.entry().principal().equals("User:watcher"))
                .anyMatch(b -> b.entry().operation() == AclOperation.READ && b.pattern().name().equals("hotline.events"));
        assertThat(s.toString()).doesNotContain(System.getenv("HOME"));
    }
}
