package org.hotlinemonitor.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL query of the Grafana dashboards in {@code deploy/grafana/dashboards}, as Grafana would send it to
 * Prometheus: each panel's targets, each Prometheus annotation, and each query variable ({@code label_values(S, L)}
 * becomes {@code group by (L) (S)}, which returns one series per value the variable would offer), with the
 * dashboard's variables and Grafana's own ({@code $__range}, {@code $__rate_interval}, ...) replaced by values the
 * caller gives.
 *
 * <p>Used by the checks that run the queries on a real Prometheus: an empty one (the queries parse and evaluate) and
 * one that scrapes a running monitor (they return data).
 */
public final class DashboardQueries {

    /** The dashboards' folder, from the repository's root. */
    public static final Path DASHBOARDS = root().resolve("deploy/grafana/dashboards");

    /**
     * Grafana's global variables that the dashboards may use, with the values the checks give them by default: a
     * one-day dashboard range, a 15 s scrape interval.
     */
    public static final Map<String, String> GRAFANA_DEFAULTS = Map.of(
            "__range", "1d", "__range_s", "86400", "__range_ms", "86400000",
            "__rate_interval", "1m", "__interval", "15s", "__interval_ms", "15000");

    /** {@code $name}, {@code ${name}}, {@code ${name:format}} and the old {@code [[name]]}. */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[\\w]+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One dashboard file, parsed. */
    public record Dashboard(Path file, JsonNode json) {

        public String name() {
            return file.getFileName().toString();
        }

        /** The names of its template variables, in order. */
        public List<String> variables() {
            List<String> names = new ArrayList<>();
            json.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
            return names;
        }

        /** Every panel, rows and the panels of collapsed rows included, in file order. */
        public List<JsonNode> panels() {
            List<JsonNode> all = new ArrayList<>();
            for (JsonNode p : json.path("panels")) {
                all.add(p);
                p.path("panels").forEach(all::add);
            }
            return all;
        }
    }

    /**
     * A query of a dashboard. {@code source} names where it is: {@code panel "Title" A}, {@code annotation "Name"},
     * {@code variable channel}. {@code instant}: Grafana asks for one value at the end of the range (stat panels,
     * tables), else a range query. {@code minInterval}: the panel's "min interval", the least {@code $__interval}
     * Grafana gives it (zero when it sets none).
     */
    public record Query(String dashboard, String source, String expr, boolean instant, Duration minInterval) {
        @Override
        public String toString() {
            return dashboard + ": " + source;
        }
    }

    private DashboardQueries() {
    }

    /** Every {@code *.json} file of {@code dir}, parsed, by name. */
    public static List<Dashboard> load(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Dashboard> out = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(new Dashboard(f, JSON.readTree(f.toFile())));
                } catch (IOException e) {
                    throw new IllegalArgumentException(f + ": not valid JSON: " + e.getMessage(), e);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dashboards' queries as written, variables not replaced. */
    public static List<Query> raw(Dashboard d) {
        List<Query> out = new ArrayList<>();
        for (JsonNode v : d.json().path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                JsonNode q = v.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                Matcher m = LABEL_VALUES.matcher(text);
                if (!m.matches()) {
                    throw new IllegalArgumentException(d.name() + ": variable " + v.path("name").asText()
                            + ": only label_values(SELECTOR, LABEL) is understood here, was: " + text);
                }
                out.add(new Query(d.name(), "variable " + v.path("name").asText(),
                        "group by (" + m.group(2) + ") (" + m.group(1).trim() + ")", true, Duration.ZERO));
            }
        }
        for (JsonNode a : d.json().path("annotations").path("list")) {
            if ("prometheus".equals(a.path("datasource").path("type").asText())) {
                out.add(new Query(d.name(), "annotation \"" + a.path("name").asText() + "\"", a.path("expr").asText(),
                        false, duration(d.name() + ": annotation step", a.path("step").asText(""))));
            }
        }
        for (JsonNode p : d.panels()) {
            String title = p.path("title").asText();
            Duration min = duration(d.name() + ": panel \"" + title + "\" interval", p.path("interval").asText(""));
            for (JsonNode t : p.path("targets")) {
                boolean instant = t.path("instant").asBoolean(false) && !t.path("range").asBoolean(false);
                out.add(new Query(d.name(), "panel \"" + title + "\" " + t.path("refId").asText(),
                        t.path("expr").asText(), instant, min));
            }
        }
        return out;
    }

    /**
     * The queries of every dashboard in {@code dir} with each variable replaced: by {@code values} when it names it,
     * else by {@link #GRAFANA_DEFAULTS}; {@code $__interval} is at least the panel's min interval, as in Grafana. A
     * variable in neither is an error naming the dashboard, query and variable.
     */
    public static List<Query> substituted(Path dir, Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>(GRAFANA_DEFAULTS);
        all.putAll(values);
        List<Query> out = new ArrayList<>();
        for (Dashboard d : load(dir)) {
            for (Query q : raw(d)) {
                Map<String, String> mine = new LinkedHashMap<>(all);
                Duration interval = duration("$__interval", all.get("__interval"));
                if (q.minInterval().compareTo(interval) > 0) {
                    mine.put("__interval", q.minInterval().toSeconds() + "s");
                    mine.put("__interval_ms", Long.toString(q.minInterval().toMillis()));
                }
                out.add(new Query(q.dashboard(), q.source(), substitute(q.toString(), q.expr(), mine), q.instant(),
                        q.minInterval()));
            }
        }
        return out;
    }

    /** A Grafana or Prometheus duration of one unit ({@code 15s}, {@code 1m}, {@code 2h}, {@code 7d}); "" is zero. */
    static Duration duration(String where, String text) {
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": not a duration like 15s, 1m, 1h or 1d: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** {@code text} with its variables replaced from {@code values}; {@code where} names it in the error. */
    static String substitute(String where, String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = name(m);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException(where + ": no value for variable $" + name + " (given: "
                        + values.keySet() + ")");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The names of the variables {@code text} uses. */
    static Set<String> variablesIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(name(m));
        }
        return names;
    }

    private static String name(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** The repository's root: the working directory of a module's tests is the module. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isDirectory(p.resolve("monitor-app"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (a folder with deploy/ and monitor-app/) above " + here);
    }
}
