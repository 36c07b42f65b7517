package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of docs/kafka.md: a recorded events topic replayed offline gives the same alerts, with the same
 * ids and bytes, as the live run produced, as long as no event was late. A generated log (answers, misses,
 * faults, outages of one slot to weeks, calls never placed, heartbeats, up to 20 s of disorder) goes through
 * the topology with the clock running ahead of the events, then through replay.
 */
class LiveMatchesReplayTest {

    static final Duration LATENESS = Duration.ofMinutes(1);
    /** The clock runs this far ahead of the newest event: it, not event time, drives the watermark. */
    static final Duration CLOCK_AHEAD = Duration.ofSeconds(30);

    private static final String[] SOURCES = {"scheduler", "scheduler", "scheduler", "op-kim", "op-lee", null};

    @TempDir
    Path stateDir;

    @Test
    void theLiveAlertsAreTheReplayAlerts() throws IOException, EventFormatException {
        SyntheticLog log = new SyntheticLog(200, 7, 2, LocalDate.of(2023, 4, 3));
        MonitorConfig config = log.config();
        StringWriter out = new StringWriter();
        log.write(out);
        List<String> lines = out.toString().lines().toList();
        EventDecoder parser = new JsonEventParser();
        List<CallEvent> events = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        java.util.Random random = new java.util.Random(12);
        for (String line : lines) {
            CallEvent e = decode(parser, line);
            // One heartbeat in ten is plenty (they only move time) and keeps the test quick.
            if (e.kind() != EventKind.HEARTBEAT || e.ts().toEpochMilli() % 600_000 == 0) {
                if (e.kind() != EventKind.HEARTBEAT) {
                    // Sources as a site has them: mostly the scheduler, some operators, some old events without one.
                    String source = SOURCES[random.nextInt(SOURCES.length)];
                    e = new CallEvent(e.channel(), e.kind(), e.ts(), e.slot(), e.id(), source, e.note());
                    line = org.hotlinemonitor.core.codec.EventWriter.toJson(e);
                }
                events.add(e);
                kept.add(line);
            }
        }
        lines = kept;
        // The log starts with a heartbeat at midnight: replay and live both start every channel then.
        assertThat(events.get(0).kind()).isEqualTo(EventKind.HEARTBEAT);
        Instant first = events.get(0).ts();
        Instant newest = events.stream().map(CallEvent::ts).max(Instant::compareTo).orElseThrow();
        Instant end = newest.plus(Duration.ofHours(3)); // past the log: quiet channels are decided by the clock alone

        List<String> live = new ArrayList<>();
        try (Harness h = new Harness(config, LATENESS, DetectorTopology.Options.defaults(1), first.plus(CLOCK_AHEAD), stateDir)) {
            Instant seen = first;
            for (int i = 0; i < lines.size(); i++) {
                CallEvent e = events.get(i);
                seen = e.ts().isAfter(seen) ? e.ts() : seen;
                h.clock.set(seen.plus(CLOCK_AHEAD));
                h.send(e.channel() == null ? "scheduler" : e.channel(), lines.get(i));
                if (i % 50 == 0) {
                    h.tick(h.clock.instant()); // and the punctuator, between records
                }
            }
            // Quiet hours after the log: only the wall clock moves time, in ticks of ten minutes.
            for (Instant t = seen.plus(CLOCK_AHEAD); !t.isAfter(end.plus(LATENESS)); t = t.plus(Duration.ofMinutes(10))) {
                h.tick(t);
            }
            h.tick(end.plus(LATENESS));
            live.addAll(h.alerts());
            assertThat(h.rejects.total()).as("no event was late, nothing refused").isZero();
        }

        List<String> replayed = ExpectedAlerts.replay(config, LATENESS, events, end);

        assertThat(replayed).as("the log raises every kind of alert").hasSizeGreaterThan(50)
                .anyMatch(a -> a.contains("CHANNEL_DOWN")).anyMatch(a -> a.contains("CHANNEL_RESTORED"))
                .anyMatch(a -> a.contains("CALL_NOT_PLACED")).anyMatch(a -> a.contains("SLOT_MISSED"))
                .anyMatch(a -> a.contains("\"sources\":[\"op-kim\",\"op-lee\",\"scheduler\"]"))
                .anyMatch(a -> a.contains("\"type\":\"CHANNEL_RESTORED\"") && a.contains("\"sources\":[\"op-"));
        assertThat(live).as("same alerts, same ids, same bytes, each once").containsExactlyInAnyOrderElementsOf(replayed);
        assertThat(live).as("live alerts leave in time order").isSortedAccordingTo(
                (a, b) -> AlertCodec.fromJson(a).at().compareTo(AlertCodec.fromJson(b).at()));
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
