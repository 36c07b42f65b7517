package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.alert.Severity;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;
import org.junit.jupiter.api.Test;

/**
 * A sink's delivery pipeline without Kafka and without waiting: a clock the test moves by hand, an in-memory sink
 * that records each attempt (when, and what) and answers as scripted, records offered as (source, partition,
 * offset). What each step asks the reader to do (dead letters, then commits) is checked as the reader would see it.
 */
class NotifyPipelineTest {

    private static final Instant T0 = Instant.parse("2023-04-10T01:00:00Z");
    /** Where the fake clock starts: well after the alerts became true. */
    private static final Instant NOW = Instant.parse("2023-05-01T12:00:00Z");
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
    private static final double RANDOM = 0.5;

    private final MutableClock clock = new MutableClock(NOW);
    private final DeliveryCounter deliveries = new DeliveryCounter();

    // ---- fixtures ----

    /** One attempt the sink saw: when, and the alerts of the page. */
    record Attempt(Instant at, List<Alert> alerts) {
    }

    /** An in-memory pager: records every attempt, answers from a script (by page), 200 when the script says nothing. */
    private final class FakeSink implements Sink {
        final String name;
        final List<Attempt> attempts = new ArrayList<>();
        final Deque<DeliveryResult> script = new ArrayDeque<>();
        Function<List<Alert>, DeliveryResult> byPage = page -> null;
        /** How long the receiver takes to answer (the fake clock moves by it during each attempt). */
        Duration answerTime = Duration.ZERO;
        Predicate<Alert> groupable = alert -> true;

        FakeSink(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean groupable(Alert alert) {
            return groupable.test(alert);
        }

        @Override
        public DeliveryResult send(List<Alert> alerts) {
            attempts.add(new Attempt(clock.instant(), List.copyOf(alerts)));
            clock.advance(answerTime);
            DeliveryResult scripted = byPage.apply(alerts);
            if (scripted != null) {
                return scripted;
            }
            return script.isEmpty() ? new DeliveryResult.Delivered(200) : script.removeFirst();
        }

        List<List<Alert>> pages() {
            return attempts.stream().map(Attempt::alerts).toList();
        }

        List<Instant> times() {
            return attempts.stream().map(Attempt::at).toList();
        }
    }

    private static SinkConfig sinkConfig(String name) {
        return new SinkConfig(name, SinkType.WEBHOOK, URI.create("http://127.0.0.1:9/" + name), new Secret("S", "secret"));
    }

    private static NotifyConfig config(boolean grouping, Duration groupWait, List<String> sinks, List<Route> routes) {
        return new NotifyConfig("hotline-notify", grouping, groupWait, BACKOFF, sinks.stream().map(NotifyPipelineTest::sinkConfig).toList(),
                routes);
    }

    private static NotifyConfig oneSink(boolean grouping, Duration groupWait) {
        return config(grouping, groupWait, List.of("hook"), List.of(new Route(Set.of(), List.of(), List.of("hook"))));
    }

    private NotifyPipeline<String, Integer> pipeline(NotifyConfig config, FakeSink sink, Predicate<Alert> silenced,
                                                     boolean reportsMalformed) {
        return NotifyPipeline.forSink(config, sink, () -> silenced, deliveries, clock, () -> RANDOM, "hotline.notify-rejects",
                reportsMalformed, clock);
    }

    private NotifyPipeline<String, Integer> pipeline(NotifyConfig config, FakeSink sink) {
        return pipeline(config, sink, alert -> false, true);
    }

    private static NotifyPipeline.Read<String, Integer> read(int partition, long offset, Alert alert) {
        return new NotifyPipeline.Read<>(partition + "@" + offset, partition, offset, alert, null);
    }

    /** Ticks while something is due at the clock's time, as the worker does; the steps, in order. */
    private List<NotifyPipeline.Step<String, Integer>> runDue(NotifyPipeline<String, Integer> p) throws Exception {
        List<NotifyPipeline.Step<String, Integer>> steps = new ArrayList<>();
        while (p.due().filter(d -> !d.isAfter(clock.instant())).isPresent()) {
            steps.add(p.tick());
        }
        return steps;
    }

    private static List<Map<Integer, Long>> commits(List<NotifyPipeline.Step<String, Integer>> steps) {
        return steps.stream().map(NotifyPipeline.Step::commit).filter(c -> !c.isEmpty()).toList();
    }

    private static List<NotifyPipeline.DeadLetter<String>> deadLetters(List<NotifyPipeline.Step<String, Integer>> steps) {
        return steps.stream().flatMap(s -> s.deadLetters().stream()).toList();
    }

    private static Alert missed(String channel, Instant deadline) {
        return Alert.slotMissed(channel, deadline.minusSeconds(60), deadline, MissCause.NO_ANSWER);
    }

    // ---- route ----

    @Test
    void eachSinkGetsTheAlertsItsRoutesSendItAndCommitsPastTheOthers() throws Exception {
        NotifyConfig config = config(false, Duration.ZERO, List.of("pager", "chat"),
                List.of(new Route(Set.of(Severity.CRITICAL, Severity.RESOLVE), List.of("liaison-*"), List.of("pager")),
                        new Route(Set.of(), List.of(), List.of("chat"))));
        FakeSink pagerSink = new FakeSink("pager");
        FakeSink chatSink = new FakeSink("chat");
        NotifyPipeline<String, Integer> pager = pipeline(config, pagerSink);
        NotifyPipeline<String, Integer> chat = pipeline(config, chatSink);
        Alert liaisonDown = Alert.channelDown("liaison-office", T0, T0.plusSeconds(3600), 2);
        Alert shipMissed = missed("ship-to-ship", T0.plusSeconds(3600));
        Alert liaisonMissed = missed("liaison-office", T0.plusSeconds(7200)); // not critical: chat only
        List<Alert> alerts = List.of(liaisonDown, shipMissed, liaisonMissed);
        for (int i = 0; i < alerts.size(); i++) {
            pager.offer(read(0, i, alerts.get(i)));
            chat.offer(read(0, i, alerts.get(i)));
        }

        List<NotifyPipeline.Step<String, Integer>> pagerSteps = runDue(pager);
        List<NotifyPipeline.Step<String, Integer>> chatSteps = runDue(chat);

        assertThat(pagerSink.pages()).containsExactly(List.of(liaisonDown));
        assertThat(chatSink.pages()).containsExactly(List.of(liaisonDown), List.of(shipMissed), List.of(liaisonMissed));
        // Alerts routed elsewhere are done for the pager: its last commit passes all three records.
        assertThat(commits(pagerSteps)).last().isEqualTo(Map.of(0, 3L));
        assertThat(commits(chatSteps)).containsExactly(Map.of(0, 1L), Map.of(0, 2L), Map.of(0, 3L));
        assertThat(pager.due()).isEmpty();
        assertThat(chat.due()).isEmpty();
    }

    // ---- silence ----

    @Test
    void aSilencedAlertIsNotDeliveredNotHeldForTheWindowsEndButCountedAndCommitted() throws Exception {
        NotifyConfig config = oneSink(false, Duration.ZERO);
        FakeSink sink = new FakeSink("hook");
        // Maintenance on the liaison line for two hours after T0; the store asks about each alert's own at.
        SilenceStore silences = new SilenceStore(List.of(new Silence("maint", List.of("liaison-office"), T0,
                T0.plusSeconds(7200), null, null)));
        NotifyPipeline<String, Integer> p = pipeline(config, sink, silences, true);
        Alert silenced = missed("liaison-office", T0.plusSeconds(3600));
        Alert other = missed("ship-to-ship", T0.plusSeconds(3600));
        Alert afterTheWindow = Alert.channelDown("liaison-office", T0, T0.plusSeconds(8 * 3600), 2);
        p.offer(read(0, 0, silenced));
        p.offer(read(0, 1, other));
        p.offer(read(0, 2, afterTheWindow));

        List<NotifyPipeline.Step<String, Integer>> steps = runDue(p);

        assertThat(sink.pages()).containsExactly(List.of(other), List.of(afterTheWindow));
        assertThat(deliveries.count("hook", DeliveryCounter.SILENCED)).isEqualTo(1);
        assertThat(deliveries.count("hook", DeliveryCounter.DELIVERED)).isEqualTo(2);
        assertThat(commits(steps)).containsExactly(Map.of(0, 2L), Map.of(0, 3L));
        assertThat(deadLetters(steps)).isEmpty();
        // The window ends (by any clock): the silenced alert is not delivered late; nothing is due any more.
        clock.set(T0.plusSeconds(3 * 3600));
        assertThat(p.due()).isEmpty();
        assertThat(runDue(p)).isEmpty();
        clock.set(NOW.plus(Duration.ofDays(30)));
        assertThat(runDue(p)).isEmpty();
        assertThat(sink.pages()).hasSize(2);
    }

    @Test
    void aBatchOfSilencedAlertsOnlyIsCommittedWhenItCloses() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(true, Duration.ofMillis(250)), sink, alert -> true, true);
        p.offer(read(3, 40, missed("a", T0)));
        p.offer(read(3, 41, missed("b", T0)));

        clock.advance(Duration.ofMillis(250));
        List<NotifyPipeline.Step<String, Integer>> steps = runDue(p);

        assertThat(sink.attempts).isEmpty();
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).commit()).isEqualTo(Map.of(3, 42L));
        assertThat(deliveries.count("hook", DeliveryCounter.SILENCED)).isEqualTo(2);
    }

    // ---- group ----

    @Test
    void aBatchGathersForTheGroupWindowThenOneEvaluationIsOnePage() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(true, Duration.ofMillis(250)), sink);
        List<String> latencies = new ArrayList<>();
        deliveries.onLatency((s, latency) -> latencies.add(s + " " + latency));
        Instant deadline = NOW.minusSeconds(3);
        Alert a = missed("a", deadline);
        Alert b = missed("b", deadline);
        Alert laterEvaluation = missed("c", deadline.plusSeconds(1));
        Alert afterTheWindow = missed("d", deadline);

        p.offer(read(0, 0, a));
        assertThat(p.due()).contains(NOW.plusMillis(250));
        clock.advance(Duration.ofMillis(249));
        assertThat(p.tick()).as("the window is still open").isEqualTo(NotifyPipeline.Step.none());
        p.offer(read(1, 0, b));
        p.offer(read(1, 1, laterEvaluation));
        assertThat(sink.attempts).isEmpty();

        clock.advance(Duration.ofMillis(1));
        List<NotifyPipeline.Step<String, Integer>> steps = runDue(p);

        assertThat(sink.pages()).containsExactly(List.of(a, b), List.of(laterEvaluation));
        assertThat(sink.times()).containsOnly(NOW.plusMillis(250));
        assertThat(commits(steps)).containsExactly(Map.of(0, 1L, 1, 1L), Map.of(0, 1L, 1, 2L));
        assertThat(latencies).containsExactly("hook PT3.25S", "hook PT2.25S");
        // The next record opens a new batch, with a window of its own.
        p.offer(read(0, 1, afterTheWindow));
        assertThat(p.due()).contains(NOW.plusMillis(500));
        clock.advance(Duration.ofMillis(250));
        runDue(p);
        assertThat(sink.pages()).last().isEqualTo(List.of(afterTheWindow));
    }

    @Test
    void withoutGroupingABatchClosesAtOnceAndEachAlertIsItsOwnPage() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ofMillis(250)), sink);
        Alert a = missed("a", T0);
        Alert b = missed("b", T0);
        p.offer(read(0, 0, a));
        p.offer(read(0, 1, b));
        assertThat(p.due()).contains(NOW);

        runDue(p);

        assertThat(sink.pages()).containsExactly(List.of(a), List.of(b));
    }

    // ---- retry ----

    @Test
    void aRetryableFailureIsTriedAgainExactlyWhenTheBackoffSaysAndNeverBefore() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ZERO), sink);
        for (int i = 0; i < 5; i++) {
            sink.script.add(new DeliveryResult.Retryable(null, "HTTP 503"));
        }
        Alert alert = missed("a", T0);
        Alert next = missed("a", T0.plusSeconds(60));
        p.offer(read(0, 0, alert));
        p.offer(read(0, 1, next));

        List<Instant> expected = new ArrayList<>(List.of(NOW));
        List<NotifyPipeline.Step<String, Integer>> steps = new ArrayList<>(runDue(p));
        for (int attempt = 1; attempt <= 5; attempt++) {
            Instant due = expected.get(expected.size() - 1).plus(BACKOFF.delay(attempt, null, RANDOM));
            assertThat(p.due()).contains(due);
            clock.set(due.minusMillis(1));
            assertThat(p.tick()).as("a tick 1 ms early").isEqualTo(NotifyPipeline.Step.none());
            assertThat(sink.attempts).as("no attempt before %s", due).hasSize(attempt);
            clock.set(due);
            steps.addAll(runDue(p));
            expected.add(due);
        }

        // Full jitter at 0.5 of min(8 s, 1 s x 2^(n-1)): 0.5, 1, 2, 4, 4 s.
        assertThat(expected).containsExactly(NOW, NOW.plusMillis(500), NOW.plusMillis(1500), NOW.plusMillis(3500),
                NOW.plusMillis(7500), NOW.plusMillis(11500));
        List<Instant> ofTheFirst = sink.times().subList(0, 6);
        assertThat(ofTheFirst).containsExactlyElementsOf(expected);
        assertThat(sink.pages()).containsExactly(List.of(alert), List.of(alert), List.of(alert), List.of(alert),
                List.of(alert), List.of(alert), List.of(next));
        assertThat(deliveries.count("hook", DeliveryCounter.RETRIED)).isEqualTo(5);
        assertThat(deliveries.count("hook", DeliveryCounter.DELIVERED)).isEqualTo(2);
        assertThat(commits(steps)).containsExactly(Map.of(0, 1L), Map.of(0, 2L));
    }

    @Test
    void theWaitCountsFromTheAnswerAndHonoursRetryAfterUpToTheMax() throws Exception {
        FakeSink sink = new FakeSink("hook");
        sink.answerTime = Duration.ofSeconds(10); // a receiver that times out
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ZERO), sink);
        sink.script.add(new DeliveryResult.Retryable(Duration.ofSeconds(3), "HTTP 429"));
        sink.script.add(new DeliveryResult.Retryable(Duration.ofMinutes(2), "HTTP 429"));
        p.offer(read(0, 0, missed("a", T0)));

        runDue(p);
        Instant firstAnswer = NOW.plusSeconds(10);
        assertThat(p.due()).contains(firstAnswer.plusSeconds(3)); // Retry-After 3 s over a jittered 0.5 s
        clock.set(firstAnswer.plusSeconds(3));
        runDue(p);
        Instant secondAnswer = firstAnswer.plusSeconds(13);
        assertThat(p.due()).contains(secondAnswer.plusSeconds(8)); // 2 minutes asked, cut to the max
        clock.set(secondAnswer.plusSeconds(8));
        runDue(p);

        assertThat(sink.times()).containsExactly(NOW, firstAnswer.plusSeconds(3), secondAnswer.plusSeconds(8));
        assertThat(p.due()).isEmpty();
    }

    @Test
    void whileAPageIsRetriedNothingAfterItIsAttemptedAndNoRecordIsTaken() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ZERO), sink);
        sink.script.add(new DeliveryResult.Retryable(null, "HTTP 503"));
        p.offer(read(0, 0, missed("a", T0)));
        p.offer(read(1, 0, missed("b", T0)));
        runDue(p);

        assertThat(sink.attempts).hasSize(1);
        assertThat(p.accepting()).isFalse();
        assertThatThrownBy(() -> p.offer(read(0, 1, missed("a", T0.plusSeconds(60)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("accepting()");
        clock.set(p.due().orElseThrow());
        runDue(p);
        assertThat(sink.attempts).hasSize(3);
        assertThat(p.accepting()).isTrue();
    }

    // ---- give up: dead letters ----

    @Test
    void aRefusedPageIsTriedOneByOneAndTheAlertRefusedAloneIsADeadLetterWithItsReason() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(true, Duration.ZERO), sink);
        Alert good = missed("good-line", T0);
        Alert bad = missed("bad-line", T0);
        Alert alsoGood = missed("other-line", T0);
        sink.byPage = page -> page.contains(bad) ? new DeliveryResult.Permanent("HTTP 422: unknown service") : null;
        p.offer(read(0, 0, good));
        p.offer(read(0, 1, bad));
        p.offer(read(0, 2, alsoGood));

        List<NotifyPipeline.Step<String, Integer>> steps = runDue(p);

        assertThat(sink.pages()).containsExactly(List.of(good, bad, alsoGood), List.of(good), List.of(bad), List.of(alsoGood));
        assertThat(deadLetters(steps)).containsExactly(
                new NotifyPipeline.DeadLetter<>("0@1", NotifyRejects.SINK_REJECTED, "HTTP 422: unknown service"));
        // The dead letter comes in a step before (or with) the commit that passes its record.
        int letterAt = steps.indexOf(steps.stream().filter(s -> !s.deadLetters().isEmpty()).findFirst().orElseThrow());
        int commitAt = steps.indexOf(steps.stream().filter(s -> !s.commit().isEmpty()).findFirst().orElseThrow());
        assertThat(letterAt).isLessThanOrEqualTo(commitAt);
        // The page was split: one commit, once all its alerts are done.
        assertThat(commits(steps)).containsExactly(Map.of(0, 3L));
        assertThat(deliveries.count("hook", DeliveryCounter.DELIVERED)).isEqualTo(2);
        assertThat(deliveries.count("hook", DeliveryCounter.RETRIED)).isZero();
    }

    @Test
    void aRecordThatIsNotAnAlertIsADeadLetterOnlyWhereItIsReportedAndDoneEverywhere() throws Exception {
        FakeSink first = new FakeSink("hook");
        FakeSink second = new FakeSink("hook");
        NotifyPipeline<String, Integer> reporting = pipeline(oneSink(false, Duration.ZERO), first, a -> false, true);
        NotifyPipeline<String, Integer> quiet = pipeline(oneSink(false, Duration.ZERO), second, a -> false, false);
        Alert alert = missed("a", T0);
        for (NotifyPipeline<String, Integer> p : List.of(reporting, quiet)) {
            p.offer(new NotifyPipeline.Read<>("0@0", 0, 0, null, "field 'channel' is missing"));
            p.offer(read(0, 1, alert));
        }

        List<NotifyPipeline.Step<String, Integer>> reported = runDue(reporting);
        List<NotifyPipeline.Step<String, Integer>> notReported = runDue(quiet);

        assertThat(deadLetters(reported)).containsExactly(
                new NotifyPipeline.DeadLetter<>("0@0", "malformed", "field 'channel' is missing"));
        assertThat(deadLetters(notReported)).isEmpty();
        assertThat(first.pages()).containsExactly(List.of(alert));
        assertThat(commits(reported)).containsExactly(Map.of(0, 2L));
        assertThat(commits(notReported)).containsExactly(Map.of(0, 2L));
    }

    // ---- commit points ----

    @Test
    void theCommitPointNeverPassesAnAlertThatIsNotDone() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ZERO), sink);
        Alert a1 = missed("a", T0);
        Alert b1 = missed("b", T0);
        Alert a2 = missed("a", T0.plusSeconds(60));
        Alert b2 = missed("b", T0.plusSeconds(60));
        Alert a3 = missed("a", T0.plusSeconds(120));
        sink.byPage = page -> page.contains(a2) && sink.attempts.size() < 5
                ? new DeliveryResult.Retryable(null, "HTTP 503") : null;
        p.offer(read(0, 10, a1));
        p.offer(read(1, 5, b1));
        p.offer(read(0, 11, a2));
        p.offer(read(1, 6, b2));
        p.offer(read(0, 12, a3));

        List<NotifyPipeline.Step<String, Integer>> steps = new ArrayList<>(runDue(p));
        // a2 failed: nothing after it is attempted, and no commit passes offset 11 of partition 0.
        assertThat(commits(steps)).containsExactly(Map.of(0, 11L, 1, 5L), Map.of(0, 11L, 1, 6L));
        while (p.due().isPresent()) {
            clock.set(p.due().get());
            steps.addAll(runDue(p));
        }

        assertThat(sink.pages()).containsExactly(List.of(a1), List.of(b1), List.of(a2), List.of(a2), List.of(a2),
                List.of(b2), List.of(a3));
        assertThat(commits(steps)).containsExactly(Map.of(0, 11L, 1, 5L), Map.of(0, 11L, 1, 6L), Map.of(0, 12L, 1, 6L),
                Map.of(0, 12L, 1, 7L), Map.of(0, 13L, 1, 7L));
    }

    @Test
    void anAbandonedBatchIsReadAgainFromItsFirstUndoneRecordsAndWhatTheSinkTookIsNotPagedTwice() throws Exception {
        FakeSink sink = new FakeSink("hook");
        NotifyPipeline<String, Integer> p = pipeline(oneSink(false, Duration.ZERO), sink);
        Alert a1 = missed("a", T0);
        Alert b1 = missed("b", T0);
        Alert a2 = missed("a", T0.plusSeconds(60));
        sink.script.add(new DeliveryResult.Delivered(200));
        sink.script.add(new DeliveryResult.Delivered(200));
        sink.script.add(new DeliveryResult.Retryable(null, "HTTP 503"));
        List<NotifyPipeline.Read<String, Integer>> batch = List.of(read(0, 10, a1), read(1, 5, b1), read(0, 11, a2));
        batch.forEach(p::offer);
        runDue(p);

        // The reader lost its partitions while a2 waited: it reads again from these offsets.
        assertThat(p.abandon()).isEqualTo(Map.of(0, 11L, 1, 6L));
        assertThat(p.due()).isEmpty();
        assertThat(p.accepting()).isTrue();
        // A reader that could only rewind to the batch's start offers all three again: a1 and b1 are skipped.
        batch.forEach(p::offer);
        List<NotifyPipeline.Step<String, Integer>> again = runDue(p);

        assertThat(sink.pages()).containsExactly(List.of(a1), List.of(b1), List.of(a2), List.of(a2));
        assertThat(deliveries.count("hook", DeliveryCounter.REPEAT_SKIPPED)).isEqualTo(2);
        assertThat(commits(again)).containsExactly(Map.of(0, 12L, 1, 6L));
    }
}
