package org.hotlinemonitor.app.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's topics by name, and {@link #ensureTopics} that makes sure they exist.
 *
 * @param events   call-check events in, keyed by channel id
 * @param alerts   alerts out, keyed by channel id
 * @param rejects  records the detector refused, with their reason (the dead letters)
 * @param notifyRejects alerts the notifier could not deliver for good and records of the alerts topic that are not
 *                 alerts, with their reason: the notifier's dead letters, on a topic of their own so that the notifier
 *                 writes nothing the detector writes (docs/security.md, the ACLs)
 * @param silences the maintenance windows added through the API, keyed by silence id, compacted: the latest record
 *                 of an id is the silence, a tombstone removes it ({@code org.hotlinemonitor.app.notify.SilenceTopic})
 */
public record Topics(String events, String alerts, String rejects, String notifyRejects, String silences) {

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    /** The name of the detector's channel store (its state per channel, in {@code app.detect}). */
    public static final String DETECTOR_CHANNEL_STORE = "detector-channels";

    /**
     * The changelog topic Kafka Streams keeps for the detector's channel store: named after the detector's application
     * id. Read by {@code record} (an operator's event checked against the committed state), hence in the ACLs.
     */
    public static String detectorChannelChangelog(String applicationId) {
        return applicationId + "-" + DETECTOR_CHANNEL_STORE + "-changelog";
    }

    public static final String DEFAULT_SILENCES = "hotline.silences";
    public static final String DEFAULT_NOTIFY_REJECTS = "hotline.notify-rejects";
    public static final Topics DEFAULT = new Topics("hotline.events", "hotline.alerts", "hotline.rejects", DEFAULT_NOTIFY_REJECTS,
            DEFAULT_SILENCES);
    public static final int DEFAULT_PARTITIONS = 6;
    /** How long {@link #ensureTopics} may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Topics {
        TopicSpec.checkName(events);
        TopicSpec.checkName(alerts);
        TopicSpec.checkName(rejects);
        TopicSpec.checkName(notifyRejects);
        TopicSpec.checkName(silences);
        if (new HashSet<>(List.of(events, alerts, rejects, notifyRejects)).size() < 4) {
            throw new IllegalArgumentException("events, alerts, rejects and the notifier's rejects need four different topics, were "
                    + events + ", " + alerts + ", " + rejects + ", " + notifyRejects);
        }
        if (List.of(events, alerts, rejects, notifyRejects).contains(silences)) {
            throw new IllegalArgumentException("silences need a topic of their own, was " + silences
                    + " (events, alerts, rejects, notifier's rejects: " + events + ", " + alerts + ", " + rejects + ", "
                    + notifyRejects + ")");
        }
    }

    /** The given data topics, the notifier's rejects and the silences topic of their defaults. */
    public Topics(String events, String alerts, String rejects) {
        this(events, alerts, rejects, DEFAULT_NOTIFY_REJECTS, DEFAULT_SILENCES);
    }

    /** Events, alerts, the detector's and the notifier's rejects: the topics of {@link #specs}. */
    public List<String> names() {
        return List.of(events, alerts, rejects, notifyRejects);
    }

    /** The four data topics, each with these partitions and replication factor (empty: the cluster's default). */
    public List<TopicSpec> specs(int partitions, Optional<Short> replicationFactor) {
        return names().stream().map(name -> new TopicSpec(name, partitions, replicationFactor)).toList();
    }

    /**
     * The silences topic: one partition (a few records; every instance reads all of it) and
     * {@code cleanup.policy=compact}, so that it keeps the latest record of each silence id for good and a tombstone
     * removes one. An existing topic is left as it is, like the others.
     */
    public TopicSpec silencesSpec(Optional<Short> replicationFactor) {
        return new TopicSpec(silences, 1, replicationFactor, Map.of("cleanup.policy", "compact"));
    }

    /**
     * What {@link #ensureTopics} found or did for one topic.
     *
     * @param spec       what was asked
     * @param created    whether this call created it (false: it existed, or another client created it meanwhile)
     * @param partitions how many partitions it has
     */
    public record Ensured(TopicSpec spec, boolean created, int partitions) {
        /** An existing topic with fewer partitions than asked: it works, but fewer instances can share the work. */
        public boolean hasFewerPartitionsThanAsked() {
            return partitions < spec.partitions();
        }
    }

    /**
     * Creates those of {@code specs} that do not exist, and returns once the broker {@code admin} asks knows them
     * all. Safe to call again and from several clients at once: a topic that exists, or that another client creates
     * meanwhile ({@code TopicExistsException}), is left as it is.
     *
     * <p>An existing topic is never altered. If it has fewer partitions than asked, this logs a warning and goes on
     * (see {@link Ensured#hasFewerPartitionsThanAsked()}): the topic still works, and adding partitions would send
     * a channel's later events to another partition than its earlier ones, which is worse than less parallelism.
     * If it has a different replication factor, that is the operator's choice and is not reported.
     *
     * @param admin   a client of the cluster; not closed here
     * @param timeout for the whole call
     * @return one entry per spec, in the same order
     * @throws KafkaSetupException if a topic cannot be described or created (unreachable cluster, replication factor
     *                             above the number of brokers, not authorized, ...), or on time-out
     */
    public static List<Ensured> ensureTopics(Admin admin, List<TopicSpec> specs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Ensured> ensured = new LinkedHashMap<>();
        List<TopicSpec> missing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
                specs.stream().map(TopicSpec::name).toList(),
                new DescribeTopicsOptions().timeoutMs(remainingMs(deadline, timeout))).topicNameValues();
        for (TopicSpec spec : specs) {
            try {
                ensured.put(spec.name(), new Ensured(spec, false, get(described.get(spec.name()), deadline, timeout).partitions().size()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("cannot describe topic " + spec.name(), e.getCause());
                }
                missing.add(spec);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> created = admin.createTopics(
                    missing.stream().map(Topics::newTopic).toList(),
                    new CreateTopicsOptions().timeoutMs(remainingMs(deadline, timeout))).values();
            for (TopicSpec spec : missing) {
                boolean createdHere;
                try {
                    get(created.get(spec.name()), deadline, timeout);
                    createdHere = true;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw failure("cannot create topic " + spec.name(), e.getCause());
                    }
                    createdHere = false; // by another client, meanwhile
                }
                int partitions = partitionsOfNewTopic(admin, spec.name(), deadline, timeout);
                ensured.put(spec.name(), new Ensured(spec, createdHere, partitions));
                if (createdHere) {
                    LOG.info("Created topic {} ({} partitions)", spec.name(), partitions);
                }
            }
        }
        List<Ensured> result = specs.stream().map(spec -> ensured.get(spec.name())).toList();
        for (Ensured topic : result) {
            if (topic.hasFewerPartitionsThanAsked()) {
                LOG.warn("Topic {} has {} partitions, fewer than the {} asked: kept as it is (adding partitions would move"
                                + " channels to other partitions), so at most {} instances share the work",
                        topic.spec().name(), topic.partitions(), topic.spec().partitions(), topic.partitions());
            }
        }
        return result;
    }

    private static NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), Optional.of(spec.partitions()), spec.replicationFactor()).configs(spec.configs());
    }

    /**
     * The partitions of a topic just created, here or by another client. The broker we ask may learn of it a moment
     * after the controller said it exists, so an unknown topic is asked about again until the deadline: once this
     * returns, clients of that broker see the topic (a Kafka Streams application started next does not stop on a
     * missing source topic).
     */
    private static int partitionsOfNewTopic(Admin admin, String name, long deadline, Duration timeout) {
        while (true) {
            try {
                return get(admin.describeTopics(List.of(name), new DescribeTopicsOptions().timeoutMs(remainingMs(deadline, timeout)))
                        .topicNameValues().get(name), deadline, timeout).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("cannot describe topic " + name, e.getCause());
                }
            }
            pause(deadline, timeout);
        }
    }

    private static <T> T get(KafkaFuture<T> future, long deadline, Duration timeout) throws ExecutionException {
        try {
            return future.get(remainingMs(deadline, timeout), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while making the topics", e);
        }
    }

    private static void pause(long deadline, Duration timeout) {
        try {
            Thread.sleep(Math.min(50, remainingMs(deadline, timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while making the topics", e);
        }
    }

    private static int remainingMs(long deadline, Duration timeout) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            throw timedOut(timeout, null);
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static KafkaSetupException timedOut(Duration timeout, Throwable cause) {
        return new KafkaSetupException("the topics could not be checked and made within " + timeout.toSeconds()
                + " s: is Kafka reachable?", cause);
    }

    private static KafkaSetupException failure(String what, Throwable cause) {
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new KafkaSetupException(what + ": timed out (is Kafka reachable?): " + cause.getMessage(), cause);
        }
        return new KafkaSetupException(what + ": " + cause.getMessage(), cause);
    }
}
