package org.hotlinemonitor.app.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command's metrics: the Prometheus registry, with the JVM's meters (memory, GC, threads, class loading,
 * processor, uptime) bound from the start, and whatever the command binds later: the monitor's own
 * ({@link MonitorMeters}), the Kafka Streams client's and Kafka clients'.
 *
 * <p>Thread-safe. Whoever creates it closes it: that closes the binders that hold resources (GC listeners, the Kafka
 * binders' schedulers) and the registry; the Kafka clients themselves belong to their owners.
 */
@SuppressWarnings("deprecation") // the simpleclient registry is deprecated upstream in favour of prometheus-metrics
public final class Metrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.push(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private volatile java.util.function.BooleanSupplier ready;

    /**
     * Serves {@code hotline_ready}: 1 while {@code ready} says the process is ready (what {@code /readyz} says, where
     * there is one), else 0. The first call registers the gauge; a later one replaces the supplier.
     */
    public synchronized void ready(java.util.function.BooleanSupplier ready) {
        boolean first = this.ready == null;
        this.ready = java.util.Objects.requireNonNull(ready, "ready");
        if (first) {
            io.micrometer.core.instrument.Gauge.builder("hotline.ready", this, m -> readyNow(m.ready) ? 1 : 0)
                    .description("1 when the process is ready (what /readyz says: the detector runs and, for run, the "
                            + "Kafka cluster answers), else 0")
                    .register(registry);
        }
    }

    private static boolean readyNow(java.util.function.BooleanSupplier s) {
        try {
            return s.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Binds {@code binder} (the monitor's meters); returns it. */
    public synchronized <B extends MeterBinder> B bind(B binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable c) {
            closeables.push(c);
        }
        return binder;
    }

    /** Binds a Kafka Streams client's metrics (its own and its embedded clients'); it must be started. */
    public void bindKafkaStreams(KafkaStreams streams) {
        bind(new KafkaStreamsMetrics(streams));
    }

    /** Binds a Kafka producer's metrics. */
    public void bindKafkaProducer(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    @Override
    public synchronized void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                LOG.warn("closing a metrics binder: {}", e.toString());
            }
        }
        registry.close();
    }
}
