package org.hotlinemonitor.app.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster inside this JVM: one KRaft server that is both broker and controller
 * ({@code kafka.server.KafkaRaftServer}), so that the monitor runs without a Kafka installation.
 *
 * <p>Its data lives in {@code <dataDir>/kafka} and is kept across restarts. The storage is formatted, with a new
 * cluster id, only when {@code meta.properties} is missing there, as {@code kafka-storage format} would do; a
 * formatted directory is never formatted again. The server listens on {@value #HOST} only: clients on
 * {@link Config#port()}, the controller on {@link Config#controllerPort()}.
 *
 * <p>The data directory and both ports are checked before Kafka starts, because Kafka's own failures for these
 * are hard to read: a problem ends {@link #start} with a {@link KafkaSetupException} whose one-line message
 * names it.
 *
 * <p>By default the client listener is PLAINTEXT without authentication, for this machine only. Started with a
 * {@link Security}, it speaks SASL/SCRAM-SHA-512 (listener {@code SASL_PLAINTEXT}, still loopback only) and
 * authorizes every request with Kafka's {@code StandardAuthorizer}: the users are created or updated (new password)
 * with the Admin API at each start, the ACLs added. The broker itself uses a user {@value #INTERNAL_USER} with a
 * password made up at each start (SASL/PLAIN, between its own listeners), a super user that no configuration names.
 *
 * <p>The caller owns the broker and closes it; {@link #close()} shuts Kafka down cleanly (logs flushed,
 * clean-shutdown markers written, so that the next start recovers nothing). To stop on SIGTERM, a command closes
 * the broker when its shutdown hook asks. {@link #close()} may be called from any thread, more than once.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** The address both listeners bind to: loopback only, this broker is for this machine. */
    public static final String HOST = "127.0.0.1";
    /** How long {@link #start} waits for the broker to answer clients. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Kafka's part of the data directory. */
    static final String KAFKA_SUBDIR = "kafka";
    static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The broker's own principal in SASL mode (inter-broker and controller traffic, its own admin client). */
    public static final String INTERNAL_USER = "embedded-broker";
    /** The SCRAM mechanism of the users in SASL mode. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final int SCRAM_ITERATIONS = 8192;

    /**
     * SASL/SCRAM and ACLs for the embedded broker.
     *
     * @param superUser a user that may do anything (administration: {@code kafka-acls.sh}, more users), one of
     *                  {@code passwords}' keys
     * @param passwords the SCRAM users by name, created or updated at each start; a user left out is not deleted
     * @param acls      added at each start (an ACL that exists is left as it is; one left out is not removed)
     */
    public record Security(String superUser, Map<String, String> passwords, List<AclBinding> acls) {
        public Security {
            passwords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(passwords));
            acls = List.copyOf(acls);
            if (!passwords.containsKey(superUser)) {
                throw new IllegalArgumentException("superUser '" + superUser + "' must be one of the users " + passwords.keySet());
            }
            if (passwords.containsKey(INTERNAL_USER)) {
                throw new IllegalArgumentException("the user name " + INTERNAL_USER + " is the broker's own");
            }
            passwords.forEach((user, password) -> {
                if (password == null || password.isEmpty()) {
                    throw new IllegalArgumentException("user " + user + " has no password");
                }
            });
        }

        /** Users and ACL count; never the passwords. */
        @Override
        public String toString() {
            return "Security[superUser=" + superUser + ", users=" + passwords.keySet() + ", " + acls.size() + " ACLs]";
        }

        /** A client's settings to log in as {@code user} over SASL/SCRAM (its password is in them). */
        public KafkaClientConfig clientConfig(String user) {
            String password = passwords.get(user);
            if (password == null) {
                throw new IllegalArgumentException("no user " + user + " among " + passwords.keySet());
            }
            return scramClient(user, password);
        }
    }

    /** A client's settings to log in to a SASL_PLAINTEXT listener as {@code user} with SCRAM-SHA-512. */
    public static KafkaClientConfig scramClient(String user, String password) {
        return new KafkaClientConfig(Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\";"));
    }

    /** A JAAS option value between double quotes: backslash and quote escaped. */
    static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Where the broker keeps its data and which ports it listens on.
     *
     * @param dataDir        the monitor's data directory; Kafka uses its {@code kafka} subdirectory
     * @param port           the client listener's port, 0 for a free one
     * @param controllerPort the KRaft controller's port, 0 for a free one
     */
    public record Config(Path dataDir, int port, int controllerPort) {
        public static final Path DEFAULT_DATA_DIR = Path.of("data");
        public static final int DEFAULT_PORT = 9092;
        public static final int DEFAULT_CONTROLLER_PORT = 9093;
        public static final Config DEFAULT = new Config(DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT);

        public Config {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            checkPort("port", port);
            checkPort("controllerPort", controllerPort);
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both were " + port);
            }
        }

        private static void checkPort(String name, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be 0-65535, was " + port);
            }
        }
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final boolean formatted;
    private final Security security;
    private final KafkaClientConfig internalClient;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why Kafka gave up on this broker (it asked to halt the process), or null while it runs. */
    private final java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
    private final List<Runnable> onFailure = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String clusterId;
    private Duration timeToReady;

    private EmbeddedBroker(KafkaRaftServer server, Path dataDir, int port, int controllerPort, boolean formatted,
                           Security security, KafkaClientConfig internalClient) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.formatted = formatted;
        this.security = security;
        this.internalClient = internalClient;
    }

    /**
     * Starts the broker and returns once it answers clients ({@code describeCluster} lists it), formatting the
     * storage first if it has never been formatted.
     *
     * @throws KafkaSetupException if the data directory is not writable or in use, a port is taken, or Kafka
     *                             fails to start or to become ready within {@link #READY_TIMEOUT}
     */
    public static EmbeddedBroker start(Config config) {
        return start(config, null);
    }

    /**
     * As {@link #start(Config)}; with {@code security} not null, in SASL/SCRAM mode with ACLs: its users and ACLs are
     * in place when this returns.
     */
    public static EmbeddedBroker start(Config config, Security security) {
        long startNanos = System.nanoTime();
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        Path logDir = dataDir.resolve(KAFKA_SUBDIR);
        checkWritable(dataDir, logDir);
        checkNotInUse(dataDir, logDir);
        int[] ports = bindablePorts(config);
        int port = ports[0];
        int controllerPort = ports[1];

        boolean format = !Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
        if (format) {
            format(logDir);
        }
        String internalPassword = security == null ? null : randomPassword();
        KafkaClientConfig internalClient = security == null ? KafkaClientConfig.NONE : new KafkaClientConfig(Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", plainJaas(internalPassword, false)));
        KafkaRaftServer server = null;
        installKafkaExit();
        try {
            Properties props = kafkaProperties(logDir, port, controllerPort);
            if (security != null) {
                props.putAll(saslProperties(port, controllerPort, security.superUser(), internalPassword));
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
        } catch (Exception e) { // Scala code throws checked exceptions undeclared
            if (server != null) {
                shutDownQuietly(server, e);
            }
            throw startFailure(e, port, controllerPort);
        }
        EmbeddedBroker broker = new EmbeddedBroker(server, dataDir, port, controllerPort, format, security, internalClient);
        RUNNING.add(broker);
        try {
            broker.awaitReady(startNanos);
            if (security != null) {
                broker.applySecurity();
            }
            broker.abortHangingTransactions();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Embedded Kafka broker ready at {} in {} ms ({} {}, cluster {}{})", broker.bootstrapServers(),
                broker.timeToReady.toMillis(), format ? "formatted" : "data in", logDir, broker.clusterId,
                security == null ? "; PLAINTEXT, no authentication"
                        : "; SASL/SCRAM users " + security.passwords().keySet() + ", " + security.acls().size() + " ACLs");
        return broker;
    }

    /** The Kafka settings of a single node that is broker and controller. */
    static Properties kafkaProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                // A static quorum of one voter: the controller's address is configuration, not stored in the
                // metadata log, so the controller port may change between restarts.
                Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", CLIENT_LISTENER + "://" + HOST + ":" + port + ","
                        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + port),
                Map.entry("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", CLIENT_LISTENER),
                Map.entry("log.dirs", logDir.toString()),
                // Topics are made on purpose (Topics.ensureTopics), never by a client that misspelt a name.
                Map.entry("auto.create.topics.enable", "false"),
                // One node: every replication factor and minimum ISR is 1.
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Fewer internal partitions than the default 50: the first consumer group and transaction start
                // sooner, and one node gains nothing from more.
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                // No wait for more members: a group of one starts at once.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // A transaction whose producer died (a detector killed) is aborted once it times out, at the
                // coordinator's next scan for such transactions; until then read_committed readers of the partitions it
                // wrote, and the detector that takes the dead one's tasks over, wait for it. Scan every second rather
                // than every 10 s (docs/kafka.md#failover).
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
                // The cleaner allocates this buffer up front (default 128 MiB). Kafka wants more than 1 MiB per
                // cleaner thread; 2 MiB hold about 80,000 keys per cleaning pass, plenty for one monitor.
                Map.entry("log.cleaner.threads", "1"),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20)),
                Map.entry("log.segment.bytes", String.valueOf(16 << 20))));
        return p;
    }

    /**
     * The settings that switch a node of {@link #kafkaProperties} to SASL and ACLs: clients on {@value #SASL_LISTENER}
     * with SCRAM-SHA-512; the broker's own traffic (inter-broker, to its controller) with SASL/PLAIN as
     * {@value #INTERNAL_USER}, whose only password is {@code internalPassword}, in memory.
     */
    static Map<String, String> saslProperties(int port, int controllerPort, String superUser, String internalPassword) {
        String saslListener = SASL_LISTENER.toLowerCase(java.util.Locale.ROOT);
        String controller = CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT);
        Map<String, String> p = new HashMap<>();
        p.put("listeners", SASL_LISTENER + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", SASL_LISTENER + "://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", SASL_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", SASL_LISTENER);
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name." + saslListener + ".sasl.enabled.mechanisms", SCRAM_MECHANISM + ",PLAIN");
        p.put("listener.name." + saslListener + ".plain.sasl.jaas.config", plainJaas(internalPassword, true));
        p.put("listener.name." + saslListener + ".scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name." + controller + ".plain.sasl.jaas.config", plainJaas(internalPassword, true));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + INTERNAL_USER + ";User:" + superUser);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** The PLAIN login of {@value #INTERNAL_USER}; with {@code server}, also the only user the listener accepts. */
    private static String plainJaas(String password, boolean server) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + INTERNAL_USER
                + "\" password=\"" + password + "\"" + (server ? " user_" + INTERNAL_USER + "=\"" + password + "\"" : "") + ";";
    }

    /** 32 random bytes in hex: nothing to escape in a JAAS option. */
    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Creates or updates the SCRAM users and adds the ACLs, as {@value #INTERNAL_USER}, and waits until this broker
     * knows them: a client that logs in once {@link #start} returned is not refused for a user not yet there.
     */
    private void applySecurity() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(internalClient.withBootstrap(bootstrapServers()))) {
            List<UserScramCredentialAlteration> upserts = security.passwords().entrySet().stream()
                    .<UserScramCredentialAlteration>map(e -> new UserScramCredentialUpsertion(e.getKey(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), e.getValue()))
                    .toList();
            admin.alterUserScramCredentials(upserts).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!security.acls().isEmpty()) {
                admin.createAcls(security.acls()).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            while (true) {
                int users = admin.describeUserScramCredentials(List.copyOf(security.passwords().keySet())).all()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                long acls = security.acls().isEmpty() ? 0 : admin.describeAcls(AclBindingFilter.ANY).values()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream().filter(security.acls()::contains).count();
                if (users == security.passwords().size() && acls == security.acls().size()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaSetupException("the embedded broker did not show its users and ACLs within "
                            + READY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new KafkaSetupException("cannot set up the embedded broker's users and ACLs: " + oneLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaSetupException("the embedded broker's users and ACLs were not set up within " + READY_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while setting up the embedded broker's users and ACLs", e);
        }
    }

    private static void format(Path logDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print) // not stdout: that is for data
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setHasDynamicQuorum(false)
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new KafkaSetupException("cannot format the embedded broker's storage in " + logDir + ": " + e.getMessage(), e);
        }
        LOG.debug("Formatter: {}", out.toString(StandardCharsets.UTF_8).strip());
    }

    private static void checkWritable(Path dataDir, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Files.delete(Files.createTempFile(logDir, ".write-test", ".tmp"));
        } catch (IOException e) {
            throw new KafkaSetupException("data directory " + dataDir + " is not writable: " + describe(e), e);
        }
    }

    /** Kafka locks {@code .lock} in its log directory while it runs; a lock held now means another broker. */
    private static void checkNotInUse(Path dataDir, Path logDir) {
        String inUse = "data directory " + dataDir + " is in use by another embedded broker; stop it or choose another with --data-dir";
        try (FileChannel channel = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new KafkaSetupException(inUse);
            }
        } catch (OverlappingFileLockException e) {
            throw new KafkaSetupException(inUse, e); // held by this JVM
        } catch (IOException e) {
            throw new KafkaSetupException("data directory " + dataDir + " is not writable: " + describe(e), e);
        }
    }

    /**
     * Binds both ports for a moment, to say which one is taken before Kafka does, and to turn 0 into a free port.
     * They are released for Kafka to bind; another process could take one in between, and then Kafka's failure is
     * reported (see {@link #startFailure}).
     */
    private static int[] bindablePorts(Config config) {
        try (ServerSocket client = bind(config.port(), "embedded broker listener", "--broker-port");
             ServerSocket controller = bind(config.controllerPort(), "embedded broker controller", "--controller-port")) {
            return new int[] {client.getLocalPort(), controller.getLocalPort()};
        } catch (IOException e) {
            throw new KafkaSetupException("cannot check the embedded broker's ports: " + e, e);
        }
    }

    private static ServerSocket bind(int port, String role, String option) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true); // as Kafka's own listeners: a port in TIME_WAIT is not taken
            socket.bind(new InetSocketAddress(HOST, port));
            return socket;
        } catch (BindException e) {
            socket.close();
            throw new KafkaSetupException("port " + port + " is already in use (" + role + "); choose another with " + option, e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void shutDownQuietly(KafkaRaftServer server, Throwable failure) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static KafkaSetupException startFailure(Throwable e, int port, int controllerPort) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new KafkaSetupException("the embedded broker could not bind port " + port + " or " + controllerPort
                        + " (taken since they were checked?): " + t.getMessage(), e);
            }
            root = t;
        }
        return new KafkaSetupException("the embedded broker failed to start: " + oneLine(root), e);
    }

    /** {@link HangingTransactions#abort}, before any client of this process starts. */
    private void abortHangingTransactions() {
        try (Admin admin = Admin.create(internalClient.withBootstrap(bootstrapServers()))) {
            HangingTransactions.abort(admin);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaSetupException("the embedded broker at " + bootstrapServers() + " could not check for transactions "
                    + "a crash left open: " + oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while checking the embedded broker's open transactions", e);
        }
    }

    private void awaitReady(long startNanos) {
        long deadline = startNanos + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(internalClient.withBootstrap(bootstrapServers()))) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new KafkaSetupException("the embedded broker at " + bootstrapServers() + " was not ready within "
                            + READY_TIMEOUT.toSeconds() + " s");
                }
                DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, Integer.MAX_VALUE)));
                try {
                    Collection<Node> nodes = cluster.nodes().get(remainingMs, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        clusterId = cluster.clusterId().get(remainingMs, TimeUnit.MILLISECONDS);
                        timeToReady = Duration.ofNanos(System.nanoTime() - startNanos);
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("Embedded broker not ready yet: {}", e.toString());
                }
                Thread.sleep(50); // the broker registers itself within a heartbeat or two
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while waiting for the embedded broker", e);
        }
    }

    /** {@code 127.0.0.1:port}, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Whether it runs with SASL/SCRAM and ACLs. */
    public boolean secured() {
        return security != null;
    }

    /**
     * The settings the monitor's own clients use when they were given none: in SASL mode the broker's own user
     * ({@value #INTERNAL_USER}, a super user), so that {@code run} with no {@code kafka:} client settings still works;
     * {@link KafkaClientConfig#NONE} otherwise. Holds a password: never log it.
     */
    public KafkaClientConfig internalClientConfig() {
        return internalClient;
    }

    /** The client listener's port (the actual one when 0 was asked). */
    public int port() {
        return port;
    }

    /** The controller's port (the actual one when 0 was asked). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The monitor's data directory, absolute; Kafka's data is in its {@code kafka} subdirectory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The cluster id, chosen when the storage was formatted and kept in {@code meta.properties}. */
    public String clusterId() {
        return clusterId;
    }

    /** Whether this start formatted the storage (it had never been formatted). */
    public boolean formatted() {
        return formatted;
    }

    /** From the call to {@link #start} until the broker answered clients. */
    public Duration timeToReady() {
        return timeToReady;
    }

    /**
     * Shuts Kafka down cleanly and waits for it; does nothing the second time. After a {@linkplain #checkAlive failure}
     * Kafka's shutdown may wait for its own thread that asked to halt, which is held: then it is given
     * {@link #FAILED_SHUTDOWN_LIMIT}, and the rest is left to the end of the process.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            if (failure.get() == null) {
                server.shutdown();
                server.awaitShutdown();
            } else {
                Thread shutdown = new Thread(() -> {
                    server.shutdown();
                    server.awaitShutdown();
                }, "embedded-broker-shutdown");
                shutdown.setDaemon(true);
                shutdown.start();
                shutdown.join(FAILED_SHUTDOWN_LIMIT.toMillis());
                if (shutdown.isAlive()) {
                    LOG.info("Embedded Kafka broker (failed) not stopped within {} s; the process's end stops it",
                            FAILED_SHUTDOWN_LIMIT.toSeconds());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            RUNNING.remove(this);
        }
        LOG.info("Embedded Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * Fails with one line naming the data directory and what to do when Kafka has given up on this broker: a log
     * directory it can no longer write (a full disk, an I/O error) makes Kafka halt the process, which would end every
     * other part of it mid-work with only Kafka's own log line. The broker's halt is caught instead
     * ({@link #installKafkaExit}); the command that owns the broker calls this regularly and, when it throws, stops its
     * other parts in order (the owner's try-with-resources) and exits with code 1.
     *
     * @throws KafkaSetupException when Kafka has given up on the broker
     */
    public void checkAlive() {
        String why = failure.get();
        if (why != null) {
            throw new KafkaSetupException(why);
        }
    }

    /**
     * Runs {@code action} when Kafka gives up on this broker, on Kafka's thread, right after the error is logged (before
     * the owner's next {@link #checkAlive}): for parts that should stop treating the outage as news of their own.
     */
    public void onFailure(Runnable action) {
        onFailure.add(action);
    }

    /** Records Kafka's request to halt, in the words of {@link #checkAlive}. */
    private void kafkaGaveUp(int status, String kafkaMessage) {
        Path logDir = dataDir.resolve(KAFKA_SUBDIR);
        String disk;
        try {
            java.nio.file.FileStore store = Files.getFileStore(Files.exists(logDir) ? logDir : dataDir);
            long free = store.getUsableSpace();
            disk = free < LOW_SPACE
                    ? "its disk is full (" + bytes(free) + " free of " + bytes(store.getTotalSpace()) + "): free space there, "
                            + "or move the data directory to a larger disk (--data-dir), then start again"
                    : "Kafka could not use it (an I/O error: Kafka's log line above names the file; "
                            + bytes(free) + " free on that disk): check the disk, then start again";
        } catch (IOException | RuntimeException e) {
            disk = "Kafka could not use it and the disk cannot be read (" + e.getMessage() + "): check the disk, then start again";
        }
        String why = "the embedded Kafka broker stopped working: its data directory " + logDir + " failed; " + disk
                + ". What Kafka committed before is kept; the detector and the scheduler resume from it"
                + (kafkaMessage == null || kafkaMessage.isBlank() ? "" : " (Kafka: " + oneLine(new Exception(kafkaMessage)) + ", status " + status + ")");
        if (failure.compareAndSet(null, why)) {
            LOG.error("{}; stopping the other parts in order", why);
            quietKafka();
            onFailure.forEach(Runnable::run);
        }
    }

    /**
     * Kafka's loggers turned off: once its broker has failed (its error saying why is logged by then), each of its
     * clients in this process warns at every retry until it is closed, and the broker fails again on each write, all
     * saying what {@link #checkAlive} says once.
     */
    private static void quietKafka() {
        for (String name : List.of("org.apache.kafka", "kafka")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    private static String bytes(long n) {
        return n >= 1 << 20 ? (n >> 20) + " MiB" : n >= 1 << 10 ? (n >> 10) + " KiB" : n + " bytes";
    }

    /** Less free than this when Kafka gives up, and the data directory's disk counts as full: one log segment. */
    static final long LOW_SPACE = 16L << 20;
    /** How long a failed broker's shutdown may take before the process ends without it. */
    static final Duration FAILED_SHUTDOWN_LIMIT = Duration.ofSeconds(10);
    /** The brokers of this process that are running, told when Kafka asks to halt. */
    private static final java.util.Set<EmbeddedBroker> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean KAFKA_EXIT_INSTALLED = new AtomicBoolean();

    /**
     * Kafka halts the process ({@code Exit.halt}) when a broker loses its last log directory or its metadata log: a full
     * disk does that. With embedded brokers running, the request is held instead: each running broker records it
     * ({@link #checkAlive}), and the Kafka thread that asked waits for the end of the process (Kafka's code does not
     * expect {@code halt} to return). Without one, the process halts as Kafka wanted.
     */
    private static void installKafkaExit() {
        if (!KAFKA_EXIT_INSTALLED.compareAndSet(false, true)) {
            return;
        }
        org.apache.kafka.common.utils.Exit.setHaltProcedure(holdUnless(status -> Runtime.getRuntime().halt(status)));
        org.apache.kafka.common.utils.Exit.setExitProcedure(holdUnless(System::exit));
    }

    private static org.apache.kafka.common.utils.Exit.Procedure holdUnless(java.util.function.IntConsumer noBroker) {
        return (status, message) -> {
            List<EmbeddedBroker> brokers = List.copyOf(RUNNING);
            if (brokers.isEmpty()) {
                noBroker.accept(status);
            }
            brokers.forEach(b -> b.kafkaGaveUp(status, message));
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // held until the process ends
                }
            }
        };
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + " cannot be created";
        }
        if (e instanceof FileSystemException) {
            return e.getMessage();
        }
        return e.toString();
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
