package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.hotlinemonitor.app.broker.Acls;
import org.hotlinemonitor.app.broker.TopicSpec;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.config.NotifyConfigLoader;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose: {@code docker-compose config} (Debian's docker-compose, which reads and checks a compose file without
 * an engine) accepts compose.yaml with the example .env and refuses it without one; then the resolved file is read and
 * held against the monitor's own names: the topics the init service creates are {@link Topics#DEFAULT}'s with
 * {@link TopicSpec}'s partitions and configs, every {@link Acls.Role} has a user and an ACL principal, each monitor
 * service logs in as its command's role, the detectors share {@link DetectorSettings#DEFAULT_APPLICATION_ID} (the id
 * in acls.sh) under distinct instance ids, Prometheus scrapes the services that serve /metrics on
 * {@link MetricsServer#DEFAULT_PORT}, and the mounted deploy/ files are the shipped ones. The brokers' configuration,
 * as start-broker.sh writes it, is checked by Kafka's own {@link KafkaConfig} and formatted by Kafka's own storage
 * tool with the admin user's SCRAM credentials; monitor.yaml is loaded by the monitor's own loaders.
 */
@org.junit.jupiter.api.Tag("integration")
class DeployComposeTest {

    static Path compose() {
        return DeployFiles.root().resolve("deploy/compose");
    }

    static final Set<String> SERVICES = Set.of("kafka-1", "kafka-2", "kafka-3", "kafka-init", "detector-1", "detector-2",
            "scheduler", "notifier", "prometheus", "alertmanager", "grafana");

    /** The role each monitor command runs as (docs/security.md). */
    static final Map<String, Acls.Role> ROLE_OF_COMMAND = Map.of("detect", Acls.Role.DETECTOR, "produce", Acls.Role.SCHEDULER,
            "notify", Acls.Role.NOTIFIER);

    static DeployFiles.Result run(Map<String, String> env, String... command) throws Exception {
        return DeployFiles.run(env, command);
    }

    static Path dockerCompose() {
        return DebianBinary.require("hotline.docker-compose", "/usr/bin/docker-compose", "docker-compose");
    }

    /** compose.yaml as docker-compose resolves it with the example .env: anchors merged, variables set. */
    static JsonNode resolved() throws Exception {
        DeployFiles.Result r = run(Map.of(), dockerCompose().toString(), "--env-file", compose().resolve(".env.example").toString(),
                "-f", compose().resolve("compose.yaml").toString(), "config");
        assertThat(r.exit()).as(r.err()).isZero();
        return DeployFiles.YAML.readTree(r.out());
    }

    @Test
    void dockerComposeAcceptsTheFileWithTheExampleEnvAndRefusesItWithoutPasswords(@TempDir Path empty) throws Exception {
        DeployFiles.Result ok = run(Map.of(), dockerCompose().toString(), "--env-file", compose().resolve(".env.example").toString(),
                "-f", compose().resolve("compose.yaml").toString(), "config", "-q");
        System.out.println("docker-compose --env-file deploy/compose/.env.example -f deploy/compose/compose.yaml config -q: exit "
                + ok.exit() + " " + ok.out() + ok.err());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out() + ok.err()).isBlank();

        Path none = Files.writeString(empty.resolve("env"), "");
        DeployFiles.Result refused = run(Map.of(), dockerCompose().toString(), "--env-file", none.toString(),
                "-f", compose().resolve("compose.yaml").toString(), "config", "-q");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("in deploy/compose/.env");
    }

    @Test
    void servicesImagesAndRolesAgreeWithTheMonitor() throws Exception {
        JsonNode services = resolved().path("services");
        assertThat(names(services)).isEqualTo(new TreeSet<>(SERVICES));

        String kafka = "apache/kafka:" + AppInfoParser.getVersion();
        String pom = Files.readString(DeployFiles.root().resolve("pom.xml"));
        assertThat(pom).as("the compose file's Kafka is the build's").contains("<kafka.version>" + AppInfoParser.getVersion() + "<");
        for (String s : List.of("kafka-1", "kafka-2", "kafka-3", "kafka-init")) {
            assertThat(services.path(s).path("image").asText()).as(s).isEqualTo(kafka);
        }
        for (String s : List.of("prometheus", "alertmanager", "grafana")) {
            assertThat(services.path(s).path("image").asText()).as("%s: pinned by exact version", s).matches("[a-z/]+:v?\\d+\\.\\d+\\.\\d+");
        }
        String version = Pattern.compile("<version>([^<]+)</version>").matcher(pom).results().findFirst().orElseThrow().group(1);

        Set<String> instanceIds = new LinkedHashSet<>();
        Map<Acls.Role, String> rolesRun = new LinkedHashMap<>();
        for (String s : List.of("detector-1", "detector-2", "scheduler", "notifier")) {
            JsonNode svc = services.path(s);
            assertThat(svc.path("image").asText()).as(s).isEqualTo("hotline-monitor:" + version);
            assertThat(svc.path("build").path("dockerfile").asText()).as(s).isEqualTo("deploy/docker/Dockerfile");
            assertThat(Path.of(svc.path("build").path("context").asText())).as(s).isEqualTo(DeployFiles.root());
            assertThat(svc.path("depends_on").path("kafka-init").path("condition").asText()).as(s)
                    .isEqualTo("service_completed_successfully");
            List<String> command = strings(svc.path("command"));
            Acls.Role role = ROLE_OF_COMMAND.get(command.get(0));
            assertThat(role).as("%s runs %s", s, command).isNotNull();
            rolesRun.put(role, s);
            JsonNode env = svc.path("environment");
            assertThat(env.path("HOTLINE_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(env.path("HOTLINE_REPLICATION_FACTOR").asText()).isEqualTo("3");
            assertThat(env.path("HOTLINE_PARTITIONS").asText()).isEqualTo(String.valueOf(Topics.DEFAULT_PARTITIONS));
            assertThat(env.has("HOTLINE_APPLICATION_ID")).as("%s: the default application id, which acls.sh grants", s).isFalse();
            // its role's credentials: the properties file, its user, its password variable
            String properties = env.path("HOTLINE_KAFKA_CONFIG").asText();
            assertThat(properties).as(s).isEqualTo("/etc/hotline-monitor/" + role.id() + ".properties");
            Properties p = load(compose().resolve("monitor/" + role.id() + ".properties"));
            String variable = role.name() + "_KAFKA_PASSWORD";
            assertThat(p.getProperty("sasl.jaas.config")).as(s)
                    .contains("username=\"" + role.id() + "\"", "password=\"${env:" + variable + "}\"");
            assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
            assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
            assertThat(env.path(variable).asText()).as("%s gets %s", s, variable).isEqualTo("CHANGE-ME");
            assertThat(mounts(svc)).as(s).containsEntry("/etc/hotline-monitor", compose().resolve("monitor").toString() + ":ro");
            if (role == Acls.Role.DETECTOR) {
                assertThat(command).as(s).containsExactly("detect", "--instance-id", s);
                instanceIds.add(command.get(2));
                assertThat(mounts(svc)).as("%s: a state directory of its own", s).containsEntry("/var/lib/hotline-monitor", s + "-data:rw");
            }
            if (role == Acls.Role.SCHEDULER) {
                // healthcheck: disable: true, as docker-compose writes it
                assertThat(strings(svc.path("healthcheck").path("test"))).as("produce serves no HTTP: no health check").containsExactly("NONE");
            }
        }
        assertThat(instanceIds).as("two detectors, distinct static member names").hasSize(2);
        assertThat(rolesRun.keySet()).containsExactlyInAnyOrder(Acls.Role.DETECTOR, Acls.Role.SCHEDULER, Acls.Role.NOTIFIER);
        assertThat(services.path("notifier").path("environment").path("HOTLINE_CONFIG").asText()).isEqualTo("/etc/hotline-monitor/monitor.yaml");
        assertThat(services.path("detector-1").path("environment").path("HOTLINE_CHANNELS").asText()).isEqualTo("/etc/hotline-monitor/monitor.yaml");
    }

    @Test
    void theInitServiceMakesTheMonitorsTopicsAUserPerRoleAndTheirAcls() throws Exception {
        String init = Files.readString(compose().resolve("kafka/init.sh"));
        Topics t = Topics.DEFAULT;
        Matcher loop = Pattern.compile("for topic in ([^;]+); do\\s+kafka-topics.sh [^\\n]*\\\\\\n\\s*--topic \"\\$topic\" --partitions \"\\$PARTITIONS\" --replication-factor 3 --config min.insync.replicas=2\\n")
                .matcher(init);
        assertThat(loop.find()).as("init.sh's loop over the data topics").isTrue();
        List<String> created = Arrays.asList(loop.group(1).trim().split("\\s+"));
        assertThat(created).isEqualTo(t.names());
        assertThat(t.specs(Topics.DEFAULT_PARTITIONS, java.util.Optional.empty())).allSatisfy(spec -> assertThat(spec.configs()).isEmpty());
        assertThat(init).contains("PARTITIONS=\"${HOTLINE_PARTITIONS:-" + Topics.DEFAULT_PARTITIONS + "}\"");
        TopicSpec silences = t.silencesSpec(java.util.Optional.empty());
        StringBuilder silencesLine = new StringBuilder("--topic " + silences.name() + " --partitions " + silences.partitions()
                + " --replication-factor 3 --config min.insync.replicas=2");
        silences.configs().forEach((k, v) -> silencesLine.append(" --config ").append(k).append('=').append(v));
        assertThat(init).contains(silencesLine);

        Matcher users = Pattern.compile("for user in ([^;]+); do").matcher(init);
        assertThat(users.find()).isTrue();
        Set<String> roles = Arrays.stream(Acls.Role.values()).map(Acls.Role::id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(Arrays.asList(users.group(1).trim().split("\\s+")))).as("a SCRAM user per role").isEqualTo(roles);

        String acls = Files.readString(DeployFiles.root().resolve("deploy/kafka/acls.sh"));
        Set<String> principals = Pattern.compile("--allow-principal (\\S+)").matcher(acls).results().map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(principals).isEqualTo(roles.stream().map(r -> "User:" + r).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(acls).contains("--group " + DetectorSettings.DEFAULT_APPLICATION_ID + " ", "--group " + NotifyConfig.DEFAULT_GROUP_ID + " ");

        JsonNode svc = resolved().path("services").path("kafka-init");
        assertThat(mounts(svc)).containsEntry("/opt/hotline-acls/acls.sh", DeployFiles.root().resolve("deploy/kafka/acls.sh") + ":ro");
        for (Acls.Role role : Acls.Role.values()) {
            assertThat(svc.path("environment").path(role.name() + "_KAFKA_PASSWORD").asText()).as(role.id()).isEqualTo("CHANGE-ME");
        }
    }

    @Test
    void everyVariableIsInTheExampleEnvAndNoPasswordIsCommitted() throws Exception {
        String yaml = Files.readString(compose().resolve("compose.yaml"));
        Set<String> used = Pattern.compile("\\$\\{([A-Z_]+)").matcher(yaml).results().map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        Properties example = load(compose().resolve(".env.example"));
        assertThat(example.stringPropertyNames()).containsAll(used);
        for (String name : example.stringPropertyNames()) {
            if (name.contains("PASSWORD") || name.equals("CLUSTER_ID")) {
                assertThat(example.getProperty(name)).as(name).startsWith("CHANGE-ME");
            }
        }
        String ignored = Files.readString(DeployFiles.root().resolve(".gitignore"));
        assertThat(ignored).as(".gitignore keeps the real .env out").contains("deploy/compose/.env\n");
    }

    @Test
    void brokersAreThreeKraftNodesWithReplicationThreeMinIsrTwoAndScram(@TempDir Path dir) throws Exception {
        JsonNode services = resolved().path("services");
        List<String> voters = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            JsonNode svc = services.path("kafka-" + node);
            assertThat(svc.path("hostname").asText()).isEqualTo("kafka-" + node);
            assertThat(svc.path("environment").path("NODE_ID").asText()).isEqualTo(String.valueOf(node));
            assertThat(strings(svc.path("entrypoint"))).containsExactly("sh", "/opt/hotline/start-broker.sh");
            assertThat(mounts(svc)).containsEntry("/opt/hotline", compose().resolve("kafka") + ":ro")
                    .containsEntry("/var/lib/kafka/data", "kafka-" + node + "-data:rw");
            voters.add(node + "@kafka-" + node + ":9093");

            DeployFiles.Result r = run(Map.of("RENDER_ONLY", "1", "NODE_ID", String.valueOf(node), "CLUSTER_ID", "x",
                    "KAFKA_ADMIN_PASSWORD", "admin-secret", "KAFKA_CONTROLLER_PASSWORD", "controller-secret"),
                    "sh", compose().resolve("kafka/start-broker.sh").toString());
            assertThat(r.exit()).as(r.err()).isZero();
            Properties props = new Properties();
            props.load(new StringReader(r.out()));
            KafkaConfig config = KafkaConfig.fromProps(props);   // Kafka's own checks of every setting
            assertThat(config.nodeId()).isEqualTo(node);
            assertThat(props.getProperty("default.replication.factor")).isEqualTo("3");
            assertThat(props.getProperty("min.insync.replicas")).isEqualTo("2");
            assertThat(props.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
            assertThat(props.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
            assertThat(props.getProperty("advertised.listeners")).contains("CLIENT://kafka-" + node + ":9092");
            assertThat(props.getProperty("listener.security.protocol.map").split(",")).as("every listener authenticates")
                    .allSatisfy(l -> assertThat(l.substring(l.indexOf(':') + 1)).startsWith("SASL_"));
            assertThat(props.getProperty("sasl.mechanism.inter.broker.protocol")).isEqualTo("SCRAM-SHA-512");
            assertThat(props.getProperty("authorizer.class.name")).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");

            // formatted as start-broker.sh formats it, by Kafka's own tool, with the admin user's SCRAM credentials
            Path logs = Files.createDirectories(dir.resolve("node-" + node));
            props.setProperty("log.dirs", logs.toString());
            Path file = dir.resolve("server-" + node + ".properties");
            try (var w = Files.newBufferedWriter(file)) {
                props.store(w, null);
            }
            String script = Files.readString(compose().resolve("kafka/start-broker.sh"));
            assertThat(script).contains("--add-scram \"SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]\"");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "--ignore-formatted", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", file.toString(), "--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret]"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(rc).as(out.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(logs.resolve("meta.properties")).exists();
            assertThat(logs.resolve("bootstrap.checkpoint")).exists();
        }
        Properties shared = load(compose().resolve("kafka/server.properties"));
        assertThat(shared.getProperty("controller.quorum.voters")).isEqualTo(String.join(",", voters));
        assertThat(shared.getProperty("super.users")).contains("User:admin");
    }

    @Test
    void prometheusAlertmanagerAndGrafanaGetTheShippedFiles(@TempDir Path dir) throws Exception {
        JsonNode services = resolved().path("services");
        Path root = DeployFiles.root();
        JsonNode prom = DeployFiles.read(compose().resolve("prometheus.yml"));
        JsonNode shipped = DeployFiles.read(DeployFiles.prometheus().resolve("prometheus.yml"));
        assertThat(prom.path("rule_files")).isEqualTo(shipped.path("rule_files"));
        assertThat(prom.path("global")).isEqualTo(shipped.path("global"));
        JsonNode job = prom.path("scrape_configs").get(0);
        assertThat(job.path("job_name")).isEqualTo(shipped.path("scrape_configs").get(0).path("job_name"));
        assertThat(prom.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("alertmanager:9093");
        // every service that serves /metrics (detect, notify), none that does not (produce)
        Set<String> scraped = new TreeSet<>(strings(job.path("static_configs").get(0).path("targets")));
        Set<String> serving = new TreeSet<>();
        for (String s : List.of("detector-1", "detector-2", "notifier")) {
            serving.add(s + ":" + MetricsServer.DEFAULT_PORT);
        }
        assertThat(scraped).isEqualTo(serving);
        assertThat(mounts(services.path("prometheus")))
                .containsEntry("/etc/prometheus/prometheus.yml", compose().resolve("prometheus.yml") + ":ro")
                .containsEntry("/etc/prometheus/rules", root.resolve("deploy/prometheus/rules") + ":ro");
        assertThat(strings(services.path("prometheus").path("command"))).contains("--storage.tsdb.retention.time=95d");

        // promtool on the file as the container sees it: next to the shipped rules
        Path promtool = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        Files.copy(compose().resolve("prometheus.yml"), dir.resolve("prometheus.yml"));
        Files.createDirectories(dir.resolve("rules"));
        for (Path rule : DeployFiles.ruleFiles()) {
            Files.copy(rule, dir.resolve("rules").resolve(rule.getFileName()));
        }
        ProcessBuilder pb = new ProcessBuilder(promtool.toString(), "check", "config", dir.resolve("prometheus.yml").toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("2 rule files found", "SUCCESS");

        assertThat(mounts(services.path("alertmanager")))
                .containsEntry("/etc/alertmanager/alertmanager.yml", DeployFiles.alertmanager() + ":ro");

        JsonNode grafana = services.path("grafana");
        String dashboardsPath = DeployFiles.read(root.resolve("deploy/grafana/provisioning/dashboards/hotline.yml"))
                .path("providers").get(0).path("options").path("path").asText();
        assertThat(mounts(grafana))
                .containsEntry("/etc/grafana/provisioning/datasources", root.resolve("deploy/grafana/provisioning/datasources") + ":ro")
                .containsEntry("/etc/grafana/provisioning/dashboards", root.resolve("deploy/grafana/provisioning/dashboards") + ":ro")
                .containsEntry(dashboardsPath, root.resolve("deploy/grafana/dashboards") + ":ro");
        assertThat(Files.readString(root.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")))
                .contains("url: ${HOTLINE_PROMETHEUS_URL}");
        assertThat(grafana.path("environment").path("HOTLINE_PROMETHEUS_URL").asText()).isEqualTo("http://prometheus:9090");
        for (String s : List.of("prometheus", "alertmanager", "grafana")) {
            assertThat(strings(services.path(s).path("ports"))).as("%s: published on loopback only", s)
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        }
    }

    @Test
    void theMonitorsConfigurationLoadsWithTheMonitorsOwnLoaders() throws Exception {
        Path file = compose().resolve("monitor/monitor.yaml");
        MonitorConfig config = ConfigLoader.load(file);
        Set<String> ids = config.channels().stream().map(Channel::id).collect(Collectors.toSet());
        assertThat(ids).isNotEmpty();
        NotifyConfig notify = NotifyConfigLoader.load(file, ids, name -> null).orElseThrow();
        assertThat(notify.groupId()).as("the group acls.sh grants the notifier").isEqualTo(NotifyConfig.DEFAULT_GROUP_ID);
        assertThat(notify.sinks()).hasSize(1);
        assertThat(Files.readString(file)).contains("url: http://alertmanager:9093");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A service's volumes, target to "source:mode", as docker-compose config writes them ("source:target:mode"). */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            assertThat(parts).as("volume %s", v.asText()).hasSize(3);
            out.put(parts[1], parts[0] + ":" + parts[2]);
        }
        return out;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
