package org.hotlinemonitor.app.broker;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A topic the monitor needs: its name, how many partitions to create it with, and its replication factor.
 *
 * @param name              a legal Kafka topic name: 1-249 ASCII letters, digits, '.', '_' or '-', not "." or ".."
 * @param partitions        partitions to create it with, at least 1; an existing topic is never changed
 * @param replicationFactor replicas per partition, at least 1; empty for the cluster's {@code default.replication.factor}
 * @param configs           topic settings to create it with ({@code cleanup.policy}...); empty for the cluster's
 */
public record TopicSpec(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        checkName(name);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of topic " + name + " must be at least 1, was " + partitions);
        }
        if (replicationFactor == null) {
            throw new IllegalArgumentException("replicationFactor of topic " + name + " must be given or empty, was null");
        }
        replicationFactor.ifPresent(r -> {
            if (r < 1) {
                throw new IllegalArgumentException("replicationFactor of topic " + name + " must be at least 1, was " + r);
            }
        });
        configs = Map.copyOf(configs);
    }

    /** A topic with the cluster's default settings. */
    public TopicSpec(String name, int partitions, Optional<Short> replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }

    /** Throws {@link IllegalArgumentException} saying why, unless Kafka would accept {@code name} as a topic name. */
    public static void checkName(String name) {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("illegal topic name '" + name + "': use 1-249 ASCII letters, digits, '.', '_' or '-'"
                    + " (not \".\" or \"..\")");
        }
    }
}
