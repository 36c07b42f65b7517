package org.hotlinemonitor.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.hotlinemonitor.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client settings reach Kafka untouched, for TLS as well: a KRaft broker with an mTLS listener (client
 * certificates required, the principal mapped from the certificate's CN as docs/security.md says) and a SASL_SSL
 * listener (SCRAM-SHA-512 and PLAIN), with ACLs. Through the command line and {@code --kafka-config}: {@code record}
 * as the scheduler over mTLS (its keystore password through Kafka's FileConfigProvider) and as the API over
 * SASL/PLAIN inside TLS are accepted, {@code record} as the notifier over mTLS is refused, and {@code replay} as
 * replay over SASL/SCRAM inside TLS reads the events back.
 */
@org.junit.jupiter.api.Tag("integration")
class TlsClusterTest {

    static final String PASS = "changeit";
    static final String CHANNELS = """
            channels:
              - {id: test-line, zone: UTC, cron: '*/10 * * * *', answerWithin: PT5M, downAfter: 2}
            """;

    @TempDir
    Path tmp;

    @Test
    void mutualTlsScramOverTlsAndPlainOverTlsPassThrough() throws Exception {
        long t0 = System.nanoTime();
        Path trust = tmp.resolve("trust.p12");
        for (String name : List.of("broker", "admin", "scheduler", "notifier")) {
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name + ",O=hotline",
                    "-validity", "2", "-keystore", tmp.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
                    "-storepass", PASS, "-keypass", PASS, "-ext", "SAN=ip:127.0.0.1,dns:localhost");
            keytool("-exportcert", "-alias", name, "-keystore", tmp.resolve(name + ".p12").toString(), "-storepass", PASS,
                    "-rfc", "-file", tmp.resolve(name + ".pem").toString());
            keytool("-importcert", "-noprompt", "-alias", name, "-file", tmp.resolve(name + ".pem").toString(),
                    "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        }
        int[] ports = freePorts(3);
        String mtls = "127.0.0.1:" + ports[0];
        String saslSsl = "127.0.0.1:" + ports[1];
        Path logDir = tmp.resolve("kafka");
        Properties props = EmbeddedBroker.kafkaProperties(logDir, ports[0], ports[2]);
        props.putAll(Map.ofEntries(
                Map.entry("listeners", "SSL://" + mtls + ",SASL_SSL://" + saslSsl + ",CONTROLLER://127.0.0.1:" + ports[2]),
                Map.entry("advertised.listeners", "SSL://" + mtls + ",SASL_SSL://" + saslSsl),
                Map.entry("listener.security.protocol.map", "SSL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "SSL"),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", tmp.resolve("broker.p12").toString()),
                Map.entry("ssl.keystore.password", PASS),
                Map.entry("ssl.key.password", PASS),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", trust.toString()),
                Map.entry("ssl.truststore.password", PASS),
                Map.entry("listener.name.ssl.ssl.client.auth", "required"),
                Map.entry("ssl.principal.mapping.rules", "RULE:^CN=([a-zA-Z0-9._-]+).*$/$1/,DEFAULT"),
                Map.entry("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN"),
                Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("listener.name.sasl_ssl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_api=\"api-pw\";"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                // The controller listener is PLAINTEXT on loopback in this test: its principal is ANONYMOUS.
                Map.entry("super.users", "User:broker;User:admin;User:ANONYMOUS")));
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        try {
            KafkaClientConfig admin = tls("admin");
            Topics topics = Topics.DEFAULT;
            List<AclBinding> acls = Acls.forRoles(List.of(new Acls.Grant(Acls.Role.SCHEDULER, "User:scheduler"),
                    new Acls.Grant(Acls.Role.NOTIFIER, "User:notifier"), new Acls.Grant(Acls.Role.API, "User:api"),
                    new Acls.Grant(Acls.Role.REPLAY, "User:replay")), new Acls.Names(topics, "d", "n"));
            try (Admin a = Admin.create(admin.withBootstrap(mtls))) {
                a.createTopics(List.of(new NewTopic(topics.events(), 2, (short) 1).configs(TestCluster.OLD_RECORDS),
                        new NewTopic(topics.alerts(), 1, (short) 1), new NewTopic(topics.rejects(), 1, (short) 1),
                        new NewTopic(topics.silences(), 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
                a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("replay",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "replay-pw"))).all().get(30, TimeUnit.SECONDS);
                a.createAcls(acls).all().get(30, TimeUnit.SECONDS);
                TestCluster.await("users and ACLs in place", TestCluster.WAIT, () -> {
                    try {
                        return a.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls)
                                && a.describeUserScramCredentials(List.of("replay")).all().get().size() == 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
            Path secret = Files.writeString(tmp.resolve("keystore-secret.properties"), "password=" + PASS + "\n");
            Path scheduler = properties("scheduler.properties", tlsProperties("scheduler")
                    .replace("ssl.keystore.password=" + PASS, "ssl.keystore.password=${file:" + secret + ":password}")
                    + "config.providers=file\nconfig.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n");
            Path notifier = properties("notifier.properties", tlsProperties("notifier"));
            String trustSettings = "ssl.truststore.type=PKCS12\nssl.truststore.location=" + trust + "\nssl.truststore.password=" + PASS + "\n";
            Path api = properties("api.properties", "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config="
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"api\" password=\"api-pw\";\n" + trustSettings);
            Path replay = properties("replay.properties", "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config="
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"replay\" password=\"replay-pw\";\n"
                    + trustSettings);

            Run asScheduler = run("record", "--bootstrap-servers", mtls, "--kafka-config", scheduler.toString(), "--channels",
                    channels.toString(), "--channel", "test-line", "--no-answer", "--at", "2023-04-06T00:01:00Z", "--timeout", "PT20S");
            assertThat(asScheduler.code()).as(asScheduler.err()).isZero();
            Run asApi = run("record", "--bootstrap-servers", saslSsl, "--kafka-config", api.toString(), "--channels",
                    channels.toString(), "--channel", "test-line", "--answered", "--at", "2023-04-06T00:02:00Z", "--timeout", "PT20S");
            assertThat(asApi.code()).as(asApi.err()).isZero();
            Run asNotifier = run("record", "--bootstrap-servers", mtls, "--kafka-config", notifier.toString(), "--channels",
                    channels.toString(), "--channel", "test-line", "--answered", "--at", "2023-04-06T00:03:00Z", "--timeout", "PT10S");
            assertThat(asNotifier.code()).as("an event as the notifier is refused").isEqualTo(1);
            assertThat(asNotifier.err()).as("one line saying why").contains("Not authorized to access topics: [hotline.events]")
                    .hasLineCount(1);
            Run replayed = run("replay", "--channels", channels.toString(), "--no-progress", "--bootstrap-servers", saslSsl,
                    "--kafka-config", replay.toString(), "--since", "2023-04-06T00:00:00Z", "--until", "2023-04-06T00:30:00Z",
                    "--alerts-out", tmp.resolve("alerts.jsonl").toString(), "--report-out", tmp.resolve("report.md").toString(),
                    "--rejects-out", tmp.resolve("rejects.jsonl").toString());
            assertThat(replayed.code()).as(replayed.err()).isZero();
            assertThat(replayed.err()).contains("read 2 record(s)");
            System.out.printf("TlsClusterTest: mTLS record as scheduler accepted, SASL/PLAIN over TLS record as api accepted, "
                            + "mTLS record as notifier refused (not authorized), SASL/SCRAM over TLS replay: %s; %.1f s%n",
                    replayed.err().lines().filter(l -> l.startsWith("read ")).findFirst().orElse("?"), (System.nanoTime() - t0) / 1e9);
        } finally {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    record Run(int code, String err) {
    }

    /** The command line in this JVM, its stderr captured. */
    private static synchronized Run run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    /** The client settings of {@code name}'s certificate, as a properties file would give them. */
    private KafkaClientConfig tls(String name) throws java.io.IOException {
        Properties p = new Properties();
        p.load(new java.io.StringReader(tlsProperties(name)));
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return new KafkaClientConfig(m);
    }

    private String tlsProperties(String name) {
        return "security.protocol=SSL\nssl.keystore.type=PKCS12\nssl.keystore.location=" + tmp.resolve(name + ".p12")
                + "\nssl.keystore.password=" + PASS + "\nssl.key.password=" + PASS + "\nssl.truststore.type=PKCS12\n"
                + "ssl.truststore.location=" + tmp.resolve("trust.p12") + "\nssl.truststore.password=" + PASS + "\n";
    }

    private Path properties(String file, String text) throws Exception {
        return Files.writeString(tmp.resolve(file), text);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static int[] freePorts(int n) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void format(Path logDir) throws Exception {
        Files.createDirectories(logDir);
        new Formatter().setPrintStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(EmbeddedBroker.NODE_ID).setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER").setHasDynamicQuorum(false).addDirectory(logDir.toString()).run();
    }
}
