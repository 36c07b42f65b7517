package org.hotlinemonitor.app.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The API with its Kafka adapters, for the command that serves it: a readiness probe ({@link BrokerProbe#admin}, 2 s
 * time-out, answers remembered 1.5 s), a call publisher ({@link CallPublisher#kafka}, 10 s), and the alert ring
 * ({@link AlertLog} of {@value AlertLog#DEFAULT_CAPACITY}, filled by an {@link AlertTail} from the last 24 h).
 *
 * <pre>{@code
 * ApiRuntime api = ApiRuntime.start(bootstrap, kafkaOverrides, eventsTopic, alertsTopic, config, access, silences,
 *         detector.view(), detector::isRunning, Clock.systemUTC());
 * api.api().register(server);   // the HttpServer of /metrics
 * ...
 * api.close();                  // after the server stopped
 * }</pre>
 *
 * <p>Ownership: creates and closes the Admin client, the producer and the alert consumer; closes nothing it is given.
 */
public final class ApiRuntime implements AutoCloseable {

    public static final Duration READY_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration READY_CACHE = Duration.ofMillis(1500);
    public static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private final BrokerProbe.Closeable probe;
    private final CallPublisher.Kafka calls;
    private final AlertTail tail;
    private final Api api;

    private ApiRuntime(BrokerProbe.Closeable probe, CallPublisher.Kafka calls, AlertTail tail, Api api) {
        this.probe = probe;
        this.calls = calls;
        this.tail = tail;
        this.api = api;
    }

    /**
     * Creates the adapters and starts reading alerts (in the background; returns at once).
     *
     * @param kafka     extra Kafka client settings (security...), for every client
     * @param access    the API's tokens ({@link ApiAccess#of}), or {@code null} (reads open, writes disabled); not closed here
     * @param silences  shared with the notifier, so that silences added here keep its pages quiet
     */
    public static ApiRuntime start(String bootstrapServers, Map<String, ?> kafka, String eventsTopic, String alertsTopic,
                                   MonitorConfig config, ApiAccess access, SilenceStore silences, DetectorView view,
                                   BooleanSupplier detectorRunning, Clock clock) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        BrokerProbe.Closeable probe = BrokerProbe.admin(bootstrapServers, kafka, READY_TIMEOUT, READY_CACHE, clock);
        CallPublisher.Kafka calls = null;
        AlertTail tail = null;
        try {
            calls = CallPublisher.kafka(bootstrapServers, kafka, eventsTopic, PUBLISH_TIMEOUT);
            AlertLog log = new AlertLog(AlertLog.DEFAULT_CAPACITY);
            tail = new AlertTail(bootstrapServers, kafka, alertsTopic, AlertTail.DEFAULT_LOOKBACK, log, clock);
            Api api = new Api(config, access, view, detectorRunning, probe, calls, log, silences, clock);
            tail.start();
            return new ApiRuntime(probe, calls, tail, api);
        } catch (RuntimeException e) {
            if (tail != null) {
                tail.close();
            }
            if (calls != null) {
                calls.close();
            }
            probe.close();
            throw e;
        }
    }

    public Api api() {
        return api;
    }

    /** Whether the alert reader is reading (for logs; {@code /readyz} does not depend on it). */
    public boolean alertsReading() {
        return tail.isRunning();
    }

    @Override
    public void close() {
        tail.close();
        calls.close();
        probe.close();
    }
}
