package org.hotlinemonitor.app.http;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.hotlinemonitor.core.model.Millis;

/**
 * Whether the Kafka cluster answers, for {@code /readyz}: {@code Optional.empty()} when it does, else the reason.
 */
@FunctionalInterface
public interface BrokerProbe {

    /** The reason the broker is not reachable, or empty when it is. May block up to the probe's time-out. */
    Optional<String> problem();

    /**
     * A probe that asks the cluster to describe itself ({@code Admin#describeCluster}) within {@code timeout}, and
     * remembers the answer for {@code cacheFor}, so that frequent probes (and several at once) cost one request.
     * The returned probe owns its {@link Admin}: close it with {@link Closeable#close()}.
     */
    static Closeable admin(String bootstrapServers, Map<String, ?> kafka, Duration timeout, Duration cacheFor, Clock clock) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "hotline-api-readyz");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new AdminProbe(Admin.create(c), timeout, cacheFor, clock);
    }

    /** A probe that holds a client. */
    interface Closeable extends BrokerProbe, AutoCloseable {
        @Override
        void close();
    }

    /** See {@link #admin}. Thread-safe: concurrent callers share one request. */
    final class AdminProbe implements Closeable {
        private final Admin admin;
        private final Duration timeout;
        private final long cacheMillis;
        private final Clock clock;
        /** When the broker was last asked (epoch milliseconds), or {@link Millis#NONE}. */
        private long checkedAt = Millis.NONE;
        private Optional<String> last = Optional.of("not checked yet");

        AdminProbe(Admin admin, Duration timeout, Duration cacheFor, Clock clock) {
            this.admin = Objects.requireNonNull(admin, "admin");
            this.timeout = timeout;
            this.cacheMillis = cacheFor.toMillis();
            this.clock = clock;
        }

        @Override
        public synchronized Optional<String> problem() {
            long now = clock.millis();
            if (checkedAt != Millis.NONE && now - checkedAt < cacheMillis) {
                return last;
            }
            last = check();
            checkedAt = clock.millis();
            return last;
        }

        private Optional<String> check() {
            try {
                int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                        .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
                return nodes > 0 ? Optional.empty() : Optional.of("the cluster lists no broker");
            } catch (TimeoutException e) {
                return Optional.of("no answer from the Kafka cluster within " + timeout);
            } catch (ExecutionException e) {
                return Optional.of("the Kafka cluster is not reachable: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
