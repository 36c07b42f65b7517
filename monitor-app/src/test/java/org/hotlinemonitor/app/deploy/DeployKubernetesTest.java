package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.hotlinemonitor.app.broker.Acls;
import org.hotlinemonitor.app.broker.TopicSpec;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes: the validator (deploy/kubernetes/validate/validate.mjs, with the npm packages of its lock file:
 * kubernetes-models, the Strimzi and prometheus-operator models, TypeScript) renders base/ and finds every object
 * valid against the schemas, unknown fields included, and refuses a copy with an unknown field and a wrong type; then
 * the rendered objects are held against the monitor: the KafkaTopics are {@link Topics#DEFAULT}'s with
 * {@link TopicSpec}'s partitions and configs, each {@link Acls.Role} is a KafkaUser with exactly the ACLs
 * {@link Acls#forRole} gives it, the PrometheusRule is deploy/prometheus/rules and the dashboards' ConfigMaps
 * deploy/grafana/dashboards (generated: one source of truth), the detectors take their static member name from the pod.
 *
 * <p>Needs node and {@code npm ci --prefix deploy/kubernetes/validate} (CI does both): skipped without, failed under
 * {@code CI=true}.
 */
@org.junit.jupiter.api.Tag("integration")
class DeployKubernetesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static List<JsonNode> rendered;
    static String report;

    static Path validator() {
        return DeployFiles.root().resolve("deploy/kubernetes/validate");
    }

    static DeployFiles.Result node(String... args) throws Exception {
        Path node = DebianBinary.require("hotline.node", "/usr/bin/node", "nodejs");
        if (!Files.isDirectory(validator().resolve("node_modules"))) {
            String message = "deploy/kubernetes/validate/node_modules is missing: npm ci --prefix deploy/kubernetes/validate";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (.ci/run does it); CI=true, so this test must run");
            }
            Assumptions.assumeTrue(false, "skipped: " + message);
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), validator().resolve("validate.mjs").toString()));
        command.addAll(List.of(args));
        DeployFiles.Result r = DeployFiles.run(Map.of(), command.toArray(String[]::new));
        return new DeployFiles.Result(r.exit(), r.out(), r.err().strip());
    }

    @BeforeAll
    static void render() throws Exception {
        DeployFiles.Result r = node("--print");
        System.out.println("node deploy/kubernetes/validate/validate.mjs: exit " + r.exit() + ": " + r.err());
        assertThat(r.exit()).as(r.err()).isZero();
        report = r.err();
        rendered = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            rendered.add(JSON.readTree(line));
        }
    }

    static List<JsonNode> of(String kind) {
        return rendered.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode named(String kind, String name) {
        return of(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void everyObjectIsValidAgainstTheSchemas() {
        assertThat(report).startsWith("deploy/kubernetes: " + rendered.size() + " objects valid");
        assertThat(rendered).extracting(o -> o.path("kind").asText()).contains("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser",
                "StatefulSet", "Deployment", "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule", "ConfigMap", "Service");
        assertThat(rendered).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("hotline"));
    }

    @Test
    void theValidatorRefusesUnknownFieldsAndWrongTypes(@TempDir Path broken) throws Exception {
        Path base = DeployFiles.root().resolve("deploy/kubernetes/base");
        try (Stream<Path> files = Files.list(base)) {
            for (Path f : files.toList()) {
                Files.copy(f, broken.resolve(f.getFileName()));
            }
        }
        Path topics = broken.resolve("topics.yaml");
        Files.writeString(topics, Files.readString(topics).replaceFirst("  replicas: 3\n", "  replicas: 3\n  replica: 3\n"));
        Path kafka = broken.resolve("kafka.yaml");
        Files.writeString(kafka, Files.readString(kafka).replaceFirst("  replicas: 3\n", "  replicas: three\n"));
        DeployFiles.Result r = node("--base", broken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("base/topics.yaml: KafkaTopic hotline-events: Object literal may only specify known properties, and '\"replica\"'")
                .contains("base/kafka.yaml: KafkaNodePool controllers: data/spec/replicas must be integer");
    }

    @Test
    void threeControllersThreeBrokersReplicationThreeMinIsrTwo() {
        JsonNode kafka = named("Kafka", "hotline");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("spec").path("kafka").path("listeners")).allSatisfy(l ->
                assertThat(l.path("authentication").path("type").asText()).isEqualTo("scram-sha-512"));
        Map<String, Integer> roles = new TreeMap<>();
        for (JsonNode pool : of("KafkaNodePool")) {
            assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("hotline");
            pool.path("spec").path("roles").forEach(role -> roles.merge(role.asText(), pool.path("spec").path("replicas").asInt(), Integer::sum));
        }
        assertThat(roles).isEqualTo(Map.of("broker", 3, "controller", 3));
    }

    @Test
    void theTopicsAreTheMonitors() {
        Topics t = Topics.DEFAULT;
        List<TopicSpec> specs = new ArrayList<>(t.specs(Topics.DEFAULT_PARTITIONS, Optional.empty()));
        specs.add(t.silencesSpec(Optional.empty()));
        Map<String, JsonNode> topics = of("KafkaTopic").stream()
                .collect(Collectors.toMap(o -> o.path("spec").path("topicName").asText(), o -> o, (a, b) -> a, TreeMap::new));
        assertThat(topics.keySet()).isEqualTo(specs.stream().map(TopicSpec::name).collect(Collectors.toCollection(TreeSet::new)));
        for (TopicSpec spec : specs) {
            JsonNode topic = topics.get(spec.name()).path("spec");
            assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.path("replicas").asInt()).as(spec.name()).isEqualTo(3);
            assertThat(topic.path("config").path("min.insync.replicas").asInt()).as(spec.name()).isEqualTo(2);
            spec.configs().forEach((k, v) -> assertThat(topic.path("config").path(k).asText()).as(spec.name() + " " + k).isEqualTo(v));
        }
    }

    @Test
    void eachRoleIsAKafkaUserWithExactlyTheMonitorsAcls() {
        Acls.Names names = new Acls.Names(Topics.DEFAULT, DetectorSettings.DEFAULT_APPLICATION_ID, NotifyConfig.DEFAULT_GROUP_ID);
        assertThat(of("KafkaUser")).extracting(u -> u.path("metadata").path("name").asText())
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(Acls.Role.values()).map(Acls.Role::id).toList());
        for (Acls.Role role : Acls.Role.values()) {
            JsonNode user = named("KafkaUser", role.id());
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode r = acl.path("resource");
                assertThat(acl.path("host").asText()).isEqualTo("*");
                for (JsonNode op : acl.path("operations")) {
                    granted.add(r.path("type").asText().toLowerCase(Locale.ROOT) + " " + r.path("name").asText() + " "
                            + r.path("patternType").asText() + " " + op.asText().toLowerCase(Locale.ROOT));
                }
            }
            Set<String> expected = new TreeSet<>();
            for (AclBinding b : Acls.forRole(role, "User:" + role.id(), names)) {
                String type = switch (b.pattern().resourceType()) {
                    case TOPIC -> "topic";
                    case GROUP -> "group";
                    case TRANSACTIONAL_ID -> "transactionalid";
                    default -> throw new AssertionError("unexpected resource type " + b);
                };
                String pattern = switch (b.pattern().patternType()) {
                    case LITERAL -> "literal";
                    case PREFIXED -> "prefix";
                    default -> throw new AssertionError("unexpected pattern " + b);
                };
                expected.add(type + " " + b.pattern().name() + " " + pattern + " " + b.entry().operation().name().toLowerCase(Locale.ROOT));
            }
            assertThat(granted).as("KafkaUser %s", role.id()).isEqualTo(expected);
        }
    }

    @Test
    void theDetectorsAreStaticMembersProbedAndBudgeted() {
        JsonNode sts = named("StatefulSet", "hotline-detector");
        assertThat(sts.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode container = sts.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("args").get(0).asText()).isEqualTo("detect");
        Map<String, JsonNode> env = new TreeMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertThat(env.get("HOTLINE_INSTANCE_ID").path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(env).doesNotContainKey("HOTLINE_APPLICATION_ID");
        assertThat(container.path("readinessProbe").path("exec").path("command").toString()).contains("Healthcheck");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/metrics");
        assertThat(container.path("resources").path("requests").has("cpu")).isTrue();
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        JsonNode pdb = named("PodDisruptionBudget", "hotline-detector");
        assertThat(pdb.path("spec").path("selector").path("matchLabels")).isEqualTo(sts.path("spec").path("selector").path("matchLabels"));
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);

        // every monitor process logs in as its role: the password from its KafkaUser's Secret, its properties' user
        JsonNode config = named("ConfigMap", "hotline-monitor-config").path("data");
        for (String[] w : List.of(new String[] {"StatefulSet", "hotline-detector", "detector"},
                new String[] {"Deployment", "hotline-scheduler", "scheduler"}, new String[] {"Deployment", "hotline-notifier", "notifier"})) {
            JsonNode c = named(w[0], w[1]).path("spec").path("template").path("spec").path("containers").get(0);
            Map<String, JsonNode> e = new TreeMap<>();
            c.path("env").forEach(x -> e.put(x.path("name").asText(), x));
            String variable = w[2].toUpperCase(Locale.ROOT) + "_KAFKA_PASSWORD";
            assertThat(e.get(variable).path("valueFrom").path("secretKeyRef").path("name").asText()).as(w[1]).isEqualTo(w[2]);
            assertThat(e.get("HOTLINE_KAFKA_CONFIG").path("value").asText()).isEqualTo("/etc/hotline-monitor/" + w[2] + ".properties");
            assertThat(config.path(w[2] + ".properties").asText()).contains("username=\"" + w[2] + "\"",
                    "password=\"${env:" + variable + "}\"", "security.protocol=SASL_SSL");
        }
    }

    @Test
    void rulesAndDashboardsAreGeneratedFromTheirOneSource() throws Exception {
        ArrayNode groups = JSON.createArrayNode();
        for (Path f : DeployFiles.ruleFiles()) {
            groups.addAll((ArrayNode) DeployFiles.read(f).path("groups"));
        }
        List<JsonNode> rules = of("PrometheusRule");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("spec").path("groups")).as("regenerate: node deploy/kubernetes/validate/validate.mjs --generate")
                .isEqualTo(groups);

        Path dashboards = DeployFiles.root().resolve("deploy/grafana/dashboards");
        List<Path> files;
        try (Stream<Path> s = Files.list(dashboards)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<JsonNode> maps = of("ConfigMap").stream().filter(m -> m.path("metadata").path("labels").has("grafana_dashboard")).toList();
        assertThat(maps).hasSize(files.size());
        for (Path f : files) {
            String name = f.getFileName().toString();
            JsonNode map = maps.stream().filter(m -> m.path("data").has(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no dashboard ConfigMap holds " + name));
            assertThat(map.path("data").path(name).asText()).as("regenerate: node deploy/kubernetes/validate/validate.mjs --generate")
                    .isEqualTo(Files.readString(f));
            assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        }

        JsonNode monitor = named("ServiceMonitor", "hotline-monitor");
        String job = DeployFiles.read(DeployFiles.prometheus().resolve("prometheus.yml")).path("scrape_configs").get(0).path("job_name").asText();
        String jobLabel = monitor.path("spec").path("jobLabel").asText();
        for (JsonNode service : of("Service")) {
            assertThat(service.path("metadata").path("labels").path(jobLabel).asText()).as("the job label gives job=%s", job).isEqualTo(job);
            assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(MetricsServer.DEFAULT_PORT);
        }
        assertThat(monitor.path("spec").path("selector").path("matchLabels").path(jobLabel).asText()).isEqualTo(job);
    }
}
