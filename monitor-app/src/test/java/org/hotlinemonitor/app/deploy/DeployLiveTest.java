package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules and routes against the real programs ({@link LiveStack}): a running monitor scraped by
 * Prometheus, alerts through Alertmanager to a webhook.
 */
class DeployLiveTest {

    @TempDir
    Path dir;

    @Test
    void rulesFireInPrometheusAndReachTheWebhookThroughAlertmanager() throws Exception {
        try (LiveStack s = LiveStack.start(dir)) {
            assertThat(s.query("up{job=\"hotline-monitor\"}")).singleElement()
                    .satisfies(x -> assertThat(x.value()).isEqualTo(1.0));
            s.awaitScenarioOver();
            System.out.println(s.query("channel:hotline_availability:ratio_1d"));
            System.out.println(s.query("ALERTS"));
            System.out.println(s.notifications());
        }
    }
}
