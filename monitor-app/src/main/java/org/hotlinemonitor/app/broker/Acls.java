package org.hotlinemonitor.app.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateAclsOptions;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.hotlinemonitor.app.detect.ChannelTopic;

/**
 * The ACLs of each role of the monitor, one principal per role (docs/security.md has the table). Pure: the bindings
 * are computed from the topic names, the detector's application id and the notifier's group id; {@link #apply}
 * writes them with the Admin API, {@link #kafkaAclsCommand} prints the equivalent {@code kafka-acls.sh} line.
 *
 * <p>Every role may describe the monitor's four topics (their names and partitions, no records): each command
 * checks at start that the topics exist ({@link Topics#ensureTopics}). Beyond that a role gets only what its
 * clients do; no role but the scheduler and the API writes events, none but the detector writes alerts.
 */
public final class Acls {

    private Acls() {
    }

    /** A role: what one kind of process does with Kafka. */
    public enum Role {
        /**
         * {@code produce} and {@code record}: writes events, reads its own back at restart; reads the detector's channel
         * changelog ({@code record}'s lateness check).
         */
        SCHEDULER,
        /** The HTTP API of {@code run}: writes events (recorded calls) and silences, reads alerts and silences. */
        API,
        /** {@code detect}: reads events, writes alerts and dead letters exactly once, its own internal topics. */
        DETECTOR,
        /** {@code notify}: reads alerts (its groups) and silences, writes its dead letters. */
        NOTIFIER,
        /** {@code replay --since}: reads events. */
        REPLAY;

        /** As written in the configuration and on the command line: {@code scheduler}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role named {@code id}; an error listing the roles otherwise. */
        public static Role of(String id) {
            for (Role r : values()) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown role '" + id + "', expected one of "
                    + String.join(", ", Arrays.stream(values()).map(Role::id).toList()));
        }
    }

    /**
     * The names the ACLs are for.
     *
     * @param detectorApplicationId the detector's {@code --application-id}: its group, the prefix of its internal
     *                              topics and of its transactional ids
     * @param notifyGroupId         the {@code notify:} section's {@code groupId}: the prefix of its sinks' groups
     */
    public record Names(Topics topics, String detectorApplicationId, String notifyGroupId) {
        public Names {
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(detectorApplicationId, "detectorApplicationId");
            Objects.requireNonNull(notifyGroupId, "notifyGroupId");
        }
    }

    /** The bindings that let {@code principal} (e.g. {@code User:detector}) act as {@code role}, in a fixed order. */
    public static List<AclBinding> forRole(Role role, String principal, Names names) {
        Topics t = names.topics();
        List<AclBinding> out = new ArrayList<>();
        Allow allow = new Allow(principal, out);
        for (String topic : List.of(t.events(), t.alerts(), t.rejects(), t.notifyRejects(), t.silences())) {
            allow.literal(ResourceType.TOPIC, topic, AclOperation.DESCRIBE);
        }
        switch (role) {
            case SCHEDULER -> {
                allow.literal(ResourceType.TOPIC, t.events(), AclOperation.WRITE);
                allow.literal(ResourceType.TOPIC, t.events(), AclOperation.READ);
                // record refuses an event the detector would drop as late, from the channel's committed state.
                allow.literal(ResourceType.TOPIC, Topics.detectorChannelChangelog(names.detectorApplicationId()), AclOperation.READ);
            }
            case API -> {
                allow.literal(ResourceType.TOPIC, t.events(), AclOperation.WRITE);
                allow.literal(ResourceType.TOPIC, t.alerts(), AclOperation.READ);
                allow.literal(ResourceType.TOPIC, t.silences(), AclOperation.READ);
                allow.literal(ResourceType.TOPIC, t.silences(), AclOperation.WRITE);
            }
            case DETECTOR -> {
                String app = names.detectorApplicationId();
                allow.literal(ResourceType.TOPIC, t.events(), AclOperation.READ);
                allow.literal(ResourceType.TOPIC, t.alerts(), AclOperation.WRITE);
                allow.literal(ResourceType.TOPIC, t.rejects(), AclOperation.WRITE);
                // detect --channels-topic: the channels it follows (the default name; grant another name by hand); Read implies Describe.
                allow.literal(ResourceType.TOPIC, ChannelTopic.DEFAULT_TOPIC, AclOperation.READ);
                // Kafka Streams' changelog topics, <application id>-<store>-changelog: it creates and checks them.
                allow.prefixed(ResourceType.TOPIC, app, AclOperation.ALL);
                // Its consumer group, and run's alert printer's (<application id>-console).
                allow.prefixed(ResourceType.GROUP, app, AclOperation.READ);
                // Exactly once: transactional ids <application id>-<process id>-<thread>.
                allow.prefixed(ResourceType.TRANSACTIONAL_ID, app, AclOperation.WRITE);
                allow.prefixed(ResourceType.TRANSACTIONAL_ID, app, AclOperation.DESCRIBE);
            }
            case NOTIFIER -> {
                allow.literal(ResourceType.TOPIC, t.alerts(), AclOperation.READ);
                // One group per sink: <groupId>.<sink>.
                allow.prefixed(ResourceType.GROUP, names.notifyGroupId(), AclOperation.READ);
                allow.literal(ResourceType.TOPIC, t.notifyRejects(), AclOperation.WRITE);
                allow.literal(ResourceType.TOPIC, t.silences(), AclOperation.READ);
            }
            case REPLAY -> allow.literal(ResourceType.TOPIC, t.events(), AclOperation.READ);
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /** The bindings of several principals' roles, without repeats. */
    public static List<AclBinding> forRoles(List<Grant> grants, Names names) {
        Set<AclBinding> out = new LinkedHashSet<>();
        for (Grant g : grants) {
            out.addAll(forRole(g.role(), g.principal(), names));
        }
        return List.copyOf(out);
    }

    /** One role given to one principal. */
    public record Grant(Role role, String principal) {
        public Grant {
            Objects.requireNonNull(role, "role");
            checkPrincipal(principal);
        }
    }

    /** {@code User:name}; an error naming the bad principal otherwise. */
    public static String checkPrincipal(String principal) {
        if (principal == null || !principal.matches("User:[^\\s;,]+")) {
            throw new IllegalArgumentException("a principal is User:<name> (the SASL user name or the TLS certificate's "
                    + "principal), was '" + principal + "'");
        }
        return principal;
    }

    /**
     * Creates the bindings (those that exist already are left as they are: creating one again changes nothing).
     *
     * @throws KafkaSetupException when the cluster refuses them (not authorized, no authorizer configured) or times out
     */
    public static void apply(Admin admin, List<AclBinding> bindings, Duration timeout) {
        try {
            admin.createAcls(bindings, new CreateAclsOptions().timeoutMs((int) timeout.toMillis()))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaSetupException("cannot create the ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaSetupException("cannot create the ACLs within " + timeout.toSeconds() + " s: is Kafka reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while creating the ACLs", e);
        }
    }

    /**
     * The {@code kafka-acls.sh} command that creates {@code binding}, for a cluster reached with the admin client
     * settings in {@code commandConfig} (a properties file holding the administrator's credentials).
     */
    public static String kafkaAclsCommand(AclBinding binding, String bootstrapServers, String commandConfig) {
        ResourcePattern r = binding.pattern();
        String resource = switch (r.resourceType()) {
            case TOPIC -> "--topic " + r.name();
            case GROUP -> "--group " + r.name();
            case TRANSACTIONAL_ID -> "--transactional-id " + r.name();
            case CLUSTER -> "--cluster";
            default -> throw new IllegalArgumentException("unexpected resource " + r);
        };
        String operation = switch (binding.entry().operation()) {
            case ALL -> "All";
            case READ -> "Read";
            case WRITE -> "Write";
            case CREATE -> "Create";
            case DESCRIBE -> "Describe";
            case IDEMPOTENT_WRITE -> "IdempotentWrite";
            case DESCRIBE_CONFIGS -> "DescribeConfigs";
            default -> throw new IllegalArgumentException("unexpected operation " + binding.entry().operation());
        };
        return "kafka-acls.sh --bootstrap-server " + bootstrapServers + " --command-config " + commandConfig
                + " --add --allow-principal " + binding.entry().principal() + " --operation " + operation + " "
                + resource + (r.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
    }

    private record Allow(String principal, List<AclBinding> out) {
        void literal(ResourceType type, String name, AclOperation op) {
            add(type, name, PatternType.LITERAL, op);
        }

        void prefixed(ResourceType type, String name, AclOperation op) {
            add(type, name, PatternType.PREFIXED, op);
        }

        private void add(ResourceType type, String name, PatternType pattern, AclOperation op) {
            out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
