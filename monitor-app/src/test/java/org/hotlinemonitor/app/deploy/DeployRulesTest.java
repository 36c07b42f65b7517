package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped deploy/ files, checked by the programs that will load them and by what promtool cannot check:
 * {@code promtool check config}, {@code promtool check rules}, {@code amtool check-config}, {@code promtool test rules}
 * over deploy/prometheus/tests; every alerting rule has a test case where it fires and one where it does not, labels
 * and annotations an on-call person needs, and a runbook link to a section of docs/runbook.md; every recording rule is
 * tested; every alert name Alertmanager's routes name exists.
 *
 * <p>The programs are Debian's ({@code prometheus}, {@code prometheus-alertmanager}): skipped without them, failed
 * under {@code CI=true}.
 */
@org.junit.jupiter.api.Tag("integration")
class DeployRulesTest {

    static final Set<String> SEVERITIES = Set.of("page", "ticket", "info");

    @Test
    void promtoolAcceptsTheConfigAndTheRules() throws Exception {
        Path promtool = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        Result config = run(promtool.toString(), "check", "config", DeployFiles.prometheus().resolve("prometheus.yml").toString());
        assertThat(config.exit).as(config.out).isZero();
        assertThat(config.out).contains("2 rule files found");
        List<String> rules = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        DeployFiles.ruleFiles().forEach(p -> rules.add(p.toString()));
        Result checked = run(rules.toArray(String[]::new));
        assertThat(checked.exit).as(checked.out).isZero();
        assertThat(checked.out).doesNotContain("FAILED");
    }

    @Test
    void amtoolAcceptsTheAlertmanagerConfig() throws Exception {
        Path amtool = DebianBinary.require("hotline.amtool", "/usr/bin/amtool", "prometheus-alertmanager");
        Result r = run(amtool.toString(), "check-config", DeployFiles.alertmanager().toString());
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("SUCCESS");
    }

    @Test
    void promtoolRuleUnitTestsPass() throws Exception {
        Path promtool = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        List<Path> tests = DeployFiles.ruleTests();
        assertThat(tests).isNotEmpty();
        tests.forEach(p -> command.add(p.toString()));
        Result r = run(command.toArray(String[]::new));
        System.out.println("promtool test rules:\n" + r.out);
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).doesNotContain("FAILED");
    }

    @Test
    void everyAlertingRuleHasACaseWhereItFiresAndOneWhereItDoesNot() {
        List<String> alerts = alertNames();
        assertThat(alerts).contains("HotlineDown", "HotlineSlotMissed", "HotlineOurSideSilent", "MonitorNotReady",
                "MonitorEventsRejected", "MonitorConsumerLagHigh", "MonitorPagerDeadLetters", "MonitorDown");
        Map<String, Set<Boolean>> cases = alertCases();
        List<String> problems = problems(alerts, cases);
        assertThat(problems).as("alerting rules without a firing or a quiet test case in deploy/prometheus/tests").isEmpty();
    }

    @Test
    void theRulesReadTheMonitorsMetrics() {
        assertThat(metricsReadByRules()).contains("hotline_channel_state", "hotline_channel_slots_total", "hotline_ready",
                "hotline_our_side_state", "hotline_detector_watermark_lag_seconds", "hotline_rejected_records_total",
                "hotline_notify_deliveries_total", "hotline_placer_calls_total", "kafka_consumer_fetch_manager_records_lag_max",
                "up").allSatisfy(n -> assertThat(n).doesNotContain(":"));
    }

    @Test
    void theCoverageCheckFailsForARuleWithoutBothCases() {
        // the check above, on a rule set where it must complain: one rule never fires in a test, one is not tested
        Map<String, Set<Boolean>> cases = Map.of("A", Set.of(true, false), "B", Set.of(false));
        assertThat(problems(List.of("A", "B", "C"), cases)).containsExactly(
                "B: no test case where it fires", "C: no test case where it fires", "C: no test case where it does not fire");
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndARunbookSection() throws Exception {
        Set<String> anchors = runbookAnchors();
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : rules()) {
            if (!rule.has("alert")) {
                continue;
            }
            String name = rule.get("alert").asText();
            assertThat(name).as("CamelCase").matches("[A-Z][A-Za-z]+");
            String severity = rule.path("labels").path("severity").asText("");
            if (!SEVERITIES.contains(severity)) {
                problems.add(name + ": severity '" + severity + "' is not one of " + SEVERITIES);
            }
            for (String a : List.of("summary", "description", "runbook_url")) {
                if (rule.path("annotations").path(a).asText("").isBlank()) {
                    problems.add(name + ": no annotation " + a);
                }
            }
            String url = rule.path("annotations").path("runbook_url").asText("");
            String anchor = url.contains("#") ? url.substring(url.indexOf('#') + 1) : "";
            if (!url.contains("runbook.md#") || !anchors.contains(anchor)) {
                problems.add(name + ": runbook_url " + url + " is not a section of docs/runbook.md (sections: " + anchors + ")");
            }
            if (!anchor.equals(name.toLowerCase(Locale.ROOT))) {
                problems.add(name + ": runbook_url's anchor should be its own section, #" + name.toLowerCase(Locale.ROOT));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRecordingRuleIsTested() {
        Set<String> tested = new HashSet<>();
        for (Path file : DeployFiles.ruleTests()) {
            for (JsonNode test : DeployFiles.read(file).path("tests")) {
                for (JsonNode e : test.path("promql_expr_test")) {
                    if (!e.path("exp_samples").isEmpty()) {
                        tested.add(e.path("expr").asText());
                    }
                }
            }
        }
        List<String> records = rules().stream().filter(r -> r.has("record")).map(r -> r.get("record").asText()).toList();
        assertThat(records).contains("channel:hotline_availability:ratio_1d", "channel:hotline_availability:ratio_7d",
                "channel:hotline_availability:ratio_30d", "channel:hotline_availability:ratio_90d",
                "channel:hotline_channel_state:max");
        assertThat(records).allSatisfy(r -> assertThat(tested).as("a promql_expr_test with samples for " + r).contains(r));
    }

    @Test
    void alertmanagerNamesOnlyAlertsThatExistAndRoutesEverySeverity() throws Exception {
        String am = Files.readString(DeployFiles.alertmanager(), StandardCharsets.UTF_8);
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("alertname=~?\"([^\"]+)\"").matcher(am);
        while (m.find()) {
            named.add(m.group(1));
        }
        List<String> alerts = alertNames();
        assertThat(named).isNotEmpty().allSatisfy(n -> assertThat(alerts)
                .as("an alert matching " + n).anyMatch(a -> a.matches(n)));
        for (String severity : SEVERITIES) {
            assertThat(am).as("a route for severity " + severity).contains("severity=\"" + severity + "\"");
        }
        JsonNode inhibit = DeployFiles.read(DeployFiles.alertmanager()).path("inhibit_rules");
        assertThat(inhibit).as("HotlineDown inhibits HotlineSlotMissed of the same channel").anySatisfy(r -> {
            assertThat(r.path("source_matchers").toString()).contains("alertname=\\\"HotlineDown\\\"");
            assertThat(r.path("target_matchers").toString()).contains("alertname=\\\"HotlineSlotMissed\\\"");
            assertThat(r.path("equal").toString()).contains("\"channel\"");
        });
        assertThat(inhibit).as("MonitorDown inhibits the channel alerts").anySatisfy(r -> {
            assertThat(r.path("source_matchers").toString()).contains("alertname=\\\"MonitorDown\\\"");
            assertThat(r.path("target_matchers").toString()).contains("Hotline.*");
        });
    }

    /** The names of the metrics the rules' expressions read (the monitor's, Kafka's, {@code up}), recording rules' left out. */
    static Set<String> metricsReadByRules() {
        Set<String> names = new TreeSet<>();
        Pattern name = Pattern.compile("(?<![\\w:])((?:hotline|kafka)_[a-z_]+|up)(?=\\s*[{\\[)])");
        for (JsonNode rule : rules()) {
            Matcher m = name.matcher(rule.path("expr").asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The problems of a rule set against its test cases (alert name to the outcomes tested: fires true, not false). */
    static List<String> problems(List<String> alerts, Map<String, Set<Boolean>> cases) {
        List<String> problems = new ArrayList<>();
        for (String a : alerts) {
            Set<Boolean> c = cases.getOrDefault(a, Set.of());
            if (!c.contains(true)) {
                problems.add(a + ": no test case where it fires");
            }
            if (!c.contains(false)) {
                problems.add(a + ": no test case where it does not fire");
            }
        }
        return problems;
    }

    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : DeployFiles.ruleFiles()) {
            for (JsonNode group : DeployFiles.read(file).path("groups")) {
                group.path("rules").forEach(rules::add);
            }
        }
        return rules;
    }

    static List<String> alertNames() {
        return rules().stream().filter(r -> r.has("alert")).map(r -> r.get("alert").asText()).toList();
    }

    /** For each alert name in the test files: whether a case expects it to fire (true) and/or expects none (false). */
    static Map<String, Set<Boolean>> alertCases() {
        Map<String, Set<Boolean>> cases = new LinkedHashMap<>();
        for (Path file : DeployFiles.ruleTests()) {
            for (JsonNode test : DeployFiles.read(file).path("tests")) {
                for (JsonNode t : test.path("alert_rule_test")) {
                    cases.computeIfAbsent(t.path("alertname").asText(), k -> new HashSet<>())
                            .add(!t.path("exp_alerts").isEmpty());
                }
            }
        }
        return cases;
    }

    /** The anchors of docs/runbook.md's headings, as GitHub makes them (lower case, spaces to dashes). */
    static Set<String> runbookAnchors() throws Exception {
        Set<String> anchors = new TreeSet<>();
        for (String line : Files.readAllLines(DeployFiles.root().resolve("docs/runbook.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    record Result(int exit, String out) {
    }

    static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
