package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.app.deploy.DashboardQueries.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the dashboards (panels, annotations, variables), with the dashboards' variables substituted, is
 * valid PromQL: a real, empty Prometheus (Debian package {@code prometheus}) answers {@code status: success} to it,
 * as an instant query and, for the panels Grafana draws over time, as a range query.
 *
 * <p>Skipped when Prometheus is missing, unless {@code CI=true}: then it fails (CI installs the package).
 */
@org.junit.jupiter.api.Tag("integration")
class DashboardPromqlTest {

    /** What Grafana puts in for the dashboards' own variables: two channels selected, every job and instance. */
    static final Map<String, String> VARIABLES = Map.of(
            "channel", "liaison-office|ship-to-ship", "job", ".+", "instance", ".+");

    @TempDir
    Path tmp;

    @Test
    void everyDashboardQueryIsValidPromql() throws Exception {
        Path binary = DebianBinary.require("hotline.prometheus", "/usr/bin/prometheus", "prometheus");
        List<Query> queries = DashboardQueries.substituted(DashboardQueries.DASHBOARDS, VARIABLES);
        assertThat(queries).as("queries of the dashboards").hasSizeGreaterThan(30);
        try (RealPrometheus prometheus = RealPrometheus.start(binary, tmp, """
                global:
                  scrape_interval: 15s
                scrape_configs: []
                """)) {
            // The check can fail: a broken query is refused.
            JsonNode broken = prometheus.query("sum by (channel) (rate(hotline_events_total[1m])", Instant.now());
            assertThat(broken.path("status").asText()).isEqualTo("error");
            assertThat(broken.path("errorType").asText()).isEqualTo("bad_data");

            Instant now = Instant.now();
            List<String> failures = new ArrayList<>();
            for (Query q : queries) {
                JsonNode instant = prometheus.query(q.expr(), now);
                if (!"success".equals(instant.path("status").asText())) {
                    failures.add(q + ": " + instant.path("error").asText() + "\n    " + q.expr());
                }
                if (!q.instant()) {
                    JsonNode range = prometheus.queryRange(q.expr(), now.minus(Duration.ofHours(6)), now,
                            Duration.ofSeconds(60));
                    if (!"success".equals(range.path("status").asText())) {
                        failures.add(q + " (range): " + range.path("error").asText() + "\n    " + q.expr());
                    }
                }
            }
            System.out.println("DashboardPromqlTest: " + queries.size() + " queries checked, "
                    + failures.size() + " refused");
            assertThat(failures).as("queries Prometheus refused").isEmpty();
        }
    }
}
