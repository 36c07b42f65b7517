package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hotlinemonitor.app.deploy.DashboardQueries.Dashboard;
import org.hotlinemonitor.app.deploy.DashboardQueries.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Grafana dashboards and provisioning files of {@code deploy/grafana}, read as Grafana reads them: valid JSON,
 * unique panel ids, every variable used defined, every query on the data source chosen by the {@code datasource}
 * variable, every panel with a query and a description documented in docs/dashboards.md, provisioning files that
 * parse and point where the docs say the dashboards go. (That the queries are valid PromQL, and return data from a
 * running monitor, is checked against a real Prometheus elsewhere.)
 */
class DashboardsTest {

    private static final Path ROOT = DashboardQueries.root();
    private static final Path PROVISIONING = ROOT.resolve("deploy/grafana/provisioning");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Object> DATASOURCE = Map.of("type", "prometheus", "uid", "${datasource}");

    static Stream<Dashboard> dashboards() {
        return DashboardQueries.load(DashboardQueries.DASHBOARDS).stream();
    }

    @Test
    void theTwoDashboardsAreThereWithUniqueUids() {
        List<Dashboard> all = dashboards().toList();
        assertThat(all).extracting(Dashboard::name).contains("hotlines-overview.json", "monitor-health.json");
        assertThat(all).extracting(d -> d.json().path("uid").asText()).doesNotHaveDuplicates().allMatch(u -> !u.isBlank());
        // Links between them go by uid, so they hold wherever Grafana runs.
        List<String> uids = all.stream().map(d -> d.json().path("uid").asText()).toList();
        for (Dashboard d : all) {
            assertThat(d.json().path("links").size()).as(d.name() + " links").isPositive();
            for (JsonNode link : d.json().path("links")) {
                String url = link.path("url").asText();
                assertThat(url).as(d.name() + " link").startsWith("/d/");
                assertThat(uids).as(d.name() + " links to " + url).contains(url.substring("/d/".length()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void hasATitleAUidASchemaVersionAndTheHotlineTag(Dashboard d) {
        assertThat(d.json().path("title").asText()).as(d.name() + " title").isNotBlank();
        assertThat(d.json().path("uid").asText()).as(d.name() + " uid").matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(d.json().path("schemaVersion").isInt()).as(d.name() + " schemaVersion is a number").isTrue();
        assertThat(d.json().path("schemaVersion").asInt()).as(d.name() + " schemaVersion").isGreaterThanOrEqualTo(36);
        assertThat(d.json().path("tags").toString()).as(d.name() + " tags").contains("\"hotline\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndPanelsFitTheGrid(Dashboard d) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode p : d.panels()) {
            assertThat(p.path("id").isInt()).as(d.name() + ": panel \"" + p.path("title").asText() + "\" has an id").isTrue();
            ids.add(p.path("id").asInt());
            JsonNode grid = p.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as(d.name() + ": panel \"" + p.path("title").asText() + "\" within 24 columns").isBetween(1, 24);
            assertThat(grid.path("h").asInt()).as(d.name() + ": panel \"" + p.path("title").asText() + "\" height").isPositive();
        }
        assertThat(ids).as(d.name() + " panel ids").doesNotHaveDuplicates();
        // No two panels on the same cells (Grafana would push one down, away from its row).
        List<JsonNode> panels = d.panels();
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                JsonNode a = panels.get(i).path("gridPos");
                JsonNode b = panels.get(j).path("gridPos");
                boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap).as(d.name() + ": panels \"" + panels.get(i).path("title").asText() + "\" and \""
                        + panels.get(j).path("title").asText() + "\" overlap").isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyVariableUsedIsDefined(Dashboard d) {
        Set<String> defined = new HashSet<>(d.variables());
        defined.addAll(DashboardQueries.GRAFANA_DEFAULTS.keySet());
        List<String> used = new ArrayList<>();
        strings(d.json(), "", used);
        assertThat(used).as(d.name() + ": strings that use variables").isNotEmpty();
        for (String s : used) {
            String where = s.substring(0, s.indexOf('\u0000'));
            String text = s.substring(s.indexOf('\u0000') + 1);
            for (String v : DashboardQueries.variablesIn(text)) {
                assertThat(defined).as(d.name() + " " + where + " uses $" + v + ", not a variable of the dashboard "
                        + "nor one of Grafana's that the checks know").contains(v);
            }
        }
        // A variable may only use the variables before it.
        List<String> order = d.variables();
        for (JsonNode v : d.json().path("templating").path("list")) {
            String name = v.path("name").asText();
            for (String u : DashboardQueries.variablesIn(v.path("query").toString())) {
                if (order.contains(u)) {
                    assertThat(order.indexOf(u)).as(d.name() + ": variable " + name + " uses $" + u + " defined after it")
                            .isLessThan(order.indexOf(name));
                }
            }
        }
    }

    /** Every string of the JSON with its path, "path\0text", skipping the variables' current values and options. */
    private static void strings(JsonNode node, String path, List<String> out) {
        if (node.isTextual()) {
            if (!DashboardQueries.variablesIn(node.asText()).isEmpty()) {
                out.add(path + '\u0000' + node.asText());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                strings(node.get(i), path + "[" + i + "]", out);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                boolean variableState = path.startsWith(".templating.list[")
                        && (e.getKey().equals("current") || e.getKey().equals("options"));
                if (!variableState) {
                    strings(e.getValue(), path + "." + e.getKey(), out);
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyQueryUsesTheDataSourceOfTheDatasourceVariable(Dashboard d) throws IOException {
        JsonNode variable = d.json().path("templating").path("list").get(0);
        assertThat(variable.path("name").asText()).as(d.name() + ": the first variable").isEqualTo("datasource");
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        JsonNode wanted = new ObjectMapper().valueToTree(DATASOURCE);
        for (JsonNode v : d.json().path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                assertThat(v.path("datasource")).as(d.name() + ": variable " + v.path("name").asText()).isEqualTo(wanted);
            }
        }
        for (JsonNode a : d.json().path("annotations").path("list")) {
            String type = a.path("datasource").path("type").asText();
            assertThat(type).as(d.name() + ": annotation " + a.path("name").asText()).isIn("prometheus", "grafana");
            if (type.equals("prometheus")) {
                assertThat(a.path("datasource")).as(d.name() + ": annotation " + a.path("name").asText()).isEqualTo(wanted);
            }
        }
        for (JsonNode p : d.panels()) {
            String title = p.path("title").asText();
            if (p.path("type").asText().equals("row")) {
                assertThat(p.path("targets").size()).as(d.name() + ": row \"" + title + "\" has no queries").isZero();
                continue;
            }
            assertThat(p.path("datasource")).as(d.name() + ": panel \"" + title + "\" datasource").isEqualTo(wanted);
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource")).as(d.name() + ": panel \"" + title + "\" target " + t.path("refId"))
                        .isEqualTo(wanted);
            }
        }
        // No instance, host or port of anyone's installation.
        String text = Files.readString(d.file());
        assertThat(text).as(d.name()).doesNotContain("localhost", "127.0.0.1", ":9400", ":9090");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelHasAQueryAndADescription(Dashboard d) throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/dashboards.md"));
        assertThat(docs).as("docs/dashboards.md names " + d.name()).contains(d.name());
        for (JsonNode p : d.panels()) {
            String title = p.path("title").asText();
            assertThat(title).as(d.name() + ": a panel with id " + p.path("id") + " has a title").isNotBlank();
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("targets").size()).as(d.name() + ": panel \"" + title + "\" queries").isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as(d.name() + ": panel \"" + title + "\" target " + t.path("refId"))
                        .isNotBlank();
                assertThat(refIds.add(t.path("refId").asText())).as(d.name() + ": panel \"" + title + "\" refIds unique")
                        .isTrue();
            }
            assertThat(p.path("description").asText()).as(d.name() + ": panel \"" + title + "\" description").isNotBlank();
            assertThat(docs).as("docs/dashboards.md describes panel \"" + title + "\" of " + d.name())
                    .contains("### " + title);
        }
    }

    @Test
    void theOverviewRepeatsARowPerChannelAndWorksOnBackfilledHistory() {
        Dashboard d = DashboardQueries.load(DashboardQueries.DASHBOARDS).stream()
                .filter(x -> x.name().equals("hotlines-overview.json")).findFirst().orElseThrow();
        JsonNode channel = d.json().path("templating").path("list").get(1);
        assertThat(channel.path("name").asText()).isEqualTo("channel");
        assertThat(channel.path("multi").asBoolean()).as("channel is multi-select").isTrue();
        assertThat(channel.path("includeAll").asBoolean()).as("channel has All").isTrue();
        assertThat(channel.path("query").asText()).isEqualTo("label_values(hotline_channel_state, channel)");
        assertThat(d.panels()).as("a row repeated for each channel")
                .anyMatch(p -> p.path("type").asText().equals("row") && p.path("repeat").asText().equals("channel"));
        // Backfilled series carry no job or instance label and no recording rule ran over them.
        for (Query q : DashboardQueries.raw(d)) {
            assertThat(q.expr()).as(q + " must not filter on job or instance").doesNotContain("job=", "instance=");
            assertThat(q.expr()).as(q + " must not need a recording rule").doesNotContain("channel:");
        }
        assertThat(DashboardQueries.raw(d)).as("availability from the raw per-channel slot counter")
                .filteredOn(q -> q.source().startsWith("panel \"Availability\""))
                .hasSize(5)
                .allMatch(q -> q.expr().contains("increase(hotline_channel_slots_total{"));
        JsonNode annotations = d.json().path("annotations").path("list");
        assertThat(annotations.toString()).as("alerts as annotations from the metric and from Grafana's API")
                .contains("hotline_alerts_total").contains("\"tags\":[\"hotline\"]");
    }

    @Test
    void substitutionNamesAVariableWithoutAValue() {
        assertThatThrownBy(() -> DashboardQueries.substitute("x.json: panel \"P\" A",
                "rate(hotline_events_total{job=~\"$job\"}[$__rate_interval])", Map.of("__rate_interval", "1m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.json: panel \"P\" A").hasMessageContaining("$job");
        assertThat(DashboardQueries.substitute("w", "a{c=~\"${channel}\"}[$__range] [[job]]",
                Map.of("channel", "x|y", "__range", "1d", "job", "j"))).isEqualTo("a{c=~\"x|y\"}[1d] j");
        // $__interval is at least the panel's min interval, as Grafana makes it.
        List<Query> queries = DashboardQueries.substituted(DashboardQueries.DASHBOARDS,
                Map.of("channel", "c1", "job", ".+", "instance", ".+", "__interval", "15s"));
        assertThat(queries).filteredOn(q -> q.source().startsWith("panel \"Slots answered / missed\""))
                .singleElement().satisfies(q -> assertThat(q.expr()).contains("{channel=~\"c1\"}[60s]"));
        assertThat(DashboardQueries.substituted(DashboardQueries.DASHBOARDS,
                Map.of("channel", "c1", "job", ".+", "instance", ".+", "__interval", "2h")))
                .filteredOn(q -> q.source().startsWith("panel \"Slots answered / missed\""))
                .singleElement().satisfies(q -> assertThat(q.expr()).contains("{channel=~\"c1\"}[2h]"));
    }

    @Test
    void theDatasourceProvisioningFileGivesTheUidTheDashboardsStartOn() throws IOException {
        Path file = PROVISIONING.resolve("datasources/prometheus.yml");
        JsonNode yaml = YAML.readTree(file.toFile());
        assertThat(yaml.path("apiVersion").asInt()).as(file + " apiVersion").isEqualTo(1);
        assertThat(yaml.path("datasources").size()).as(file + " datasources").isEqualTo(1);
        JsonNode ds = yaml.path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).as(file + ": url is the operator's, from Grafana's environment")
                .matches("\\$\\{[A-Z_]+}");
        for (Dashboard d : DashboardQueries.load(DashboardQueries.DASHBOARDS)) {
            assertThat(d.json().path("templating").path("list").get(0).path("current").path("value").asText())
                    .as(d.name() + ": the datasource variable starts on the provisioned uid").isEqualTo(ds.path("uid").asText());
        }
        String variable = ds.path("url").asText().replaceAll("[${}]", "");
        assertThat(Files.readString(ROOT.resolve("docs/dashboards.md"))).as("docs/dashboards.md documents " + variable)
                .contains(variable);
    }

    @Test
    void theDashboardProviderLoadsTheFolderTheDocsCopyTheDashboardsTo() throws IOException {
        Path file = PROVISIONING.resolve("dashboards/hotline.yml");
        JsonNode yaml = YAML.readTree(file.toFile());
        assertThat(yaml.path("apiVersion").asInt()).as(file + " apiVersion").isEqualTo(1);
        JsonNode provider = yaml.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        String path = provider.path("options").path("path").asText();
        assertThat(Path.of(path).isAbsolute()).as(file + ": options.path is absolute (Grafana's host), was " + path).isTrue();
        // The steps copy the repository's dashboards folder, which exists and holds the dashboards, to that path.
        String copy = "cp deploy/grafana/dashboards/*.json " + path + "/";
        assertThat(Files.readString(ROOT.resolve("README.md"))).as("README.md's Grafana steps").contains(copy);
        assertThat(Files.readString(ROOT.resolve("docs/dashboards.md"))).as("docs/dashboards.md").contains(copy);
        assertThat(DashboardQueries.load(DashboardQueries.DASHBOARDS)).hasSizeGreaterThanOrEqualTo(2);
        for (String copied : List.of("deploy/grafana/provisioning/datasources/prometheus.yml",
                "deploy/grafana/provisioning/dashboards/hotline.yml")) {
            assertThat(ROOT.resolve(copied)).as("the docs copy " + copied).isRegularFile();
            assertThat(Files.readString(ROOT.resolve("README.md"))).as("README.md copies " + copied).contains(copied);
        }
    }
}
