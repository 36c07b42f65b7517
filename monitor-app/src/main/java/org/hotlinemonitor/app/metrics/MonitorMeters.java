package org.hotlinemonitor.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.notify.DeliveryCounter;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * The monitor's own meters, {@code hotline.*} (the reference, with the names as Prometheus shows them:
 * docs/metrics.md). Every meter reads the detector's {@link DetectorView}, its {@link RejectCounter} and the notifier's
 * {@link DeliveryCounter} when scraped (functions, gauges), so the detector's and the notifier's paths are untouched;
 * only the latency timers are fed, at commit (answers), per alert sent (alert delay) and per delivered page
 * (deliveries). The scheduler's placer calls are read from it when scraped too ({@link #placer}).
 *
 * <p>Per-channel and per-partition meters follow the view: a channel or a partition that joins this instance (its
 * task starts here) gets its meters, one that leaves (its task moved to another instance, or stopped) loses them, so
 * that each channel is shown by the one instance that owns it. The view tells the binder when this happens, from a
 * stream thread in the middle of a commit: the binder only notes the change there ({@link #sync} registers and removes
 * the meters later, on its own thread every {@link #SYNC_EVERY} and before each scrape). Registering a channel's
 * meters takes tens of microseconds; done on the stream thread, the first commit of a task of 17,000 channels
 * outlasted its transaction, the producer was fenced, the task moved, and the loop repeated (issue 21). Which
 * channels have per-channel meters is {@link ChannelMetrics}: all of them (the default), none, or those not shown
 * {@code up}, checked by {@link #beforeScrape}; the counts by state ({@code hotline.channels}) are there in every mode.
 *
 * <p>Built with {@link #detector} and/or {@link #notifier}; bound to one registry. Thread-safe.
 */
public final class MonitorMeters implements MeterBinder, AutoCloseable {

    /** How often the binder's own thread applies the channels and partitions that joined or left ({@link #sync}). */
    static final Duration SYNC_EVERY = Duration.ofMillis(500);

    /** Buckets of the answer latency: from the slot to its first answer (answer windows are minutes to hours). */
    static final Duration[] ANSWER_BUCKETS = {Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2)};
    /** Buckets of the delivery latency: from the alert's instant to the pager's 2xx (target: p99 under 2 s). */
    static final Duration[] DELIVERY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    /**
     * Buckets of the alert delay: from the instant an alert became true to the detector sending it, by the detector's
     * clock (the allowed lateness, 0.5 s by default, when all is well; an accelerated clock multiplies it).
     */
    static final Duration[] ALERT_DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
        Duration.ofHours(1)};

    /** The detector's reasons for refusing a record (dead letters): each counter exists from the start, at 0. */
    static final List<String> DETECTOR_REJECT_REASONS = List.of(Rejection.MALFORMED, Rejection.INVALID_FIELD,
            Rejection.UNKNOWN_CHANNEL, Rejection.NOT_A_SLOT, Rejection.TOO_EARLY, Rejection.LATE, Rejection.BEYOND_UNTIL,
            Rejection.WRONG_PARTITION, Rejection.BAD_SIGNATURE);
    /** The notifier's reasons. */
    static final List<String> NOTIFIER_REJECT_REASONS = List.of(Rejection.MALFORMED, "sink-rejected");
    static final List<String> DELIVERY_RESULTS = List.of(DeliveryCounter.DELIVERED, DeliveryCounter.RETRIED,
            DeliveryCounter.REJECTED, DeliveryCounter.SILENCED, DeliveryCounter.REPEAT_SKIPPED);

    private final Clock clock;
    private DetectorView view;
    private RejectCounter detectorRejects;
    private ChannelMetrics channelMetrics = ChannelMetrics.ALL;
    private DeliveryCounter deliveries;
    private RejectCounter notifierRejects;
    private List<String> sinks = List.of();
    private PlacerCalls placerCalls;
    private List<String> placerChannels = List.of();

    private MeterRegistry registry;
    private Timer answerLatency;
    private final Map<String, List<Meter>> channelMeters = new HashMap<>();
    /** Each channel's answer latency timer (also in {@link #channelMeters}), read by the stream threads at commit. */
    private final Map<String, Timer> channelAnswerLatency = new ConcurrentHashMap<>();
    private final Map<Integer, Meter> partitionMeters = new HashMap<>();
    /** Full scans of the view ({@link #refresh}): one, at binding; for a test that membership changes cost no scan. */
    private int refreshes;
    /** Channels given their meters, and channels looked at by {@link #beforeScrape}: for a test that the work is linear. */
    private long registrations;
    private long swept;
    /**
     * Channels that joined (true) or left (false) the view since the last {@link #sync}, the latest word for each: the
     * stream threads note changes here and nothing else (O(1) each).
     */
    private final ConcurrentHashMap<String, Boolean> pendingChannels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Boolean> pendingPartitions = new ConcurrentHashMap<>();
    private ScheduledExecutorService syncer;
    /**
     * Counts the scrapes that ran {@link #beforeScrape}: a channel's gauges read its state once per scrape
     * ({@link Reading}); 0 while no scrape has, and then every read is fresh.
     */
    private volatile long scrapeEpoch;

    /** @param clock the detector's clock, for the watermark lag (an accelerated one in the demo) */
    private java.util.function.Supplier<java.util.Optional<org.hotlinemonitor.app.detect.ChannelTopic>> channelTopic;

    public MonitorMeters(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The records of the channels topic a detector follows (it starts after binding, so asked at each scrape):
     * {@code hotline_channel_records_total{outcome="applied|removed|refused"}}, zero while there is none.
     */
    public MonitorMeters channelTopic(java.util.function.Supplier<java.util.Optional<org.hotlinemonitor.app.detect.ChannelTopic>> topic) {
        this.channelTopic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /** The detector's meters: channels, counts by state, slots, events, alerts, rejects, watermark lag. */
    public MonitorMeters detector(DetectorView view, RejectCounter rejects) {
        this.view = Objects.requireNonNull(view, "view");
        this.detectorRejects = Objects.requireNonNull(rejects, "rejects");
        return this;
    }

    /**
     * Which channels get the per-channel series ({@link ChannelMetrics}; {@code all} unless set). With
     * {@link ChannelMetrics#FAILING}, call {@link #beforeScrape} before each scrape ({@link MetricsServer#beforeScrape}).
     */
    public MonitorMeters channelMetrics(ChannelMetrics mode) {
        this.channelMetrics = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** The notifier's meters: deliveries by sink and result, delivery latency, its rejects. */
    public MonitorMeters notifier(DeliveryCounter deliveries, RejectCounter rejects, List<String> sinkNames) {
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.notifierRejects = Objects.requireNonNull(rejects, "rejects");
        this.sinks = List.copyOf(sinkNames);
        return this;
    }

    /**
     * The scheduler's calls to its placer, per channel: {@code calls.count(channel, failed)}.
     *
     * @param channelIds the channels the scheduler calls: each has its two counters from the start, at 0
     */
    public MonitorMeters placer(List<String> channelIds, PlacerCalls calls) {
        this.placerCalls = Objects.requireNonNull(calls, "calls");
        this.placerChannels = List.copyOf(channelIds);
        return this;
    }

    /** Counts of a scheduler's calls to its placer (read when scraped; thread-safe). */
    @FunctionalInterface
    public interface PlacerCalls {
        /** Calls placed ({@code failed} false) or whose placer failed ({@code failed} true) for the channel. */
        long count(String channel, boolean failed);
    }

    @Override
    public synchronized void bindTo(MeterRegistry r) {
        if (registry != null) {
            throw new IllegalStateException("already bound");
        }
        registry = r;
        if (view != null) {
            bindDetector(r);
        }
        if (channelTopic != null) {
            bindChannelTopic(r);
        }
        if (deliveries != null) {
            bindNotifier(r);
        }
        if (placerCalls != null) {
            bindPlacer(r);
        }
    }

    private void bindPlacer(MeterRegistry r) {
        PlacerCalls calls = placerCalls;
        for (String channel : placerChannels) {
            for (boolean failed : new boolean[] {false, true}) {
                counter("hotline.placer.calls", "calls", "The scheduler's calls to its placer, per channel: placed "
                        + "(published as CALL_PLACED, retries included) or failed (the placer failed, no outcome published)",
                        calls, x -> x.count(channel, failed))
                        .tags("channel", channel, "result", failed ? "failed" : "placed").register(r);
            }
        }
    }

    private void bindChannelTopic(MeterRegistry r) {
        var topic = channelTopic;
        Map<String, java.util.function.ToLongFunction<org.hotlinemonitor.app.detect.ChannelTopic>> outcomes = Map.of(
                "applied", org.hotlinemonitor.app.detect.ChannelTopic::applied,
                "removed", org.hotlinemonitor.app.detect.ChannelTopic::removed,
                "refused", org.hotlinemonitor.app.detect.ChannelTopic::refused);
        outcomes.forEach((outcome, f) -> counter("hotline.channel.records", "records", "Records of the channels topic read "
                + "(detect --channels-topic), by outcome: applied (a channel added, changed or the same again), removed (a "
                + "tombstone), refused (not a valid channel: logged with its offset and reason; the channel stays as it was)",
                topic, t -> t.get().map(f::applyAsLong).orElse(0L)).tag("outcome", outcome).register(r));
    }

    private void bindDetector(MeterRegistry r) {
        DetectorView v = view;
        for (Verdict verdict : Verdict.values()) {
            counter("hotline.slots", "slots", "Slots decided, by verdict: ANSWERED, MISSED (our side tried, nobody "
                    + "answered by the deadline), NOT_PLACED (our side never called)", v, x -> x.verdictCount(verdict))
                    .tag("verdict", verdict.name()).register(r);
        }
        for (EventKind kind : EventKind.values()) {
            counter("hotline.events", "events", "Call-check events accepted by the detector, by kind", v,
                    x -> x.eventCount(kind)).tag("kind", kind.name()).register(r);
        }
        for (AlertType type : AlertType.values()) {
            counter("hotline.alerts", "alerts", "Alerts sent by the detector, by type", v, x -> x.alertCount(type))
                    .tag("type", type.name()).register(r);
        }
        RejectCounter rejects = detectorRejects;
        for (String reason : DETECTOR_REJECT_REASONS) {
            counter("hotline.rejected.records", "records", "Records refused and sent to the dead letters, by stage "
                    + "and reason", rejects, x -> x.count(reason)).tags("stage", "detector", "reason", reason).register(r);
        }
        counter("hotline.late.events", "events", "Events refused as late: older than the detector's watermark "
                + "(also counted in hotline_rejected_records_total{reason=\"late\"})", rejects, x -> x.count(Rejection.LATE))
                .register(r);
        for (ChannelStatus status : ChannelStatus.values()) {
            Gauge.builder("hotline.channels", v, x -> x.shownCounts()[status.ordinal()])
                    .description("The channels this instance owns, by the state they show (as hotline_channel_state): "
                            + "there whatever --channel-metrics says")
                    .baseUnit("channels")
                    .tag("state", status.name().toLowerCase(Locale.ROOT))
                    .register(r);
        }
        for (String state : List.of("heard", "silent", "unknown")) {
            Gauge.builder("hotline.our.side.state", v, x -> ourSideState(x).equals(state) ? 1 : 0)
                    .description("Our own side's state by its schedulers' heartbeats, one series per state: 1 for the "
                            + "state it is in, 0 for the others (silent: no heartbeat for silentAfter, every channel is "
                            + "reported unknown; heard; unknown: no heartbeat applied yet)")
                    .baseUnit("state")
                    .tag("state", state)
                    .register(r);
        }
        TimeGauge.builder("hotline.last.heartbeat.timestamp", v, TimeUnit.MILLISECONDS, x -> {
                    long t = x.lastHeartbeat();
                    return t == Millis.NONE ? Double.NaN : t;
                })
                .description("Event time of the newest heartbeat from our side's schedulers the detector applied "
                        + "(seconds since the epoch); NaN before the first")
                .register(r);
        answerLatency = Timer.builder("hotline.slot.answer.latency")
                .description("Time from a slot to its first answer, for the slots decided ANSWERED")
                .serviceLevelObjectives(ANSWER_BUCKETS)
                .register(r);
        Map<AlertType, Timer> alertDelay = new java.util.EnumMap<>(AlertType.class);
        for (AlertType type : AlertType.values()) {
            alertDelay.put(type, Timer.builder("hotline.alert.delay")
                    .description("Time from an alert becoming true (its at, e.g. the slot's deadline) to the detector "
                            + "sending it, by the detector's clock")
                    .tag("type", type.name())
                    .serviceLevelObjectives(ALERT_DELAY_BUCKETS)
                    .register(r));
        }
        v.listen(new DetectorView.Listener() {
            @Override
            public void channelJoined(String id) {
                pendingChannels.put(id, Boolean.TRUE);
            }

            @Override
            public void channelLeft(String id) {
                pendingChannels.put(id, Boolean.FALSE);
            }

            @Override
            public void partitionJoined(int partition) {
                pendingPartitions.put(partition, Boolean.TRUE);
            }

            @Override
            public void partitionLeft(int partition) {
                pendingPartitions.put(partition, Boolean.FALSE);
            }

            @Override
            public void alertSent(AlertType type, long delayMillis) {
                alertDelay.get(type).record(delayMillis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void answered(String[] channels, long[] millis, int count) {
                for (int i = 0; i < count; i++) {
                    answerLatency.record(millis[i], TimeUnit.MILLISECONDS);
                    // The channel's own histogram: there once the channel joined (before any of its verdicts); a
                    // channel that has just left this instance has none, and its latency stays in the aggregate only.
                    Timer channel = channelLatency(channels[i]);
                    if (channel != null) {
                        channel.record(millis[i], TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
        refresh();
        syncer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "hotline-meters");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::syncQuietly, SYNC_EVERY.toMillis(), SYNC_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Applies the channels and partitions that joined the view since the last call (their meters, per
     * {@link ChannelMetrics}) and that left it (their meters go): work in proportion to the changes, none for the
     * channels that stayed. Called on the binder's own thread every {@link #SYNC_EVERY}, and by {@link #beforeScrape}.
     * One channel at a time under the lock, so that a stream thread that needs one channel's meters now
     * ({@link #channelLatency}) waits for one registration at most, never for a whole task's.
     */
    public void sync() {
        if (view == null) {
            return;
        }
        for (Map.Entry<String, Boolean> e : pendingChannels.entrySet()) {
            synchronized (this) {
                if (registry != null && pendingChannels.remove(e.getKey(), e.getValue())) { // a newer word waits its turn
                    if (e.getValue()) {
                        joined(e.getKey());
                    } else {
                        removeChannel(e.getKey());
                    }
                }
            }
        }
        for (Map.Entry<Integer, Boolean> e : pendingPartitions.entrySet()) {
            synchronized (this) {
                if (registry != null && pendingPartitions.remove(e.getKey(), e.getValue())) {
                    if (e.getValue()) {
                        joined(e.getKey());
                    } else {
                        left(e.getKey());
                    }
                }
            }
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) { // a meter that cannot be registered must not stop the syncing
            org.slf4j.LoggerFactory.getLogger(MonitorMeters.class).warn("registering channel meters: {}", e.toString());
        }
    }

    /**
     * The channel's answer latency timer, registering the channel's meters now if it joined and has none yet in
     * {@code all} mode (called at commit for the channels with answers, so that no answer of a channel this instance
     * owns misses its histogram).
     */
    private Timer channelLatency(String id) {
        Timer t = channelAnswerLatency.get(id);
        if (t == null && Boolean.TRUE.equals(pendingChannels.get(id))) {
            synchronized (this) {
                if (pendingChannels.remove(id, Boolean.TRUE)) {
                    joined(id);
                }
            }
            t = channelAnswerLatency.get(id);
        }
        return t;
    }

    /** Stops the binder's thread. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = syncer;
            syncer = null;
        }
        if (s != null) {
            s.shutdownNow();
        }
    }

    private static String ourSideState(DetectorView v) {
        return v.ourSideSilentSince() != Millis.NONE ? "silent" : v.lastHeartbeat() != Millis.NONE ? "heard" : "unknown";
    }

    private void bindNotifier(MeterRegistry r) {
        DeliveryCounter d = deliveries;
        Map<String, Timer> latency = new HashMap<>();
        for (String sink : sinks) {
            for (String result : DELIVERY_RESULTS) {
                counter("hotline.notify.deliveries", "deliveries", "The notifier's deliveries by sink and result: "
                        + "delivered (alerts a pager took), retried (attempts that failed and will be retried), "
                        + "rejected (alerts a pager refused for good)", d, x -> x.count(sink, result))
                        .tags("sink", sink, "result", result).register(r);
            }
            latency.put(sink, Timer.builder("hotline.notify.delivery.latency")
                    .description("Time from an alert becoming true (its at) to the pager taking it (2xx), per page")
                    .tag("sink", sink)
                    .serviceLevelObjectives(DELIVERY_BUCKETS)
                    .register(r));
        }
        d.onLatency((sink, t) -> {
            Timer timer = latency.get(sink);
            if (timer != null) {
                timer.record(t);
            }
        });
        RejectCounter rejects = notifierRejects;
        for (String reason : NOTIFIER_REJECT_REASONS) {
            counter("hotline.rejected.records", "records", "Records refused and sent to the dead letters, by stage "
                    + "and reason", rejects, x -> x.count(reason)).tags("stage", "notifier", "reason", reason).register(r);
        }
    }

    /**
     * A channel joined the view: its meters, unless it has them ({@code all}; {@code failing} leaves it to
     * {@link #beforeScrape}). O(1) in the number of channels.
     */
    private void joined(String id) {
        if (channelMetrics == ChannelMetrics.ALL && view.channel(id).isPresent()) { // not if it left again since
            channelMeters.computeIfAbsent(id, this::registerChannel);
        }
    }

    private void removeChannel(String id) {
        channelAnswerLatency.remove(id);
        List<Meter> meters = channelMeters.remove(id);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    /**
     * Before a scrape, in {@code failing} mode: gives each owned channel not shown {@code up} its meters and takes them
     * from the ones {@code up} again. O(channels) per scrape, plus O(1) per channel that changes; nothing in the other
     * modes.
     */
    public void beforeScrape() {
        scrapeEpoch++;
        sync();
        sweep();
    }

    private synchronized void sweep() {
        if (registry == null || view == null || channelMetrics != ChannelMetrics.FAILING) {
            return;
        }
        view.forEachShown((id, status) -> {
            swept++;
            if (status != ChannelStatus.MISSED && status != ChannelStatus.DOWN) {
                if (channelMeters.containsKey(id)) {
                    removeChannel(id);
                }
            } else if (!channelMeters.containsKey(id)) {
                channelMeters.put(id, registerChannel(id));
            }
        });
    }

    private void joined(int partition) {
        if (registry != null) {
            partitionMeters.computeIfAbsent(partition, this::registerPartition);
        }
    }

    private void left(int partition) {
        Meter m = partitionMeters.remove(partition);
        if (m != null) {
            registry.remove(m);
        }
    }

    /**
     * Gives each channel and partition now in the view its meters, and removes those of the ones that left. Called
     * once, when binding (the view may hold channels already); from then on the view's listener calls
     * {@link #joined}/{@link #left} per channel and partition, so that adding n channels costs O(n).
     */
    synchronized void refresh() {
        if (registry == null || view == null) {
            return;
        }
        refreshes++;
        Set<String> ids = view.channels().keySet();
        channelMeters.entrySet().removeIf(e -> {
            if (ids.contains(e.getKey())) {
                return false;
            }
            channelAnswerLatency.remove(e.getKey());
            e.getValue().forEach(registry::remove);
            return true;
        });
        if (channelMetrics == ChannelMetrics.ALL) {
            for (String id : ids) {
                channelMeters.computeIfAbsent(id, this::registerChannel);
            }
        }
        sweep();
        Set<Integer> partitions = view.watermarks().keySet();
        partitionMeters.entrySet().removeIf(e -> {
            if (partitions.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
        for (Integer p : partitions) {
            partitionMeters.computeIfAbsent(p, this::registerPartition);
        }
    }

    /** How many times the whole view was scanned (see {@link #refresh}). */
    synchronized int refreshes() {
        return refreshes;
    }

    /** How many times a channel was given its meters. */
    synchronized long registrations() {
        return registrations;
    }

    /** How many channels {@link #beforeScrape} looked at, over all its calls. */
    synchronized long swept() {
        return swept;
    }

    /** How many channels have their meters now. */
    synchronized int channelsWithMeters() {
        return channelMeters.size();
    }

    private List<Meter> registerChannel(String id) {
        MeterRegistry r = registry;
        DetectorView v = view;
        registrations++;
        List<Meter> meters = new ArrayList<>();
        Reading reading = new Reading(id);
        for (ChannelStatus status : ChannelStatus.values()) {
            meters.add(Gauge.builder("hotline.channel.state", () -> {
                        ChannelStatus shown = reading.status();
                        return shown == null ? null : shown == status ? 1 : 0;
                    })
                    .description("The channel's state, one series per state: 1 for the state it is in, 0 for the others "
                            + "(unknown: nothing decided yet, or our own side is silent; missed: its last slot missed; "
                            + "down: downAfter slots missed in a row; up: answering)")
                    .baseUnit("state")
                    .tags("channel", id, "state", status.name().toLowerCase(Locale.ROOT))
                    .register(r));
        }
        for (Verdict verdict : Verdict.values()) {
            meters.add(counter("hotline.channel.slots", "slots", "The channel's slots decided by this instance, by "
                    + "verdict: ANSWERED, MISSED (our side tried, nobody answered by the deadline), NOT_PLACED (our side "
                    + "never called)", v, x -> x.channelVerdictCount(id, verdict))
                    .tags("channel", id, "verdict", verdict.name()).register(r));
        }
        Timer latency = Timer.builder("hotline.channel.answer.latency")
                .description("Time from a slot of the channel to its first answer, for its slots decided ANSWERED "
                        + "(hotline_slot_answer_latency_seconds per channel)")
                .serviceLevelObjectives(ANSWER_BUCKETS)
                .tag("channel", id)
                .register(r);
        channelAnswerLatency.put(id, latency);
        meters.add(latency);
        meters.add(Gauge.builder("hotline.channel.consecutive.missed", () -> {
                    ChannelState state = reading.state();
                    return state == null ? null : state.streak();
                })
                .description("Slots missed in a row (not-placed slots neither count nor break the run; an answer ends it)")
                .baseUnit("slots")
                .tag("channel", id)
                .register(r));
        meters.add(timestamp(r, "hotline.channel.last.answer.timestamp", id, "When the channel last answered; NaN if never",
                () -> reading.time(ChannelState::lastAnswer)));
        meters.add(timestamp(r, "hotline.channel.outage.start.timestamp", id, "The first missed slot of the current run of "
                        + "misses, the start of the outage when the channel is down; NaN when its last slot was answered",
                () -> reading.time(ChannelState::streakSince)));
        meters.add(timestamp(r, "hotline.channel.next.deadline.timestamp", id, "The deadline of the channel's earliest "
                        + "undecided slot; NaN when its schedule has ended",
                () -> v.nextDeadline(id, reading.state())));
        return meters;
    }

    /**
     * One channel's committed state as one scrape reads it: every gauge of the channel in a scrape shows the same state.
     * The registry writes a scrape family by family (every channel's state, then every channel's outage start...), so a
     * commit between two families read afresh showed, once per outage, a channel down with no outage start (NaN).
     * Refreshed at the first read after each {@link #beforeScrape}; read afresh every time while there is none.
     */
    private final class Reading {
        private final String id;
        private long epoch = -1;
        private ChannelState state;
        private ChannelStatus status;

        Reading(String id) {
            this.id = id;
        }

        synchronized ChannelState state() {
            refresh();
            return state;
        }

        synchronized ChannelStatus status() {
            refresh();
            return status;
        }

        long time(java.util.function.ToLongFunction<ChannelState> field) {
            ChannelState s = state();
            return s == null ? Millis.NONE : field.applyAsLong(s);
        }

        private void refresh() {
            long e = scrapeEpoch;
            if (e == 0 || e != epoch) {
                epoch = e;
                state = view.channel(id).orElse(null);
                status = state == null ? null : DetectorView.shown(state, view.silentSince(id));
            }
        }
    }

    private Meter registerPartition(Integer partition) {
        DetectorView v = view;
        return TimeGauge.builder("hotline.detector.watermark.lag", () -> {
                    Long w = v.watermarks().get(partition);
                    return w == null ? null : clock.millis() - w;
                }, TimeUnit.MILLISECONDS)
                .description("The detector's clock minus the watermark of the task reading this partition of the events "
                        + "topic: how far behind the detector decides (the allowed lateness when all is well)")
                .tag("partition", Integer.toString(partition))
                .register(registry);
    }

    private static Meter timestamp(MeterRegistry r, String name, String channel, String description,
                                   java.util.function.LongSupplier epochMillis) {
        return TimeGauge.builder(name, () -> {
                    long t = epochMillis.getAsLong();
                    return t == Millis.NONE ? null : t;
                }, TimeUnit.MILLISECONDS)
                .description(description + " (seconds since the epoch)")
                .tag("channel", channel)
                .register(r);
    }

    private static <T> FunctionCounter.Builder<T> counter(String name, String unit, String description,
                                                          T source, ToDoubleFunction<T> f) {
        return FunctionCounter.builder(name, source, f).description(description).baseUnit(unit);
    }
}
