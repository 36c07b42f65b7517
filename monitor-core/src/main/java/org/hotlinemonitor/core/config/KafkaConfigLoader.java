package org.hotlinemonitor.core.config;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;
import org.hotlinemonitor.core.config.YamlTree.Sequence;
import org.hotlinemonitor.core.model.Secret;

/**
 * Loads the {@code kafka:} section of the monitor's configuration file: the Kafka client settings every client of
 * the monitor gets (security among them), and optionally the embedded broker's users.
 *
 * <pre>{@code
 * kafka:
 *   security.protocol: SASL_SSL
 *   sasl.mechanism: SCRAM-SHA-512
 *   sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="detector" password="${DETECTOR_KAFKA_PASSWORD}";
 *   ssl.truststore.location: /etc/hotline/truststore.p12
 *   broker:                 # the embedded broker only: SASL/SCRAM users and ACLs
 *     superUser: admin
 *     users:
 *       admin: { password: ${KAFKA_ADMIN_PASSWORD} }
 *       detector: { password: ${DETECTOR_KAFKA_PASSWORD}, roles: [detector] }
 * }</pre>
 *
 * <p>Every key but {@code broker} is a Kafka client setting, passed on as it is: Kafka checks the names. A value is a
 * scalar (numbers and booleans are taken as their text); {@code ${VARIABLE}} in it is replaced by that environment
 * variable, which must be set. Kafka's own config-provider references ({@code ${env:NAME}}, {@code ${file:path:key}})
 * are left for Kafka to resolve. {@code bootstrap.servers} is refused: it is an option of the commands.
 *
 * <p>Thread-safety: the static methods are safe to call from any thread.
 */
public final class KafkaConfigLoader {

    /** The roles a user of the embedded broker can be given; each is a set of ACLs (docs/security.md). */
    public static final List<String> ROLES = List.of("scheduler", "api", "detector", "notifier", "replay");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> BROKER_KEYS = List.of("superUser", "users");
    private static final List<String> USER_KEYS = List.of("password", "roles");

    /**
     * The section.
     *
     * @param client the client settings, in file order, variables replaced; values may hold secrets: do not log them
     * @param broker the embedded broker's users, empty when the section has no {@code broker:}
     */
    public record KafkaSection(Map<String, String> client, Optional<BrokerUsers> broker) {
        public static final KafkaSection NONE = new KafkaSection(Map.of(), Optional.empty());

        public KafkaSection {
            client = Collections.unmodifiableMap(new LinkedHashMap<>(client));
            Objects.requireNonNull(broker, "broker");
        }

        /** Keys only: values may be secrets. */
        @Override
        public String toString() {
            return "KafkaSection[client keys " + client.keySet() + ", broker " + broker + "]";
        }
    }

    /**
     * The embedded broker's SASL/SCRAM users.
     *
     * @param superUser the broker's own principal and the administrator: one of {@code users}
     * @param users     by name, in file order
     */
    public record BrokerUsers(String superUser, Map<String, User> users) {
        public BrokerUsers {
            users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
            if (!users.containsKey(superUser)) {
                throw new IllegalArgumentException("superUser '" + superUser + "' must be one of the users " + users.keySet());
            }
        }
    }

    /**
     * One user of the embedded broker.
     *
     * @param password its SCRAM password ({@link Secret#toString()} hides it)
     * @param roles    which of {@link #ROLES} it holds; empty for none (the super user needs none)
     */
    public record User(String name, Secret password, Set<String> roles) {
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        }
    }

    private final SectionProblems problems;
    private final Function<String, String> env;
    private final boolean withBroker;

    private KafkaConfigLoader(String sourceName, Function<String, String> env, boolean withBroker) {
        this.problems = new SectionProblems(sourceName);
        this.env = env;
        this.withBroker = withBroker;
    }

    /** The {@code kafka:} section of a UTF-8 file, {@code broker:} included; {@link KafkaSection#NONE} when there is none. */
    public static KafkaSection load(Path file, Function<String, String> env) throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "kafka");
        return load(section.source(), section.entry(), env, true);
    }

    /**
     * The client settings of the {@code kafka:} section only: its {@code broker:} entry is left unread, so that a
     * client (which logs in as one user) needs none of the broker users' password variables.
     */
    public static KafkaSection loadClient(Path file, Function<String, String> env) throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "kafka");
        return load(section.source(), section.entry(), env, false);
    }

    /** As {@link #load(Path, Function)}, from a reader it does not close; problems name {@code sourceName}. */
    public static KafkaSection load(String sourceName, Reader yaml, Function<String, String> env) throws ConfigException {
        return load(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "kafka"), env, true);
    }

    /** As {@link #loadClient(Path, Function)}, from a reader it does not close; problems name {@code sourceName}. */
    public static KafkaSection loadClient(String sourceName, Reader yaml, Function<String, String> env) throws ConfigException {
        return load(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "kafka"), env, false);
    }

    private static KafkaSection load(String sourceName, Entry entry, Function<String, String> env, boolean withBroker)
            throws ConfigException {
        if (entry == null || ConfigLoader.isNull(entry.value())) {
            return KafkaSection.NONE;
        }
        KafkaConfigLoader loader = new KafkaConfigLoader(sourceName, env, withBroker);
        KafkaSection section = loader.section(entry);
        if (!loader.problems.isEmpty()) {
            throw loader.problems.failure();
        }
        return section;
    }

    private KafkaSection section(Entry entry) {
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "kafka", "expected a mapping of Kafka client settings, was " + ConfigLoader.describe(entry.value()));
            return null;
        }
        Map<String, String> client = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        BrokerUsers broker = null;
        for (Entry e : mapping.entries()) {
            String field = "kafka." + e.key();
            if (lines.containsKey(e.key())) {
                problems.add(e, field, "duplicate key '" + e.key() + "', first at line " + lines.get(e.key()));
                continue;
            }
            lines.put(e.key(), e.line());
            if (e.key().equals("broker")) {
                broker = withBroker ? broker(e) : null;
            } else if (e.key().equals("bootstrap.servers")) {
                problems.add(e, field, "give the cluster with --bootstrap-servers (or HOTLINE_BOOTSTRAP_SERVERS), not here");
            } else {
                String value = value(e.value(), field);
                if (value != null) {
                    client.put(e.key(), value);
                }
            }
        }
        return new KafkaSection(client, Optional.ofNullable(broker));
    }

    /** A setting's text with its {@code ${VARIABLE}}s replaced, or null after noting a problem. */
    private String value(Node node, String field) {
        if (!(node instanceof Scalar s) || s.kind() == ScalarKind.NULL || s.kind() == ScalarKind.ALIAS) {
            problems.add(node, field, "expected a value (text, number or true/false), was " + ConfigLoader.describe(node));
            return null;
        }
        Matcher m = VARIABLE.matcher(s.text());
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) {
                problems.add(node, field, "the environment variable " + m.group(1) + " is not set");
                ok = false;
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    private BrokerUsers broker(Entry entry) {
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "kafka.broker", "expected a mapping with superUser and users, was "
                    + ConfigLoader.describe(entry.value()));
            return null;
        }
        int before = problems.count();
        Map<String, Entry> keys = problems.keys(mapping, "kafka.broker", BROKER_KEYS);
        String superUser = null;
        if (keys.get("superUser") == null) {
            problems.add(mapping, "kafka.broker.superUser", "missing; the user the broker itself and its administration use");
        } else {
            superUser = problems.string(keys.get("superUser").value(), "kafka.broker.superUser", "a user name");
        }
        Map<String, User> users = new LinkedHashMap<>();
        Entry usersEntry = keys.get("users");
        if (usersEntry == null || !(usersEntry.value() instanceof Mapping userMapping) || userMapping.entries().isEmpty()) {
            problems.add(usersEntry == null ? mapping : usersEntry.value(), "kafka.broker.users",
                    "expected a mapping of user names to { password: ${VARIABLE}, roles: [...] }");
        } else {
            for (Entry u : userMapping.entries()) {
                User user = user(u);
                if (users.containsKey(u.key())) {
                    problems.add(u, "kafka.broker.users." + u.key(), "duplicate user '" + u.key() + "'");
                } else if (user != null) {
                    users.put(u.key(), user);
                }
            }
            if (superUser != null && !users.containsKey(superUser) && problems.count() == before) {
                problems.add(keys.get("superUser").value(), "kafka.broker.superUser", "'" + superUser
                        + "' is not one of the users " + users.keySet());
            }
        }
        return problems.count() == before ? new BrokerUsers(superUser, users) : null;
    }

    private User user(Entry entry) {
        String field = "kafka.broker.users." + entry.key();
        int before = problems.count();
        if (!USER_NAME.matcher(entry.key()).matches()) {
            problems.add(entry, field, "bad user name '" + entry.key() + "': use 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), field, "expected { password: ${VARIABLE}, roles: [...] }, was " + ConfigLoader.describe(entry.value()));
            return null;
        }
        Map<String, Entry> keys = problems.keys(mapping, field, USER_KEYS);
        Secret password = null;
        if (keys.get("password") == null) {
            problems.add(mapping, field + ".password", "missing; write it as ${VARIABLE}, an environment variable that holds it");
        } else {
            Node node = keys.get("password").value();
            String text = problems.string(node, field + ".password", "${VARIABLE}");
            if (text != null) {
                Matcher m = VARIABLE.matcher(text);
                if (!m.matches()) {
                    problems.add(node, field + ".password", "write the password as ${VARIABLE}, the name of an environment "
                            + "variable that holds it, not the password itself");
                } else {
                    String value = env.apply(m.group(1));
                    if (value == null || value.isEmpty()) {
                        problems.add(node, field + ".password", "the environment variable " + m.group(1) + " is not set");
                    } else {
                        password = new Secret(m.group(1), value);
                    }
                }
            }
        }
        Set<String> roles = new LinkedHashSet<>();
        Entry rolesEntry = keys.get("roles");
        if (rolesEntry != null) {
            List<Node> items = rolesEntry.value() instanceof Sequence s ? s.items() : new ArrayList<>();
            if (!(rolesEntry.value() instanceof Sequence)) {
                problems.add(rolesEntry.value(), field + ".roles", "expected a list of roles (" + String.join(", ", ROLES)
                        + "), was " + ConfigLoader.describe(rolesEntry.value()));
            }
            for (Node item : items) {
                String role = problems.string(item, field + ".roles", "a role");
                if (role != null && !ROLES.contains(role)) {
                    problems.add(item, field + ".roles", "unknown role '" + role + "'" + ConfigLoader.didYouMean(role, ROLES));
                } else if (role != null) {
                    roles.add(role);
                }
            }
        }
        return problems.count() == before ? new User(entry.key(), password, roles) : null;
    }
}
