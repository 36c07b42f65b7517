package org.hotlinemonitor.core.config;

import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.alert.Severity;
import org.hotlinemonitor.core.config.YamlTree.Entry;
import org.hotlinemonitor.core.config.YamlTree.Mapping;
import org.hotlinemonitor.core.config.YamlTree.Node;
import org.hotlinemonitor.core.config.YamlTree.Scalar;
import org.hotlinemonitor.core.config.YamlTree.ScalarKind;
import org.hotlinemonitor.core.config.YamlTree.Sequence;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;

/**
 * Loads the {@code notify:} section of the monitor's YAML file (the file {@link ConfigLoader} reads the channels
 * from; it accepts the key and leaves the section to this class). Every problem is collected, with file, line,
 * column and setting path, and reported together in one {@link ConfigException}, as for the channels.
 *
 * <pre>{@code
 * notify:
 *   groupId: hotline-notify        # optional; each sink's consumer group is groupId.<sink name>
 *   grouping: true                 # optional, default true: one page per sink for alerts of one evaluation
 *   groupWait: PT0.25S             # optional, default PT0.25S, >= 0
 *   retry: {initial: PT0.5S, max: PT15S}  # optional: exponential backoff with full jitter; max at most PT20S
 *   sinks:
 *     - name: oncall               # [a-z0-9._-]{1,64}, unique
 *       type: pagerduty            # alertmanager | pagerduty | webhook | slack
 *       url: https://events.pagerduty.com    # pagerduty's default; required for the others
 *       routingKey: ${PAGERDUTY_KEY}         # pagerduty only, required, an environment variable
 *     - name: hook
 *       type: webhook
 *       url: https://example.org/hotline
 *       secret: ${WEBHOOK_SECRET}            # webhook only, required, an environment variable
 *     - name: chat
 *       type: slack
 *       url: ${SLACK_WEBHOOK_URL}            # any url may come from a variable; Slack's should
 *   routes:                        # every route that matches adds its sinks
 *     - severity: [critical, resolve]        # optional: warning, error, critical, resolve; one or a list
 *       channels: ['liaison-*', unc-pink-phone]   # optional: ids or globs (* and ?)
 *       sinks: [oncall, hook]
 * }</pre>
 *
 * <p>Secrets (a routing key, an HMAC key) must be written as {@code ${VARIABLE}}: the file names the variable,
 * the process environment holds the value, and neither a log nor an error message ever shows it. An unset or
 * empty variable is a problem located at the setting.
 *
 * <p>Thread-safety: the static methods are safe to call from any thread.
 */
public final class NotifyConfigLoader {

    /** PagerDuty's events endpoint base, when a pagerduty sink gives no url. */
    public static final URI PAGERDUTY_EVENTS = URI.create("https://events.pagerduty.com");

    private static final List<String> NOTIFY_KEYS = List.of("groupId", "grouping", "groupWait", "retry", "sinks", "routes");
    private static final List<String> RETRY_KEYS = List.of("initial", "max");
    private static final List<String> SINK_KEYS = List.of("name", "type", "url", "routingKey", "secret");
    private static final List<String> ROUTE_KEYS = List.of("severity", "channels", "sinks");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Set<String> channelIds;
    private final Function<String, String> env;
    private final SectionProblems problems;

    private NotifyConfigLoader(String source, Set<String> channelIds, Function<String, String> env) {
        this.problems = new SectionProblems(source);
        this.channelIds = channelIds;
        this.env = env;
    }

    /**
     * The notify section of a UTF-8 file, checked.
     *
     * @param channelIds the configured channels, to check the ids routes name (globs are not checked), or
     *                   {@code null} to check nothing
     * @param env        the process environment, usually {@code System::getenv}
     * @return empty when the file has no {@code notify} section
     * @throws ConfigException with every problem found in the section, or the file's syntax error
     */
    public static Optional<NotifyConfig> load(Path file, Set<String> channelIds, Function<String, String> env)
            throws ConfigException {
        ConfigLoader.Section section = ConfigLoader.section(file, "notify");
        return fromTree(section.source(), section.entry(), channelIds, env);
    }

    /** As {@link #load(Path, Set, Function)}, from a reader it does not close; problems name {@code sourceName}. */
    public static Optional<NotifyConfig> load(String sourceName, Reader yaml, Set<String> channelIds,
                                              Function<String, String> env) throws ConfigException {
        return fromTree(sourceName, ConfigLoader.section(ConfigLoader.readTree(sourceName, yaml), "notify"), channelIds, env);
    }

    private static Optional<NotifyConfig> fromTree(String sourceName, Entry notify, Set<String> channelIds,
                                                   Function<String, String> env) throws ConfigException {
        if (notify == null) {
            return Optional.empty();
        }
        return Optional.of(new NotifyConfigLoader(sourceName, channelIds, env).notify(notify));
    }

    private NotifyConfig notify(Entry entry) throws ConfigException {
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "notify", "expected a mapping with sinks and routes, was " + ConfigLoader.describe(entry.value()));
            throw problems.failure();
        }
        Map<String, Entry> keys = problems.keys(mapping, "notify", NOTIFY_KEYS);
        String groupId = NotifyConfig.DEFAULT_GROUP_ID;
        if (keys.containsKey("groupId")) {
            groupId = problems.string(keys.get("groupId").value(), "notify.groupId", "a consumer group id");
            if (groupId != null && !NotifyConfig.NAME.matcher(groupId).matches()) {
                problems.add(keys.get("groupId").value(), "notify.groupId", "bad group id '" + groupId
                        + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
            }
        }
        boolean grouping = true;
        if (keys.containsKey("grouping")) {
            Node value = keys.get("grouping").value();
            if (value instanceof Scalar s && s.kind() == ScalarKind.BOOLEAN) {
                grouping = Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
            } else {
                problems.add(value, "notify.grouping", "expected true or false, was " + ConfigLoader.describe(value));
            }
        }
        Duration groupWait = NotifyConfig.DEFAULT_GROUP_WAIT;
        if (keys.containsKey("groupWait")) {
            groupWait = duration(keys.get("groupWait").value(), "notify.groupWait", "PT0.25S");
            if (groupWait != null && groupWait.isNegative()) {
                problems.add(keys.get("groupWait").value(), "notify.groupWait", "must not be negative, was " + groupWait);
            }
        }
        Backoff backoff = retry(keys.get("retry"));
        Map<String, Integer> sinkLines = new LinkedHashMap<>();
        List<SinkConfig> sinks = sinks(mapping, keys.get("sinks"), sinkLines);
        List<Route> routes = routes(mapping, keys.get("routes"), sinkLines);
        if (!problems.isEmpty()) {
            throw problems.failure();
        }
        try {
            return new NotifyConfig(groupId, grouping, groupWait, backoff, sinks, routes);
        } catch (IllegalArgumentException e) { // every rule is checked above; this keeps a gap from escaping
            problems.add(mapping, "notify", e.getMessage());
            throw problems.failure();
        }
    }

    private Backoff retry(Entry entry) {
        if (entry == null) {
            return Backoff.DEFAULT;
        }
        if (!(entry.value() instanceof Mapping mapping)) {
            problems.add(entry.value(), "notify.retry", "expected a mapping with initial and max, was " + ConfigLoader.describe(entry.value()));
            return null;
        }
        Map<String, Entry> keys = problems.keys(mapping, "notify.retry", RETRY_KEYS);
        Duration initial = keys.containsKey("initial")
                ? duration(keys.get("initial").value(), "notify.retry.initial", "PT0.5S") : Backoff.DEFAULT.initial();
        Duration max = keys.containsKey("max")
                ? duration(keys.get("max").value(), "notify.retry.max", "PT15S") : Backoff.DEFAULT.max();
        if (initial == null || max == null) {
            return null;
        }
        if (max.compareTo(Backoff.LONGEST_MAX) > 0) {
            problems.add(keys.get("max").value(), "notify.retry.max", "must be at most " + Backoff.LONGEST_MAX
                    + " (a pager that recovers is tried again within max), was " + max);
            return null;
        }
        try {
            return new Backoff(initial, max);
        } catch (IllegalArgumentException e) {
            problems.add(mapping, "notify.retry", e.getMessage());
            return null;
        }
    }

    private List<SinkConfig> sinks(Mapping notify, Entry entry, Map<String, Integer> sinkLines) {
        List<SinkConfig> sinks = new ArrayList<>();
        if (entry == null) {
            problems.add(notify, "notify.sinks", "missing; list at least one sink");
            return sinks;
        }
        if (!(entry.value() instanceof Sequence list) || list.items().isEmpty()) {
            problems.add(entry.value(), "notify.sinks", "expected a list of at least one sink, was " + ConfigLoader.describe(entry.value()));
            return sinks;
        }
        for (int i = 0; i < list.items().size(); i++) {
            SinkConfig sink = sink(list.items().get(i), "notify.sinks[" + i + "]", sinkLines);
            if (sink != null) {
                sinks.add(sink);
            }
        }
        return sinks;
    }

    private SinkConfig sink(Node node, String path, Map<String, Integer> sinkLines) {
        if (!(node instanceof Mapping mapping)) {
            problems.add(node, path, "expected a sink (a mapping with name, type, url), was " + ConfigLoader.describe(node));
            return null;
        }
        int before = problems.count();
        Map<String, Entry> keys = problems.keys(mapping, path, SINK_KEYS);
        String name = null;
        if (keys.get("name") == null) {
            problems.add(mapping, path + ".name", "missing; every sink needs a name");
        } else {
            Node value = keys.get("name").value();
            name = problems.string(value, path + ".name", "a name");
            if (name != null && !NotifyConfig.NAME.matcher(name).matches()) {
                problems.add(value, path + ".name", "bad name '" + name + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
                name = null;
            } else if (name != null && sinkLines.containsKey(name)) {
                problems.add(value, path + ".name", "duplicate sink name '" + name + "', first at line " + sinkLines.get(name));
            } else if (name != null) {
                sinkLines.put(name, value.line());
            }
        }
        SinkType type = null;
        if (keys.get("type") == null) {
            problems.add(mapping, path + ".type", "missing; one of alertmanager, pagerduty, webhook, slack");
        } else {
            Node value = keys.get("type").value();
            String text = problems.string(value, path + ".type", "a sink type");
            if (text != null) {
                for (SinkType t : SinkType.values()) {
                    if (t.configName().equals(text)) {
                        type = t;
                    }
                }
                if (type == null) {
                    problems.add(value, path + ".type", "unknown sink type '" + text + "'; expected one of alertmanager, pagerduty, webhook, slack");
                }
            }
        }
        URI url = null;
        if (keys.get("url") == null) {
            if (type == SinkType.PAGERDUTY) {
                url = PAGERDUTY_EVENTS;
            } else {
                problems.add(mapping, path + ".url", "missing; the " + (type == null ? "sink" : type.configName()) + "'s URL");
            }
        } else {
            url = url(keys.get("url").value(), path + ".url");
        }
        String secretKey = type == SinkType.PAGERDUTY ? "routingKey" : type == SinkType.WEBHOOK ? "secret" : null;
        Secret secret = null;
        for (String key : List.of("routingKey", "secret")) {
            Entry e = keys.get(key);
            if (key.equals(secretKey)) {
                if (e == null) {
                    problems.add(mapping, path + "." + key, "missing; the " + type.configName() + " sink needs it, as ${VARIABLE}");
                } else {
                    secret = secret(e.value(), path + "." + key);
                }
            } else if (e != null && type != null) {
                problems.add(e, path + "." + key, "'" + key + "' is not a setting of a " + type.configName() + " sink");
            }
        }
        if (problems.count() > before || name == null || type == null || url == null) {
            return null;
        }
        try {
            return new SinkConfig(name, type, url, secret);
        } catch (IllegalArgumentException e) {
            problems.add(mapping, path, e.getMessage());
            return null;
        }
    }

    private URI url(Node node, String path) {
        String text = problems.string(node, path, "an http or https URL");
        if (text == null) {
            return null;
        }
        boolean fromVariable = VARIABLE.matcher(text).matches();
        if (fromVariable) {
            Secret resolved = secret(node, path);
            if (resolved == null) {
                return null;
            }
            text = resolved.value();
        }
        String shown = fromVariable ? "the value of " + ((Scalar) node).text() : "'" + text + "'";
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add(node, path, "expected an http or https URL with a host, was " + shown);
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(node, path, "bad URL: " + shown + (fromVariable ? "" : " (" + e.getReason() + ")"));
            return null;
        }
    }

    /** A secret written as {@code ${VARIABLE}}, read from the environment. */
    private Secret secret(Node node, String path) {
        String text = problems.string(node, path, "${VARIABLE}");
        if (text == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(text);
        if (!m.matches()) {
            problems.add(node, path, "write secrets as ${VARIABLE}, the name of an environment variable that holds the value, "
                    + "not the value itself");
            return null;
        }
        String value = env.apply(m.group(1));
        if (value == null || value.isEmpty()) {
            problems.add(node, path, "the environment variable " + m.group(1) + " is not set");
            return null;
        }
        return new Secret(m.group(1), value);
    }

    private List<Route> routes(Mapping notify, Entry entry, Map<String, Integer> sinkLines) {
        List<Route> routes = new ArrayList<>();
        if (entry == null) {
            problems.add(notify, "notify.routes", "missing; list at least one route (a route without severity and channels takes every alert)");
            return routes;
        }
        if (!(entry.value() instanceof Sequence list) || list.items().isEmpty()) {
            problems.add(entry.value(), "notify.routes", "expected a list of at least one route, was " + ConfigLoader.describe(entry.value()));
            return routes;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String path = "notify.routes[" + i + "]";
            Node node = list.items().get(i);
            if (!(node instanceof Mapping mapping)) {
                problems.add(node, path, "expected a route (a mapping with sinks, and optionally severity and channels), was "
                        + ConfigLoader.describe(node));
                continue;
            }
            int before = problems.count();
            Map<String, Entry> keys = problems.keys(mapping, path, ROUTE_KEYS);
            Set<Severity> severities = EnumSet.noneOf(Severity.class);
            for (Node s : strings(keys.get("severity"), path + ".severity")) {
                String text = ((Scalar) s).text();
                Severity found = null;
                for (Severity severity : Severity.values()) {
                    if (severity.wireName().equals(text)) {
                        found = severity;
                    }
                }
                if (found == null) {
                    problems.add(s, path + ".severity", "unknown severity '" + text + "'; expected warning, error, critical or resolve");
                } else {
                    severities.add(found);
                }
            }
            List<String> channels = new ArrayList<>();
            for (Node c : strings(keys.get("channels"), path + ".channels")) {
                String text = ((Scalar) c).text();
                if (channelIds != null && !Route.isGlob(text) && !channelIds.contains(text) && !text.equals(Channel.OUR_SIDE)) {
                    problems.add(c, path + ".channels", "unknown channel '" + text + "'"
                            + ConfigLoader.didYouMean(text, channelIds));
                }
                channels.add(text);
            }
            List<String> sinks = new ArrayList<>();
            if (keys.get("sinks") == null) {
                problems.add(mapping, path + ".sinks", "missing; name the sinks this route sends to");
            } else {
                List<Node> names = strings(keys.get("sinks"), path + ".sinks");
                if (names.isEmpty() && problems.count() == before) {
                    problems.add(keys.get("sinks").value(), path + ".sinks", "name at least one sink");
                }
                for (Node s : names) {
                    String text = ((Scalar) s).text();
                    if (!sinkLines.containsKey(text)) {
                        problems.add(s, path + ".sinks", "unknown sink '" + text + "'" + (sinkLines.isEmpty() ? ""
                                : "; configured: " + String.join(", ", sinkLines.keySet())));
                    }
                    sinks.add(text);
                }
            }
            if (problems.count() == before) {
                routes.add(new Route(severities, channels, sinks));
            }
        }
        return routes;
    }

    /** A string or a list of strings; each string's node (so that problems point at it). */
    private List<Node> strings(Entry entry, String path) {
        List<Node> out = new ArrayList<>();
        if (entry == null) {
            return out;
        }
        List<Node> items = entry.value() instanceof Sequence seq ? seq.items() : List.of(entry.value());
        for (Node item : items) {
            if (problems.string(item, path, "a string or a list of strings") != null) {
                out.add(item);
            }
        }
        return out;
    }

    // ---- helpers ----

    private Duration duration(Node node, String path, String example) {
        String text = problems.string(node, path, "an ISO-8601 duration like " + example);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(node, path, "bad duration '" + text + "', expected ISO-8601 like " + example);
            return null;
        }
    }





}
