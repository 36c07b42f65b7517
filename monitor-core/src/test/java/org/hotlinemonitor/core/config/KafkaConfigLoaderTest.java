package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.Map;
import org.hotlinemonitor.core.config.KafkaConfigLoader.KafkaSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaConfigLoaderTest {

    private static final String FILE = "monitor.yaml";
    private static final Map<String, String> ENV = Map.of("DETECTOR_PW", "s3cr\"et$1", "ADMIN_PW", "admin-pw");

    private static KafkaSection load(String yaml) throws ConfigException {
        return KafkaConfigLoader.load(FILE, new StringReader(yaml), ENV::get);
    }

    @Test
    void clientSettingsPassThroughWithVariablesReplaced() throws ConfigException {
        KafkaSection s = load("""
                channels: []
                kafka:
                  security.protocol: SASL_SSL
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="detector" password="${DETECTOR_PW}";
                  ssl.truststore.password: ${file:/run/secrets/kafka.properties:truststore.password}
                  request.timeout.ms: 20000
                  some.future.setting: true
                """);
        assertThat(s.client()).containsExactly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"detector\" "
                        + "password=\"s3cr\"et$1\";"),
                Map.entry("ssl.truststore.password", "${file:/run/secrets/kafka.properties:truststore.password}"),
                Map.entry("request.timeout.ms", "20000"),
                Map.entry("some.future.setting", "true"));
        assertThat(s.broker()).isEmpty();
        assertThat(s.toString()).doesNotContain("s3cr").contains("sasl.jaas.config");
    }

    @Test
    void noSectionIsNoSettings() throws ConfigException {
        assertThat(load("channels: []\n")).isEqualTo(KafkaSection.NONE);
    }

    @Test
    void brokerUsersWithRoles() throws ConfigException {
        KafkaSection s = load("""
                kafka:
                  broker:
                    superUser: admin
                    users:
                      admin: { password: '${ADMIN_PW}' }
                      detector: { password: '${DETECTOR_PW}', roles: [detector, replay] }
                """);
        KafkaConfigLoader.BrokerUsers broker = s.broker().orElseThrow();
        assertThat(broker.superUser()).isEqualTo("admin");
        assertThat(broker.users().keySet()).containsExactly("admin", "detector");
        assertThat(broker.users().get("detector").password().value()).isEqualTo("s3cr\"et$1");
        assertThat(broker.users().get("detector").roles()).containsExactly("detector", "replay");
        assertThat(broker.users().get("admin").roles()).isEmpty();
        assertThat(broker.toString()).doesNotContain("s3cr", "admin-pw");
    }

    @Test
    void aClientDoesNotNeedTheBrokerUsersVariables() throws ConfigException {
        String yaml = """
                kafka:
                  security.protocol: SASL_PLAINTEXT
                  broker:
                    superUser: admin
                    users:
                      admin: { password: '${UNSET_ADMIN_PW}' }
                """;
        KafkaSection client = KafkaConfigLoader.loadClient(FILE, new StringReader(yaml), ENV::get);
        assertThat(client.client()).containsExactly(Map.entry("security.protocol", "SASL_PLAINTEXT"));
        assertThat(client.broker()).isEmpty();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e.getMessage()).contains("monitor.yaml:6:26: kafka.broker.users.admin.password: the environment variable "
                + "UNSET_ADMIN_PW is not set");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a mapping value         | '  ssl.keystore.location: {a: 1}'            | monitor.yaml:2:26: kafka.ssl.keystore.location: expected a value (text, number or true/false), was a mapping
            a list value            | '  ssl.enabled.protocols: [TLSv1.3]'         | monitor.yaml:2:26: kafka.ssl.enabled.protocols: expected a value
            an empty value          | '  sasl.mechanism:'                          | monitor.yaml:2:18: kafka.sasl.mechanism: expected a value
            an unset variable       | '  sasl.jaas.config: x password="${NOPE}";' | monitor.yaml:2:21: kafka.sasl.jaas.config: the environment variable NOPE is not set
            bootstrap servers       | '  bootstrap.servers: localhost:9092'         | monitor.yaml:2:3: kafka.bootstrap.servers: give the cluster with --bootstrap-servers
            a literal password      | '  broker: {superUser: a, users: {a: {password: hunter2}}}' | kafka.broker.users.a.password: write the password as ${VARIABLE}
            an unknown role         | '  broker: {superUser: a, users: {a: {password: "${ADMIN_PW}", roles: [notifer]}}}' | kafka.broker.users.a.roles: unknown role 'notifer'
            a super user not listed | '  broker: {superUser: root, users: {a: {password: "${ADMIN_PW}"}}}' | kafka.broker.superUser: 'root' is not one of the users [a]
            """)
    void badInputNamesLineAndField(String what, String line, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load("kafka:\n" + line + "\n"));
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).contains(expected);
        assertThat(e.getMessage()).doesNotContain("hunter2", "admin-pw");
    }

    @Test
    void theChannelLoaderAcceptsTheSection() throws ConfigException {
        var config = ConfigLoader.load(FILE, new StringReader("""
                channels:
                  - id: liaison-office
                    zone: Asia/Seoul
                    checks: ['09:00']
                kafka:
                  security.protocol: SASL_PLAINTEXT
                """));
        assertThat(config.channels()).hasSize(1);
    }
}
