package org.hotlinemonitor.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.event;
import static org.hotlinemonitor.app.detect.Harness.heartbeat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.app.detect.Harness;
import org.hotlinemonitor.app.notify.DeliveryCounter;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's meters over a real detector run (the topology in a TopologyTestDriver): names as Prometheus shows
 * them, tags, values and units.
 */
@SuppressWarnings("deprecation")
class MonitorMetersTest {

    /** 09:00 and 16:00 in Seoul are 00:00Z and 07:00Z. */
    static final String CHANNELS = Harness.TWO_CHANNELS;
    static final Duration LATENESS = Duration.ofMillis(500);
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant SLOT1 = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant SLOT2 = Instant.parse("2023-04-07T07:00:00Z");
    static final Instant SLOT3 = Instant.parse("2023-04-08T00:00:00Z");

    @TempDir
    Path stateDir;



    static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** East coast misses two slots and is down since the first; the ship never gets a call; one late event. */
    static void goesDown(Harness h) {
        h.sendAt(START, "scheduler", heartbeat(START));
        h.tick(START.plusSeconds(1));
        h.sendAt(SLOT1.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", SLOT1.plusSeconds(1), SLOT1));
        h.sendAt(SLOT1.plusMillis(59_100), "east-coast", event("east-coast", "NO_ANSWER", SLOT1.plusSeconds(59), SLOT1));
        h.tick(SLOT1.plus(Duration.ofHours(1)).plusSeconds(1));
        h.sendAt(SLOT2.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", SLOT2.plusSeconds(1), null));
        h.sendAt(SLOT2.plusMillis(30_100), "east-coast", event("east-coast", "LINE_FAULT", SLOT2.plusSeconds(30), null));
        // for the first slot, decided an hour before it arrives: late
        h.sendAt(SLOT2.plusSeconds(120), "east-coast", event("east-coast", "NO_ANSWER", SLOT1.plusSeconds(60), SLOT1));
        h.tick(SLOT2.plus(Duration.ofHours(1)).plusSeconds(1));
    }

    @Test
    void channelStatesCountsAndLagFromADetectorRun() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMeters meters;
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            meters = new MonitorMeters(h.clock()).detector(h.view, h.rejects);
            meters.bindTo(registry);
            goesDown(h);
            assertThat(h.alerts()).hasSize(4); // SLOT_MISSED x2, CALL_NOT_PLACED, CHANNEL_DOWN

            Scrape s = scrape(registry, meters);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "down")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "up")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "missed")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "unknown")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_state", "channel", "ship", "state", "unknown")).as("never placed: not judged")
                    .isEqualTo(1.0);
            assertThat(s.value("hotline_channel_consecutive_missed_slots", "channel", "east-coast")).isEqualTo(2.0);
            assertThat(s.value("hotline_channel_outage_start_timestamp_seconds", "channel", "east-coast"))
                    .isEqualTo(seconds(SLOT1));
            assertThat(s.value("hotline_channels", "state", "down")).isEqualTo(1.0);
            assertThat(s.value("hotline_channels", "state", "unknown")).isEqualTo(1.0);
            assertThat(s.value("hotline_channels", "state", "up")).isEqualTo(0.0);
            assertThat(s.value("hotline_channels", "state", "missed")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_outage_start_timestamp_seconds", "channel", "ship")).isNaN();
            assertThat(s.value("hotline_channel_last_answer_timestamp_seconds", "channel", "east-coast")).isNaN();
            assertThat(s.value("hotline_channel_next_deadline_timestamp_seconds", "channel", "east-coast"))
                    .isEqualTo(seconds(SLOT3.plus(Duration.ofHours(1))));

            assertThat(s.value("hotline_slots_total", "verdict", "MISSED")).isEqualTo(2.0);
            assertThat(s.value("hotline_slots_total", "verdict", "NOT_PLACED")).isEqualTo(1.0);
            assertThat(s.value("hotline_slots_total", "verdict", "ANSWERED")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "MISSED")).isEqualTo(2.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "ANSWERED")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "NOT_PLACED")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "ship", "verdict", "NOT_PLACED")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "ship", "verdict", "MISSED")).isEqualTo(0.0);
            assertThat(s.value("hotline_alerts_total", "type", "SLOT_MISSED")).isEqualTo(2.0);
            assertThat(s.value("hotline_alerts_total", "type", "CHANNEL_DOWN")).isEqualTo(1.0);
            assertThat(s.value("hotline_alerts_total", "type", "CALL_NOT_PLACED")).isEqualTo(1.0);
            // Sent at the tick 1 s after the deadline, whose watermark is the tick minus the lateness (0.5 s): each
            // alert is sent between 0.5 s and 1 s after its instant, by the detector's clock.
            Timer missedDelay = registry.get("hotline.alert.delay").tag("type", "SLOT_MISSED").timer();
            assertThat(missedDelay.count()).isEqualTo(2);
            assertThat(missedDelay.max(TimeUnit.MILLISECONDS)).isBetween(500.0, 1000.0);
            assertThat(s.value("hotline_alert_delay_seconds_bucket", "type", "SLOT_MISSED", "le", "1.0")).isEqualTo(2.0);
            assertThat(s.value("hotline_alert_delay_seconds_bucket", "type", "SLOT_MISSED", "le", "0.25")).isEqualTo(0.0);
            assertThat(s.value("hotline_alert_delay_seconds_count", "type", "CHANNEL_RESTORED")).isEqualTo(0.0);
            assertThat(s.value("hotline_alerts_total", "type", "CHANNEL_RESTORED")).isEqualTo(0.0);
            assertThat(s.value("hotline_events_total", "kind", "CALL_PLACED")).isEqualTo(2.0);
            assertThat(s.value("hotline_events_total", "kind", "NO_ANSWER")).isEqualTo(1.0);
            assertThat(s.value("hotline_events_total", "kind", "LINE_FAULT")).isEqualTo(1.0);
            assertThat(s.value("hotline_events_total", "kind", "HEARTBEAT")).isEqualTo(1.0);
            assertThat(s.value("hotline_rejected_records_total", "stage", "detector", "reason", "late")).isEqualTo(1.0);
            assertThat(s.value("hotline_rejected_records_total", "stage", "detector", "reason", "malformed")).isEqualTo(0.0);
            assertThat(s.value("hotline_late_events_total")).isEqualTo(1.0);
            assertThat(s.value("hotline_detector_watermark_lag_seconds", "partition", "0"))
                    .as("the clock minus the watermark: the allowed lateness").isEqualTo(0.5);

            // units and descriptions, as the registry holds them
            assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("hotline."))
                    .allSatisfy(m -> {
                        assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
                        assertThat(m.getId().getBaseUnit()).as(m.getId().getName()).isNotBlank();
                    });
            assertThat(registry.get("hotline.channel.last.answer.timestamp").meter().getId().getBaseUnit()).isEqualTo("seconds");
            assertThat(registry.get("hotline.slots").functionCounter().getId().getBaseUnit()).isEqualTo("slots");
            assertThat(s.text).contains("# TYPE hotline_slot_answer_latency_seconds histogram")
                    .contains("# HELP hotline_channel_state The channel's state");

            // The ship answers its next slot 30 s in; the east coast answers and is restored.
            h.sendAt(SLOT3.plusSeconds(30), "ship", event("ship", "ANSWERED", SLOT3.plusSeconds(30), SLOT3));
            h.sendAt(SLOT3.plusSeconds(40), "east-coast", event("east-coast", "ANSWERED", SLOT3.plusSeconds(40), SLOT3));
            h.tick(SLOT3.plus(Duration.ofHours(1)).plusSeconds(1));
            s = scrape(registry, meters);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "up")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "down")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_outage_start_timestamp_seconds", "channel", "east-coast")).isNaN();
            assertThat(s.value("hotline_channel_consecutive_missed_slots", "channel", "east-coast")).isEqualTo(0.0);
            assertThat(s.value("hotline_channel_last_answer_timestamp_seconds", "channel", "east-coast"))
                    .isEqualTo(seconds(SLOT3.plusSeconds(40)));
            assertThat(s.value("hotline_alerts_total", "type", "CHANNEL_RESTORED")).isEqualTo(1.0);
            assertThat(s.value("hotline_slots_total", "verdict", "ANSWERED")).isEqualTo(2.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "ANSWERED")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_slots_total", "channel", "ship", "verdict", "ANSWERED")).isEqualTo(1.0);
            Timer latency = registry.get("hotline.slot.answer.latency").timer();
            assertThat(latency.count()).isEqualTo(2);
            assertThat(latency.totalTime(TimeUnit.SECONDS)).isEqualTo(70.0);
            assertThat(s.value("hotline_slot_answer_latency_seconds_bucket", "le", "30.0")).isEqualTo(1.0);
            assertThat(s.value("hotline_slot_answer_latency_seconds_bucket", "le", "60.0")).isEqualTo(2.0);
            // The same per channel: the ship's slot answered in 30 s, the east coast's in 40 s.
            assertThat(s.text).contains("# TYPE hotline_channel_answer_latency_seconds histogram");
            assertThat(registry.get("hotline.channel.answer.latency").tag("channel", "ship").timer()
                    .totalTime(TimeUnit.SECONDS)).isEqualTo(30.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_count", "channel", "ship")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_count", "channel", "east-coast")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_sum", "channel", "east-coast")).isEqualTo(40.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_bucket", "channel", "ship", "le", "30.0")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_bucket", "channel", "east-coast", "le", "30.0"))
                    .isEqualTo(0.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_bucket", "channel", "east-coast", "le", "60.0"))
                    .isEqualTo(1.0);
            assertThat(s.value("hotline_channel_answer_latency_seconds_bucket", "channel", "east-coast", "le", "+Inf"))
                    .isEqualTo(1.0);
        }
        // The task closed: its channels and partition left this instance, and their series left /metrics.
        Scrape s = scrape(registry, meters);
        assertThat(s.text).doesNotContain("hotline_channel_state{").doesNotContain("hotline_detector_watermark_lag_seconds{")
                .doesNotContain("channel=\"east-coast\"");
        assertThat(s.value("hotline_alerts_total", "type", "CHANNEL_DOWN")).as("counters stay").isEqualTo(1.0);
    }

    @Test
    void channelsJoiningAndLeavingGetAndLoseTheirMetersOneByOneWithoutRescanningTheView() {
        org.hotlinemonitor.core.detect.ChannelState state = org.hotlinemonitor.core.detect.ChannelState.initial(
                START.toEpochMilli(), START.toEpochMilli());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        org.hotlinemonitor.app.detect.DetectorView view = new org.hotlinemonitor.app.detect.DetectorView();
        MonitorMeters meters = new MonitorMeters(java.time.Clock.systemUTC()).detector(view, new RejectCounter());
        meters.bindTo(registry);
        int n = 5000;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("c" + i);
            org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, i % 6, "c" + i, state);
        }
        // The joins only noted the channels (a stream thread in a commit must not register meters: issue 21).
        assertThat(registry.find("hotline.channel.state").gauges()).isEmpty();
        meters.sync();
        // each join registered that channel's meters only: the view was scanned once, at binding (issue: a scan per
        // join made n joins cost n^2), and the work is linear: each channel given its meters once
        assertThat(meters.refreshes()).isEqualTo(1);
        assertThat(meters.registrations()).isEqualTo(n);
        meters.sync();
        assertThat(meters.registrations()).as("a second sync with nothing new does nothing").isEqualTo(n);
        assertThat(registry.find("hotline.channel.state").gauges()).hasSize(4 * n);
        assertThat(registry.find("hotline.channel.slots").functionCounters()).hasSize(3 * n);
        org.hotlinemonitor.app.detect.DetectorViewFixture.leave(view, ids.subList(0, n / 2));
        meters.sync();
        assertThat(meters.refreshes()).isEqualTo(1);
        assertThat(meters.registrations()).isEqualTo(n);
        assertThat(meters.channelsWithMeters()).isEqualTo(n - n / 2);
        assertThat(registry.find("hotline.channel.state").gauges()).hasSize(4 * (n - n / 2));
        assertThat(registry.find("hotline.channel.state").tag("channel", "c0").gauges()).isEmpty();
    }

    static org.hotlinemonitor.core.detect.ChannelState inState(org.hotlinemonitor.core.detect.ChannelStatus status) {
        long t = START.toEpochMilli();
        return new org.hotlinemonitor.core.detect.ChannelState(t, t, status, 0, org.hotlinemonitor.core.model.Millis.NONE,
                org.hotlinemonitor.core.model.Millis.NONE, org.hotlinemonitor.core.model.Millis.NONE, 0,
                org.hotlinemonitor.core.model.Millis.NONE, List.of());
    }

    /**
     * The registry writes a scrape family by family: a commit between the channel's state and its outage start showed,
     * once per outage, a channel down with no outage start. Within one scrape (between two before-scrape calls) every
     * gauge of a channel reads the same state; the next scrape reads the new one.
     */
    @Test
    void everyGaugeOfAChannelReadsOneStatePerScrape() {
        org.hotlinemonitor.app.detect.DetectorView view = new org.hotlinemonitor.app.detect.DetectorView();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMeters meters = new MonitorMeters(java.time.Clock.systemUTC()).detector(view, new RejectCounter());
        meters.bindTo(registry);
        long t = START.toEpochMilli();
        long since = t - 3_600_000;
        org.hotlinemonitor.core.detect.ChannelState down = new org.hotlinemonitor.core.detect.ChannelState(t, t,
                org.hotlinemonitor.core.detect.ChannelStatus.DOWN, 2, since, org.hotlinemonitor.core.model.Millis.NONE,
                org.hotlinemonitor.core.model.Millis.NONE, 0, org.hotlinemonitor.core.model.Millis.NONE, List.of());
        org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, 0, "c", down);
        meters.beforeScrape(); // a scrape begins
        assertThat(registry.find("hotline.channel.state").tag("state", "down").gauge().value()).isEqualTo(1.0);
        // a commit restores the channel while the scrape writes the next families
        org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, 0, "c", inState(org.hotlinemonitor.core.detect.ChannelStatus.UP));
        assertThat(registry.find("hotline.channel.outage.start.timestamp").gauge().value())
                .as("the same scrape: the outage of the state it showed").isEqualTo(since / 1000.0);
        assertThat(registry.find("hotline.channel.consecutive.missed").gauge().value()).isEqualTo(2.0);
        meters.beforeScrape(); // the next scrape
        assertThat(registry.find("hotline.channel.state").tag("state", "down").gauge().value()).isEqualTo(0.0);
        assertThat(registry.find("hotline.channel.state").tag("state", "up").gauge().value()).isEqualTo(1.0);
        assertThat(registry.find("hotline.channel.outage.start.timestamp").gauge().value()).isNaN();
    }

    /**
     * {@code failing}: n channels joining cost nothing; each scrape looks at each channel once and registers the meters of
     * the ones missed or down, once; the counts by state are kept as channels join and change, without a scan.
     */
    @Test
    void failingScrapesCostOneLookAtEachChannelAndOneRegistrationPerChannelThatLeftUp() {
        org.hotlinemonitor.app.detect.DetectorView view = new org.hotlinemonitor.app.detect.DetectorView();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMeters meters = new MonitorMeters(java.time.Clock.systemUTC()).detector(view, new RejectCounter())
                .channelMetrics(ChannelMetrics.FAILING);
        meters.bindTo(registry);
        int n = 6000;
        org.hotlinemonitor.core.detect.ChannelStatus[] statuses = org.hotlinemonitor.core.detect.ChannelStatus.values();
        for (int i = 0; i < n; i++) { // a quarter in each state
            org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, i % 6, "c" + i, inState(statuses[i % 4]));
        }
        assertThat(meters.registrations()).as("joining registers nothing in failing mode").isZero();
        assertThat(meters.swept()).isZero();
        meters.beforeScrape();
        assertThat(meters.swept()).as("one look at each channel").isEqualTo(n);
        assertThat(meters.registrations()).as("the half missed or down").isEqualTo(n / 2);
        Scrape s = new Scrape(registry.scrape());
        assertThat(registry.find("hotline.channel.state").gauges()).hasSize(4 * n / 2);
        for (org.hotlinemonitor.core.detect.ChannelStatus status : statuses) {
            assertThat(s.value("hotline_channels", "state", status.name().toLowerCase(java.util.Locale.ROOT)))
                    .isEqualTo(n / 4.0);
        }
        meters.beforeScrape();
        assertThat(meters.swept()).isEqualTo(2L * n);
        assertThat(meters.registrations()).as("nothing changed: nothing registered again").isEqualTo(n / 2);

        // every channel up: all their meters go; then one goes down: its meters, and only its
        for (int i = 0; i < n; i++) {
            org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, i % 6, "c" + i, inState(statuses[1]));
        }
        assertThat(statuses[1]).isEqualTo(org.hotlinemonitor.core.detect.ChannelStatus.UP);
        meters.beforeScrape();
        assertThat(meters.channelsWithMeters()).isZero();
        assertThat(registry.find("hotline.channel.state").gauges()).isEmpty();
        assertThat(new Scrape(registry.scrape()).value("hotline_channels", "state", "up")).isEqualTo((double) n);
        org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, 7 % 6, "c7",
                inState(org.hotlinemonitor.core.detect.ChannelStatus.DOWN));
        meters.beforeScrape();
        assertThat(meters.registrations()).isEqualTo(n / 2 + 1);
        assertThat(registry.find("hotline.channel.state").tag("channel", "c7").tag("state", "down").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.refreshes()).as("the view was scanned by the scrapes only, and once at binding").isEqualTo(1);
    }

    @Test
    void noneRegistersNoChannelMeterAndKeepsTheCounts() {
        org.hotlinemonitor.app.detect.DetectorView view = new org.hotlinemonitor.app.detect.DetectorView();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMeters meters = new MonitorMeters(java.time.Clock.systemUTC()).detector(view, new RejectCounter())
                .channelMetrics(ChannelMetrics.NONE);
        meters.bindTo(registry);
        for (int i = 0; i < 1000; i++) {
            org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, i % 6, "c" + i,
                    inState(i < 10 ? org.hotlinemonitor.core.detect.ChannelStatus.DOWN : org.hotlinemonitor.core.detect.ChannelStatus.UP));
        }
        meters.beforeScrape();
        Scrape s = new Scrape(registry.scrape());
        assertThat(meters.registrations()).isZero();
        assertThat(meters.swept()).as("no scan of the view in this mode").isZero();
        assertThat(s.samples.keySet()).noneMatch(k -> k.startsWith("hotline_channel_"));
        assertThat(s.value("hotline_channels", "state", "down")).isEqualTo(10.0);
        assertThat(s.value("hotline_channels", "state", "up")).isEqualTo(990.0);
        org.hotlinemonitor.app.detect.DetectorViewFixture.leave(view, List.of("c0", "c11"));
        s = new Scrape(registry.scrape());
        assertThat(s.value("hotline_channels", "state", "down")).as("a channel that left is no longer counted").isEqualTo(9.0);
        assertThat(s.value("hotline_channels", "state", "up")).isEqualTo(989.0);
    }

    @Test
    void placerCallsPerChannelAndResultFromTheStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        java.util.Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
        new MonitorMeters(java.time.Clock.systemUTC()).placer(List.of("east-coast", "ship"),
                (channel, failed) -> counts.getOrDefault(channel + failed, 0L)).bindTo(registry);
        Scrape s = new Scrape(registry.scrape());
        assertThat(s.value("hotline_placer_calls_total", "channel", "ship", "result", "placed")).isEqualTo(0.0);
        assertThat(s.value("hotline_placer_calls_total", "channel", "ship", "result", "failed")).isEqualTo(0.0);
        counts.put("east-coastfalse", 3L);
        counts.put("east-coasttrue", 1L);
        s = new Scrape(registry.scrape());
        assertThat(s.value("hotline_placer_calls_total", "channel", "east-coast", "result", "placed")).isEqualTo(3.0);
        assertThat(s.value("hotline_placer_calls_total", "channel", "east-coast", "result", "failed")).isEqualTo(1.0);
        assertThat(s.text).contains("# TYPE hotline_placer_calls_total counter");
    }

    @Test
    void readyIsOneWhileTheSupplierSaysSo() {
        try (Metrics metrics = new Metrics()) {
            java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
            assertThat(metrics.registry().scrape()).doesNotContain("hotline_ready");
            metrics.ready(ready::get);
            assertThat(new Scrape(metrics.registry().scrape()).value("hotline_ready")).isEqualTo(0.0);
            ready.set(true);
            assertThat(new Scrape(metrics.registry().scrape()).value("hotline_ready")).isEqualTo(1.0);
            metrics.ready(() -> {
                throw new IllegalStateException("probe failed");
            });
            assertThat(new Scrape(metrics.registry().scrape()).value("hotline_ready")).as("a failing probe: not ready")
                    .isEqualTo(0.0);
        }
    }

    @Test
    void whileOurSideIsSilentTheChannelsAreUnknownAndTheSilenceIsAGauge() {
        String yaml = "silentAfter: PT10M\n" + CHANNELS;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Harness h = new Harness(yaml, LATENESS, START, stateDir)) {
            MonitorMeters meters = new MonitorMeters(h.clock()).detector(h.view, h.rejects);
            meters.bindTo(registry);
            goesDown(h); // one heartbeat, at START: silent from START + 10 min
            Scrape s = scrape(registry, meters);
            assertThat(s.value("hotline_our_side_state", "state", "silent")).isEqualTo(1.0);
            assertThat(s.value("hotline_our_side_state", "state", "heard")).isEqualTo(0.0);
            assertThat(s.value("hotline_last_heartbeat_timestamp_seconds")).isEqualTo(seconds(START));
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "unknown")).isEqualTo(1.0);
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "down"))
                    .as("down by the detector's rules, but our side cannot tell now").isEqualTo(0.0);
            assertThat(s.value("hotline_channels", "state", "unknown")).as("the counts show the same").isEqualTo(2.0);
            assertThat(s.value("hotline_channels", "state", "down")).isEqualTo(0.0);
            assertThat(s.value("hotline_alerts_total", "type", "OUR_SIDE_SILENT")).isEqualTo(1.0);
            assertThat(s.value("hotline_alerts_total", "type", "CALL_NOT_PLACED")).as("the ship's slots are covered").isEqualTo(0.0);
            assertThat(s.value("hotline_alerts_total", "type", "CHANNEL_DOWN")).as("calls placed by hand still count").isEqualTo(1.0);
            assertThat(s.value("hotline_slots_total", "verdict", "NOT_PLACED")).isEqualTo(1.0);

            Instant back = SLOT3.minus(Duration.ofMinutes(5));
            h.sendAt(back, "scheduler", heartbeat(back));
            h.tick(back.plusSeconds(1));
            s = scrape(registry, meters);
            assertThat(s.value("hotline_our_side_state", "state", "silent")).isEqualTo(0.0);
            assertThat(s.value("hotline_our_side_state", "state", "heard")).isEqualTo(1.0);
            assertThat(s.value("hotline_last_heartbeat_timestamp_seconds")).isEqualTo(seconds(back));
            assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "down")).isEqualTo(1.0);
            assertThat(s.value("hotline_channels", "state", "down")).isEqualTo(1.0);
            assertThat(s.value("hotline_alerts_total", "type", "OUR_SIDE_RESUMED")).isEqualTo(1.0);
        }
    }

    @Test
    void notifierMetersBySinkAndResultAndTheLatencyTimer() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DeliveryCounter deliveries = new DeliveryCounter();
        new MonitorMeters(java.time.Clock.systemUTC()).notifier(deliveries, new RejectCounter(), List.of("am", "hook"))
                .bindTo(registry);
        Scrape s = new Scrape(registry.scrape());
        for (String sink : List.of("am", "hook")) {
            for (String result : List.of("delivered", "retried", "rejected")) {
                assertThat(s.value("hotline_notify_deliveries_total", "sink", sink, "result", result)).isEqualTo(0.0);
            }
            assertThat(s.value("hotline_notify_delivery_latency_seconds_count", "sink", sink)).isEqualTo(0.0);
        }
        assertThat(s.value("hotline_rejected_records_total", "stage", "notifier", "reason", "sink-rejected")).isEqualTo(0.0);
        assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id -> assertThat(id.getBaseUnit()).isNotBlank());
    }

    /** Applies the channels that joined or left (as the server does before each scrape), then scrapes. */
    static Scrape scrape(PrometheusMeterRegistry registry, MonitorMeters meters) {
        meters.sync();
        return new Scrape(registry.scrape());
    }

}
