package org.hotlinemonitor.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.event;
import static org.hotlinemonitor.app.detect.Harness.heartbeat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.hotlinemonitor.app.detect.Harness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --channel-metrics}: which channels have per-channel series, over a real detector run (the topology in a
 * TopologyTestDriver), scraped over HTTP from the real server; the counts by state are there in every mode.
 */
class ChannelMetricsModesTest {

    /** 09:00 and 16:00 in Seoul: 00:00Z and 07:00Z. East coast: both, down after 2 misses; ship: 09:00 only. */
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant SLOT1 = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant SLOT2 = Instant.parse("2023-04-07T07:00:00Z");
    static final Instant SLOT3 = Instant.parse("2023-04-08T00:00:00Z");
    static final Instant SLOT4 = Instant.parse("2023-04-08T07:00:00Z");

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Scrape scrape(MetricsServer server) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.metricsUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new Scrape(r.body());
    }

    private static void answer(Harness h, String channel, Instant slot) {
        h.sendAt(slot.plusSeconds(30), channel, event(channel, "ANSWERED", slot.plusSeconds(30), slot));
    }

    private static void miss(Harness h, String channel, Instant slot) {
        h.sendAt(slot.plusSeconds(1), channel, event(channel, "CALL_PLACED", slot.plusSeconds(1), slot));
        h.sendAt(slot.plusSeconds(59), channel, event(channel, "NO_ANSWER", slot.plusSeconds(59), slot));
    }

    private static void after(Harness h, Instant slot) {
        h.tick(slot.plus(Duration.ofHours(1)).plusSeconds(1));
    }

    /** The counts by state, as {@code up missed down unknown}. */
    private static String counts(Scrape s) {
        return s.value("hotline_channels", "state", "up").intValue() + " " + s.value("hotline_channels", "state", "missed").intValue()
                + " " + s.value("hotline_channels", "state", "down").intValue() + " "
                + s.value("hotline_channels", "state", "unknown").intValue();
    }

    /** The samples of the per-channel families. */
    private static java.util.List<String> perChannel(Scrape s) {
        return s.samples.keySet().stream().filter(k -> k.startsWith("hotline_channel_")).toList();
    }

    /** The channels that have a hotline_channel_state series. */
    private static java.util.Set<String> withSeries(Scrape s) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String channel : new String[] {"east-coast", "ship"}) {
            if (s.value("hotline_channel_state", "channel", channel, "state", "up") != null) {
                out.add(channel);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ChannelMetrics.class)
    void eachModeShowsItsChannelsAndEveryModeTheCounts(ChannelMetrics mode) throws Exception {
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry());
             Harness h = new Harness(Harness.TWO_CHANNELS, Duration.ofMillis(500), START, stateDir)) {
            MonitorMeters meters = metrics.bind(new MonitorMeters(h.clock()).detector(h.view, h.rejects).channelMetrics(mode));
            server.beforeScrape(meters::beforeScrape);
            h.sendAt(START, "scheduler", heartbeat(START));
            h.tick(START.plusSeconds(1));

            Scrape s = scrape(server);
            assertThat(counts(s)).as("nothing decided yet").isEqualTo("0 0 0 2");
            assertThat(withSeries(s)).as("unknown: no series but in all mode").isEqualTo(switch (mode) {
                case ALL -> java.util.Set.of("east-coast", "ship");
                case FAILING, NONE -> java.util.Set.of();
            });

            answer(h, "east-coast", SLOT1);
            answer(h, "ship", SLOT1);
            after(h, SLOT1);
            s = scrape(server);
            assertThat(counts(s)).isEqualTo("2 0 0 0");
            assertThat(withSeries(s)).isEqualTo(mode == ChannelMetrics.ALL ? java.util.Set.of("east-coast", "ship") : java.util.Set.of());
            if (mode != ChannelMetrics.ALL) {
                assertThat(perChannel(s)).as("no per-channel series at all").isEmpty();
            }

            miss(h, "east-coast", SLOT2);
            after(h, SLOT2);
            s = scrape(server);
            assertThat(counts(s)).isEqualTo("1 1 0 0");
            assertThat(withSeries(s)).isEqualTo(switch (mode) {
                case ALL -> java.util.Set.of("east-coast", "ship");
                case FAILING -> java.util.Set.of("east-coast");
                case NONE -> java.util.Set.of();
            });

            miss(h, "east-coast", SLOT3);
            answer(h, "ship", SLOT3);
            after(h, SLOT3);
            s = scrape(server);
            assertThat(counts(s)).isEqualTo("1 0 1 0");
            if (mode == ChannelMetrics.NONE) {
                assertThat(perChannel(s)).isEmpty();
            } else {
                assertThat(s.value("hotline_channel_state", "channel", "east-coast", "state", "down")).isEqualTo(1.0);
                assertThat(s.value("hotline_channel_consecutive_missed_slots", "channel", "east-coast")).isEqualTo(2.0);
                assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "MISSED"))
                        .as("a counter over this instance's life, whenever its series appear").isEqualTo(2.0);
                assertThat(s.value("hotline_channel_slots_total", "channel", "east-coast", "verdict", "ANSWERED")).isEqualTo(1.0);
                assertThat(s.value("hotline_channel_outage_start_timestamp_seconds", "channel", "east-coast"))
                        .isEqualTo(SLOT2.toEpochMilli() / 1000.0);
                assertThat(s.value("hotline_channel_next_deadline_timestamp_seconds", "channel", "east-coast"))
                        .isEqualTo(SLOT4.plus(Duration.ofHours(1)).toEpochMilli() / 1000.0);
            }
            assertThat(s.value("hotline_slots_total", "verdict", "MISSED")).as("aggregates in every mode").isEqualTo(2.0);

            answer(h, "east-coast", SLOT4);
            after(h, SLOT4);
            s = scrape(server);
            assertThat(counts(s)).isEqualTo("2 0 0 0");
            assertThat(withSeries(s)).isEqualTo(mode == ChannelMetrics.ALL ? java.util.Set.of("east-coast", "ship") : java.util.Set.of());
            if (mode != ChannelMetrics.ALL) {
                assertThat(perChannel(s)).as("up again: its series are gone").isEmpty();
                assertThat(metrics.registry().find("hotline.channel.answer.latency").timers()).isEmpty();
            }
        }
    }
}
