package org.hotlinemonitor.app.kafka;

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
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
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
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

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
    private final AtomicBoolean closed = new AtomicBoolean();
    private String clusterId;
    private Duration timeToReady;

    private EmbeddedBroker(KafkaRaftServer server, Path dataDir, int port, int controllerPort, boolean formatted) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.formatted = formatted;
    }

    /**
     * Starts the broker and returns once it answers clients ({@code describeCluster} lists it), formatting the
     * storage first if it has never been formatted.
     *
     * @throws KafkaSetupException if the data directory is not writable or in use, a port is taken, or Kafka
     *                             fails to start or to become ready within {@link #READY_TIMEOUT}
     */
    public static EmbeddedBroker start(Config config) {
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
        KafkaRaftServer server = null;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(kafkaProperties(logDir, port, controllerPort)), Time.SYSTEM);
            server.startup();
        } catch (Exception e) { // Scala code throws checked exceptions undeclared
            if (server != null) {
                shutDownQuietly(server, e);
            }
            throw startFailure(e, port, controllerPort);
        }
        EmbeddedBroker broker = new EmbeddedBroker(server, dataDir, port, controllerPort, format);
        try {
            broker.awaitReady(startNanos);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Embedded Kafka broker ready at {} in {} ms ({} {}, cluster {})", broker.bootstrapServers(),
                broker.timeToReady.toMillis(), format ? "formatted" : "data in", logDir, broker.clusterId);
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

    private void awaitReady(long startNanos) {
        long deadline = startNanos + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
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

    /** Shuts Kafka down cleanly and waits for it; does nothing the second time. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
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
