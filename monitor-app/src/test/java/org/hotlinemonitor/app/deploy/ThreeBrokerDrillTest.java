package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.cli.Main;
import org.hotlinemonitor.app.detect.DetectorTopology;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure drill of the production topology: three Kafka brokers as separate processes ({@code kafka.Kafka}), each
 * a combined broker and controller of a three-voter KRaft quorum, configured from the shipped
 * {@code deploy/compose/kafka/server.properties} plus what {@code start-broker.sh} renders (run with
 * {@code RENDER_ONLY=1}), with only these substitutions: the host names {@code kafka-N} become 127.0.0.1 and the ports
 * 9092 (CLIENT), 9093 (CONTROLLER), 19092 (INTERNAL) free ports of this machine, in {@code listeners},
 * {@code advertised.listeners} and {@code controller.quorum.voters}; {@code log.dirs} a directory per broker. So SASL/SCRAM
 * and the StandardAuthorizer are on, as shipped: the storage is formatted with Kafka's StorageTool and the admin
 * user's SCRAM credentials, as start-broker.sh does. The topics are created as init.sh does (6 partitions, replication
 * factor 3, min.insync.replicas 2; the silences compacted).
 *
 * <p>The monitor runs as an operator runs it, each part a JVM of its own ({@code Main} from the test classpath): two
 * {@code detect} instances (static members {@code d1}, {@code d2}), the scheduler ({@code produce}, simulated far side)
 * and the notifier ({@code notify}) delivering to a signed webhook in this JVM. On the real clock: {@code produce}'s
 * hidden accelerated clock cannot serve a drill, because each process would run a clock of its own, restarted from its
 * start instant at every restart (time going backwards for the restarted process); the slots are 10 s apart instead.
 *
 * <p>During the run: {@code kill -9} of a broker (then restarted), of a detector (a second before a deadline; then
 * restarted), of the scheduler (then restarted). At the end the alerts topic (read_committed) must hold, each once,
 * exactly the alerts {@code replay --bootstrap-servers} computes from the events topic up to the same instant, and the
 * webhook must have received each of them. The takeover time after each kill is printed.
 */
@org.junit.jupiter.api.Tag("integration")
class ThreeBrokerDrillTest {

    static final int PARTITIONS = 6;
    static final int CHANNELS = 12;
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(6);
    static final String APP_ID = "hotline-monitor-detector";
    static final String ADMIN_PASSWORD = "drill-admin-secret";
    static final String CONTROLLER_PASSWORD = "drill-controller-secret";
    static final String WEBHOOK_SECRET = "drill-webhook-secret";
    static final Topics TOPICS = Topics.DEFAULT;
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    final Map<String, Process> processes = new LinkedHashMap<>();
    final List<String> drillLog = new ArrayList<>();

    /** One broker: its node id, ports and properties file. */
    record Broker(int id, int client, int controller, int internal, Path config) {
    }

    /** A kill and how long until the monitor worked on. */
    record Takeover(String what, double seconds, String how) {
        @Override
        public String toString() {
            return String.format("%s: %.1f s (%s)", what, seconds, how);
        }
    }

    /**
     * The drill, with SASL/SCRAM on and one user per role (scheduler, detector, notifier, replay; docs/security.md),
     * made by the admin as init.sh makes them, and the roles' ACLs put in place by the {@code acls} command: each process
     * logs in as its role and may do only what its ACLs allow (the admin only sets up: users, ACLs, topics).
     */
    @Test
    void threeBrokersWithAUserPerRoleAndItsAclsLoseNoAlertAcrossKill9OfABrokerADetectorAndTheScheduler() throws Exception {
        drill();
    }

    /** The role users' passwords (the drill's own; never a real one). */
    static String password(String role) {
        return "drill-" + role + "-secret";
    }

    private Path kafkaConfig(String user) throws IOException {
        return Files.writeString(tmp.resolve(user + ".properties"), """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";
                """.formatted(user, user.equals("admin") ? ADMIN_PASSWORD : password(user)));
    }

    /** As init.sh and {@code acls}: one SCRAM user per role, the roles' ACLs. */
    private void usersAndAcls(Admin admin, String bootstrap, Path adminConfig) throws Exception {
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
        for (String role : ROLES) {
            users.add(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(role,
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                    password(role)));
        }
        admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        List<String> args = new ArrayList<>(List.of("acls", "--bootstrap-servers", bootstrap, "--kafka-config", adminConfig.toString()));
        for (String role : ROLES) {
            args.addAll(List.of("--" + role, "User:" + role));
        }
        Process acls = start("acls", main(args.toArray(String[]::new)));
        assertThat(acls.waitFor(120, TimeUnit.SECONDS)).as("acls ends").isTrue();
        assertThat(acls.exitValue()).as(() -> tail("acls", 40)).isZero();
        processes.remove("acls");
        log("users %s and their ACLs (%d lines of acls output)", ROLES, grep("acls", ".").size());
    }

    static final List<String> ROLES = List.of("scheduler", "detector", "notifier", "replay");

    private void drill() throws Exception {
        long drillStart = System.nanoTime();
        Instant since = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        List<Broker> brokers = brokers();
        String bootstrap = brokers.stream().map(b -> "127.0.0.1:" + b.client).collect(Collectors.joining(","));
        Path clientConfig = kafkaConfig("admin");
        Map<String, Object> client = new HashMap<>();
        Properties cp = new Properties();
        try (var in = Files.newBufferedReader(clientConfig)) {
            cp.load(in);
        }
        cp.forEach((k, v) -> client.put((String) k, v));
        client.put("bootstrap.servers", bootstrap);

        Receiver webhook = new Receiver();
        try {
            format(brokers);
            for (Broker b : brokers) {
                startBroker(b);
            }
            try (Admin admin = Admin.create(client)) {
                createTopics(admin);
                usersAndAcls(admin, bootstrap, clientConfig);
                Path detectorConfig = kafkaConfig("detector");
                Path schedulerConfig = kafkaConfig("scheduler");
                Path notifierConfig = kafkaConfig("notifier");
                Path replayConfig = kafkaConfig("replay");
                log("brokers up and topics created after %.1f s", seconds(System.nanoTime() - drillStart));

                // channels: slots every PERIOD from a little after the monitor's processes are up
                Instant first = nextSlot(Instant.now().plusSeconds(25));
                Path config = Files.writeString(tmp.resolve("monitor.yaml"), monitorYaml(first, webhook.url()));
                Path simulation = Files.writeString(tmp.resolve("simulation.yaml"), """
                        seed: 15
                        answerDelay: {min: PT1S, max: PT3S}
                        noAnswerRate: 0.35
                        ringFor: PT4S
                        faultAfter: PT2S
                        """);
                List<String> detect1 = detect("d1", bootstrap, detectorConfig, config);
                List<String> detect2 = detect("d2", bootstrap, detectorConfig, config);
                List<String> produce = main("produce", "--bootstrap-servers", bootstrap, "--kafka-config", schedulerConfig.toString(),
                        "--channels", config.toString(), "--placer", "simulated", "--simulation", simulation.toString());
                List<String> notify = main("notify", "--bootstrap-servers", bootstrap, "--kafka-config", notifierConfig.toString(),
                        "--config", config.toString(), "--http-port", "0");
                start("d1", detect1);
                start("d2", detect2);
                start("notify", notify);
                start("produce", produce);
                awaitLog("d1", "ready: detector");
                awaitLog("d2", "ready: detector");
                awaitLog("notify", "ready: notifier");
                awaitLog("produce", "ready: producer");
                log("monitor up after %.1f s; first slot %s", seconds(System.nanoTime() - drillStart), first);

                try (Watch events = new Watch(client, TOPICS.events(), "read_uncommitted");
                     Watch alerts = new Watch(client, TOPICS.alerts(), "read_committed")) {
                    TestCluster.waitUntil(first.plus(ANSWER_WITHIN).plusSeconds(2));
                    TestCluster.await("alerts flow before the first kill", WAIT, () -> alerts.poll() > 0);

                    List<Takeover> takeovers = new ArrayList<>();
                    // 1. a broker: the one leading most partitions of the events topic
                    takeovers.add(killBroker(admin, brokers, events, alerts));
                    // 2. a detector, a second before a deadline
                    takeovers.add(killDetector(admin, detect2, events, alerts));
                    // 3. the scheduler
                    takeovers.add(killScheduler(produce, events, alerts));

                    // two more slots after the last restart, then stop the scheduler cleanly
                    Instant cutoff = nextSlot(Instant.now()).plus(PERIOD).plus(ANSWER_WITHIN).plusSeconds(1);
                    TestCluster.waitUntil(cutoff.plusSeconds(2));
                    stop("produce");
                    // every deadline up to the cutoff decided and committed by the detectors
                    TestCluster.await("the detectors consumed the events", WAIT, () -> {
                        try {
                            TestCluster.awaitConsumed(admin, TOPICS.events(), PARTITIONS, APP_ID, Duration.ofSeconds(5));
                            return true;
                        } catch (Exception | AssertionError e) {
                            return false;
                        }
                    });
                    Thread.sleep(1500); // a few commit intervals: what was decided with the last events is committed

                    List<String> live = TestCluster.readCommittedValues(client, TOPICS.alerts()).stream()
                            .filter(a -> AlertCodec.fromJson(a).at().isBefore(cutoff)).toList();
                    List<String> replayed = replay(bootstrap, replayConfig, config, since, cutoff.minusMillis(1));
                    int eventCount = events.count();
                    List<String> doubled = live.stream().filter(a -> live.indexOf(a) != live.lastIndexOf(a)).distinct().toList();
                    List<String> lost = replayed.stream().filter(a -> !live.contains(a)).toList();
                    List<String> falseAlerts = live.stream().filter(a -> !replayed.contains(a)).distinct().toList();
                    Set<String> ids = live.stream().map(a -> AlertCodec.fromJson(a).id()).collect(Collectors.toCollection(TreeSet::new));
                    TestCluster.await("the webhook received every alert", WAIT, () -> webhook.ids().containsAll(ids));
                    // The detectors go on after the cutoff (slots after it pass unplaced), and so does the notifier: the
                    // webhook's alerts to the cutoff are compared with the topic's to the cutoff, and every alert it got
                    // at all must be on the topic (read after the webhook's, so that it holds them all).
                    Set<String> webhookToCutoff = webhook.idsBefore(cutoff);
                    Set<String> webhookAll = webhook.ids();
                    Set<String> topicAll = TestCluster.readCommittedValues(client, TOPICS.alerts()).stream()
                            .map(a -> AlertCodec.fromJson(a).id()).collect(Collectors.toCollection(TreeSet::new));
                    List<String> refused = TestCluster.readCommittedValues(client, TOPICS.rejects());

                    System.out.printf("three-broker drill (a user per role, ACLs): %d event records, %d alerts (%s); lost %d, doubled %d, false %d; "
                                    + "webhook: %d alerts in %d deliveries (%d redelivered); refused %d; whole drill %.0f s%n",
                            eventCount, live.size(), countByType(live), lost.size(), doubled.size(), falseAlerts.size(),
                            webhook.ids().size(), webhook.deliveries(), webhook.redeliveries(), refused.size(),
                            seconds(System.nanoTime() - drillStart));
                    takeovers.forEach(t -> System.out.println("three-broker drill: takeover after " + t));
                    drillLog.forEach(l -> System.out.println("three-broker drill: " + l));
                    lost.forEach(a -> System.out.println("three-broker drill: LOST " + a));
                    doubled.forEach(a -> System.out.println("three-broker drill: DOUBLED " + a));
                    falseAlerts.forEach(a -> System.out.println("three-broker drill: FALSE " + a));
                    refused.forEach(a -> System.out.println("three-broker drill: REFUSED " + a));
                    grep("notify", "Sink |commit").forEach(l -> System.out.println("three-broker drill: notify: " + l));
                    for (String d : List.of("d1", "d2")) {
                        grep(d, "answer|RUNNING|REBALANCING").forEach(l -> System.out.println("three-broker drill: " + d + ": " + l));
                    }

                    assertThat(replayed).as("the drill raises alerts").isNotEmpty();
                    assertThat(lost).as("lost alerts").isEmpty();
                    assertThat(doubled).as("doubled alerts").isEmpty();
                    assertThat(falseAlerts).as("false alerts").isEmpty();
                    assertThat(webhookToCutoff).as("the webhook got exactly the alerts of the topic (to the cutoff)").isEqualTo(ids);
                    assertThat(webhookAll).as("the webhook got only alerts of the topic").isSubsetOf(topicAll);
                    assertThat(webhook.redeliveries()).as("deliveries the webhook got twice").isZero();
                    assertThat(webhook.twice()).as("alerts the webhook got twice").isEmpty();
                    assertThat(refused).as("nothing refused").isEmpty();
                }
            }
        } catch (Throwable t) {
            drillLog.forEach(l -> System.out.println("three-broker drill: " + l));
            for (String name : processes.keySet()) {
                System.out.println("---- tail of " + name + ".log");
                System.out.println(tail(name, 40));
            }
            throw t;
        } finally {
            for (Process p : processes.values()) {
                p.destroyForcibly();
            }
            for (Process p : processes.values()) {
                p.waitFor(20, TimeUnit.SECONDS);
            }
            webhook.close();
        }
    }

    // ---- the kills

    private Takeover killBroker(Admin admin, List<Broker> brokers, Watch events, Watch alerts) throws Exception {
        Map<Integer, Long> leads = describe(admin, TOPICS.events()).values().stream()
                .flatMap(d -> d.partitions().stream()).filter(p -> p.leader() != null)
                .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
        Broker victim = brokers.stream().max((a, b) -> Long.compare(leads.getOrDefault(a.id, 0L), leads.getOrDefault(b.id, 0L)))
                .orElseThrow();
        String name = "broker-" + victim.id;
        int alertsBefore = alerts.poll();
        int eventsBefore = events.poll();
        long killed = kill(name);
        long[] leaders = {-1};
        TestCluster.await("new leaders for every partition of broker " + victim.id, WAIT, () -> {
            if (leaders[0] < 0 && everyLeaderLives(admin, victim.id)) {
                leaders[0] = System.nanoTime();
            }
            return leaders[0] > 0;
        });
        long eventsFlow = awaitMore("events after the broker kill", events, eventsBefore);
        long alertsFlow = awaitMore("alerts after the broker kill", alerts, alertsBefore);
        Thread.sleep(3000);
        long restarted = System.nanoTime();
        startBroker(victim);
        TestCluster.await("broker " + victim.id + " back in every ISR", WAIT, () -> inEveryIsr(admin, victim.id));
        log("broker %d (led %d of %d events partitions) back in every ISR %.1f s after its restart", victim.id,
                leads.getOrDefault(victim.id, 0L), PARTITIONS, seconds(System.nanoTime() - restarted));
        return new Takeover("kill -9 of broker " + victim.id, seconds(leaders[0] - killed),
                String.format("new partition leaders elected; next event after %.1f s, next alert after %.1f s",
                        seconds(eventsFlow - killed), seconds(alertsFlow - killed)));
    }

    private Takeover killDetector(Admin admin, List<String> command, Watch events, Watch alerts) throws Exception {
        Instant deadline = nextSlot(Instant.now().plusSeconds(2)).plus(ANSWER_WITHIN);
        TestCluster.waitUntil(deadline.minusSeconds(1));
        int alertsBefore = alerts.poll();
        long killed = kill("d2");
        long[] moved = {-1};
        TestCluster.await("the surviving detector owns every partition", WAIT, () -> {
            alerts.poll();
            if (moved[0] < 0 && soleOwner(admin)) {
                moved[0] = System.nanoTime();
            }
            return moved[0] > 0;
        });
        long alertsFlow = awaitMore("alerts after the detector kill", alerts, alertsBefore);
        start("d2", command);
        awaitLog("d2", "ready: detector");
        TestCluster.await("both detectors share the partitions again", WAIT, () -> shared(admin));
        return new Takeover("kill -9 of detector d2 (1 s before the deadline " + deadline + ")", seconds(moved[0] - killed),
                String.format("its partitions assigned to d1; the next alert after %.1f s", seconds(alertsFlow - killed)));
    }

    private Takeover killScheduler(List<String> command, Watch events, Watch alerts) throws Exception {
        Thread.sleep(2000);
        long killed = kill("produce");
        Thread.sleep(2000); // as a supervisor's restart delay (systemd RestartSec=2)
        int eventsBefore = events.poll();
        start("produce", command);
        long eventsFlow = awaitMore("events from the restarted scheduler", events, eventsBefore);
        awaitLog("produce", "ready: producer");
        return new Takeover("kill -9 of the scheduler", seconds(eventsFlow - killed),
                "restarted after 2 s; until its first event on the topic");
    }

    // ---- brokers

    private List<Broker> brokers() throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports.add(new int[] {freePort(), freePort(), freePort()});
        }
        String voters = "1@127.0.0.1:" + ports.get(0)[1] + ",2@127.0.0.1:" + ports.get(1)[1] + ",3@127.0.0.1:" + ports.get(2)[1];
        Path script = DeployFiles.root().resolve("deploy/compose/kafka/start-broker.sh");
        List<Broker> brokers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i + 1;
            int[] p = ports.get(i);
            ProcessBuilder render = new ProcessBuilder("sh", script.toString());
            render.environment().putAll(Map.of("RENDER_ONLY", "1", "NODE_ID", String.valueOf(id), "CLUSTER_ID", clusterId,
                    "KAFKA_ADMIN_PASSWORD", ADMIN_PASSWORD, "KAFKA_CONTROLLER_PASSWORD", CONTROLLER_PASSWORD));
            Process r = render.redirectErrorStream(true).start();
            String rendered = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(r.waitFor()).as(rendered).isZero();
            Properties props = new Properties();
            props.load(new java.io.StringReader(rendered));
            // the substitutions: host names and ports, log directory; nothing else
            props.setProperty("controller.quorum.voters", voters);
            props.setProperty("listeners", "CLIENT://127.0.0.1:" + p[0] + ",CONTROLLER://127.0.0.1:" + p[1] + ",INTERNAL://127.0.0.1:" + p[2]);
            props.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + p[0] + ",INTERNAL://127.0.0.1:" + p[2]);
            props.setProperty("log.dirs", tmp.resolve("kafka-" + id).toString());
            Path config = tmp.resolve("server-" + id + ".properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "deploy/compose/kafka/server.properties + start-broker.sh for node " + id + ", ports and log.dirs substituted");
            }
            brokers.add(new Broker(id, p[0], p[1], p[2], config));
        }
        Files.writeString(tmp.resolve("cluster-id"), clusterId);
        return brokers;
    }

    /** Kafka's StorageTool, as start-broker.sh runs it: the cluster id and the admin user's SCRAM credentials. */
    private void format(List<Broker> brokers) throws Exception {
        String clusterId = Files.readString(tmp.resolve("cluster-id"));
        List<Process> formats = new ArrayList<>();
        for (Broker b : brokers) {
            formats.add(start("format-" + b.id, java("-Xmx256m", "kafka.tools.StorageTool", "format", "--ignore-formatted",
                    "--cluster-id", clusterId, "--config", b.config.toString(),
                    "--add-scram", "SCRAM-SHA-512=[name=admin,password=" + ADMIN_PASSWORD + "]")));
        }
        for (int i = 0; i < formats.size(); i++) {
            String name = "format-" + brokers.get(i).id;
            assertThat(formats.get(i).waitFor(60, TimeUnit.SECONDS)).as(name).isTrue();
            assertThat(formats.get(i).exitValue()).as(() -> tail(name, 40)).isZero();
            processes.remove("format-" + brokers.get(i).id);
        }
    }

    private void startBroker(Broker b) throws IOException {
        start("broker-" + b.id, java("-Xmx384m", "kafka.Kafka", b.config.toString()));
    }

    private void createTopics(Admin admin) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : List.of(TOPICS.events(), TOPICS.alerts(), TOPICS.rejects(), TOPICS.notifyRejects())) {
            topics.add(new NewTopic(t, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2")));
        }
        topics.add(new NewTopic(TOPICS.silences(), 1, (short) 3).configs(Map.of("min.insync.replicas", "2", "cleanup.policy", "compact")));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000); // the quorum and the brokers are still starting
            }
        }
    }

    private static Map<String, TopicDescription> describe(Admin admin, String... topics) {
        try {
            return admin.describeTopics(List.of(topics)).allTopicNames().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static boolean everyLeaderLives(Admin admin, int dead) {
        Map<String, TopicDescription> d = describe(admin, TOPICS.events(), TOPICS.alerts());
        return !d.isEmpty() && d.values().stream().flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.leader() != null && p.leader().id() != dead && !p.leader().isEmpty());
    }

    private static boolean inEveryIsr(Admin admin, int id) {
        Map<String, TopicDescription> d = describe(admin, TOPICS.events(), TOPICS.alerts());
        return !d.isEmpty() && d.values().stream().flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == id) && p.isr().size() == 3);
    }

    // ---- the detectors' group

    /** The consumer group's members and their partitions of the events topic. */
    private static Map<String, Set<Integer>> members(Admin admin) {
        try {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(APP_ID)).all().get(5, TimeUnit.SECONDS).get(APP_ID);
            Map<String, Set<Integer>> m = new HashMap<>();
            g.members().forEach(member -> m.put(member.groupInstanceId().orElse(member.consumerId()),
                    member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(TOPICS.events()))
                            .map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new))));
            return m;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static boolean soleOwner(Admin admin) {
        Map<String, Set<Integer>> m = members(admin);
        return m.size() == 1 && m.values().iterator().next().size() == PARTITIONS;
    }

    private static boolean shared(Admin admin) {
        Map<String, Set<Integer>> m = members(admin);
        return m.size() == 2 && m.values().stream().allMatch(s -> !s.isEmpty())
                && m.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
    }

    // ---- the monitor's processes

    private List<String> detect(String instance, String bootstrap, Path clientConfig, Path config) {
        return main("detect", "--bootstrap-servers", bootstrap, "--kafka-config", clientConfig.toString(), "--channels", config.toString(),
                "--application-id", APP_ID, "--instance-id", instance, "--state-dir", tmp.resolve("state-" + instance).toString(),
                "--stream-threads", "1", "--http-port", "0", "--http-host", "127.0.0.1");
    }

    private List<String> main(String... args) {
        List<String> command = new ArrayList<>(java("-Xmx256m", Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> java(String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Process start(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(name + ".log").toFile()));
        pb.environment().put("WEBHOOK_SECRET", WEBHOOK_SECRET);
        Process p = pb.start();
        processes.put(name, p);
        return p;
    }

    /** SIGKILL: {@link Process#destroyForcibly()} on a real process; the {@link System#nanoTime()} of the kill. */
    private long kill(String name) throws InterruptedException {
        Process p = processes.get(name);
        long at = System.nanoTime();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(name + " killed").isTrue();
        log("%s killed (exit %d) at %s", name, p.exitValue(), Instant.now());
        return at;
    }

    private void stop(String name) throws InterruptedException {
        Process p = processes.get(name);
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " stopped").isTrue();
        assertThat(p.exitValue()).as(() -> name + " exit code; " + tail(name, 40)).isZero();
    }

    private void awaitLog(String name, String line) {
        TestCluster.await(name + " logs '" + line + "'", WAIT, () -> {
            Process p = processes.get(name);
            if (!p.isAlive()) {
                throw new AssertionError(name + " ended with " + p.exitValue() + ":\n" + tail(name, 60));
            }
            return tail(name, 10_000).contains(line);
        });
    }

    private String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(tmp.resolve(name + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The lines of a process's log that match {@code regex}. */
    private List<String> grep(String name, String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        try {
            return Files.readAllLines(tmp.resolve(name + ".log"), StandardCharsets.UTF_8).stream().filter(l -> p.matcher(l).find()).toList();
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    // ---- the comparison

    /** {@code replay --bootstrap-servers}, as an operator runs it, to {@code until}: its alerts. */
    private List<String> replay(String bootstrap, Path clientConfig, Path config, Instant since, Instant until) throws Exception {
        Path out = tmp.resolve("replay-alerts.jsonl");
        Path rejects = tmp.resolve("replay-rejects.jsonl");
        List<String> command = main("replay", "--channels", config.toString(), "--no-progress", "--bootstrap-servers", bootstrap,
                "--kafka-config", clientConfig.toString(), "--topic", TOPICS.events(), "--since", since.toString(),
                "--until", until.toString(), "--allowed-lateness", DetectorTopology.DEFAULT_ALLOWED_LATENESS.toString(),
                "--alerts-out", out.toString(), "--rejects-out", rejects.toString(), "--report-out", tmp.resolve("report.md").toString());
        Process p = start("replay", command);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("replay ends").isTrue();
        assertThat(p.exitValue()).as(() -> tail("replay", 40)).isZero();
        assertThat(rejects).as("replay refused nothing").doesNotExist();
        return Files.readAllLines(out);
    }

    private static Map<String, Long> countByType(List<String> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(a -> AlertCodec.fromJson(a).type().name(), java.util.TreeMap::new,
                Collectors.counting()));
    }

    String monitorYaml(Instant first, String webhookUrl) {
        List<String> times = new ArrayList<>();
        for (Instant t = first; t.isBefore(first.plus(Duration.ofMinutes(8))); t = t.plus(PERIOD)) {
            times.add("'" + t.atZone(ZoneOffset.UTC).toLocalTime() + "'");
        }
        StringBuilder yaml = new StringBuilder("channels:\n");
        for (int i = 0; i < CHANNELS; i++) {
            yaml.append("  - {id: line-").append(String.format("%02d", i)).append(", zone: UTC, checks: [")
                    .append(String.join(", ", times)).append("], answerWithin: ").append(ANSWER_WITHIN).append(", downAfter: 2}\n");
        }
        yaml.append("""
                notify:
                  groupWait: PT0.25S
                  sinks:
                    - name: hook
                      type: webhook
                      url: %s
                      secret: ${WEBHOOK_SECRET}
                  routes:
                    - sinks: [hook]
                """.formatted(webhookUrl));
        return yaml.toString();
    }

    // ---- helpers

    /** Reads a topic from its beginning, counting records and noting when the count last grew. */
    static final class Watch implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private int count;

        Watch(Map<String, Object> client, String topic, String isolation) {
            Map<String, Object> c = new HashMap<>(client);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        int poll() {
            count += consumer.poll(Duration.ofMillis(100)).count();
            return count;
        }

        int count() {
            return poll();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Polls {@code watch} until it has more than {@code before} records; the {@link System#nanoTime()} it saw them. */
    private static long awaitMore(String what, Watch watch, int before) {
        long[] at = {-1};
        TestCluster.await(what, WAIT, () -> {
            if (watch.poll() > before) {
                at[0] = System.nanoTime();
                return true;
            }
            return false;
        });
        return at[0];
    }

    /** The webhook: every body received, by Idempotency-Key, and the alert ids in them. */
    static final class Receiver implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        private final Map<String, Integer> byKey = new ConcurrentHashMap<>();
        private final Map<String, Integer> ids = new ConcurrentHashMap<>();
        private final Map<String, Instant> at = new ConcurrentHashMap<>();
        private final List<String> bodies = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                byKey.merge(String.valueOf(key), 1, Integer::sum);
                bodies.add(new String(body, StandardCharsets.UTF_8));
                JsonNode tree = JSON.readTree(body);
                tree.get("alerts").forEach(a -> {
                    ids.merge(a.get("id").asText(), 1, Integer::sum);
                    at.put(a.get("id").asText(), AlertCodec.fromJson(a.toString()).at());
                });
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        Set<String> ids() {
            return new TreeSet<>(ids.keySet());
        }

        /** The ids of the alerts received whose instant is before {@code cutoff}. */
        Set<String> idsBefore(Instant cutoff) {
            return at.entrySet().stream().filter(e -> e.getValue().isBefore(cutoff)).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        /** The alerts received more than once. */
        Set<String> twice() {
            return ids.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        int deliveries() {
            return bodies.size();
        }

        int redeliveries() {
            return byKey.values().stream().mapToInt(n -> n - 1).sum();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private void log(String format, Object... args) {
        drillLog.add(String.format(format, args));
    }

    static Instant nextSlot(Instant t) {
        long period = PERIOD.toMillis();
        long ms = t.toEpochMilli();
        return Instant.ofEpochMilli((ms + period - 1) / period * period);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
