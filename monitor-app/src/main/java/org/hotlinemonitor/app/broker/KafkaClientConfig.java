package org.hotlinemonitor.app.broker;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Kafka client settings every client of the monitor gets on top of its own: security ({@code security.protocol},
 * {@code ssl.*}, {@code sasl.*}), config providers, time-outs. They come from the {@code kafka:} section of the
 * configuration file and from {@code --kafka-config FILE}, and are passed to Kafka as they are.
 *
 * <p>Values may be secrets: {@link #toString()} shows only the values of {@link #SHOWN} keys, and nothing here logs
 * them. Immutable.
 *
 * @param values by key, in the order given
 */
public record KafkaClientConfig(Map<String, String> values) {

    /** No settings: PLAINTEXT without authentication, Kafka's defaults. */
    public static final KafkaClientConfig NONE = new KafkaClientConfig(Map.of());

    /** Keys whose values are never secret, so {@link #toString()} may show them. */
    static final Set<String> SHOWN = Set.of("security.protocol", "sasl.mechanism", "ssl.endpoint.identification.algorithm",
            "ssl.protocol", "config.providers");

    public KafkaClientConfig {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (values.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap.servers is not a client setting here: give --bootstrap-servers");
        }
    }

    /** These settings with {@code other}'s on top (a key in both takes {@code other}'s value). */
    public KafkaClientConfig overriddenBy(KafkaClientConfig other) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(other.values);
        return new KafkaClientConfig(merged);
    }

    /** Whether any security protocol other than PLAINTEXT is asked for. */
    public boolean secured() {
        return !values.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT).equals("PLAINTEXT");
    }

    /** A fresh, mutable client configuration: these settings and {@code bootstrap.servers}. */
    public Map<String, Object> withBootstrap(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>(values);
        c.put("bootstrap.servers", bootstrapServers);
        return c;
    }

    /**
     * A producer's settings for a writer whose every write must be acknowledged by all in-sync replicas before it
     * returns (the silences and channels topics): idempotent, {@code acks=all}, each write given up after
     * {@code timeout}; {@code kafka}'s settings (security...) beneath.
     */
    public static Map<String, Object> acknowledgedWriter(String bootstrapServers, Map<String, ?> kafka, String clientId,
                                                         java.time.Duration timeout, int lingerMs) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        p.put("linger.ms", lingerMs);
        p.put("max.block.ms", (int) timeout.toMillis());
        p.put("request.timeout.ms", (int) timeout.toMillis() / 2);
        p.put("delivery.timeout.ms", (int) timeout.toMillis());
        p.put("client.id", clientId);
        return p;
    }

    /** Keys, with values only for {@link #SHOWN} keys; the rest are {@code [hidden]}, as Kafka logs passwords. */
    @Override
    public String toString() {
        return "KafkaClientConfig" + redacted(values);
    }

    /**
     * {@code settings} as text for a {@code toString()}: values only for {@link #SHOWN} keys and for keys that hold
     * no secret by their name (no {@code password}, {@code jaas}, {@code secret}, {@code key}, {@code token},
     * {@code credential}); the rest {@code [hidden]}.
     */
    public static String redacted(Map<String, ?> settings) {
        return settings.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (harmless(e.getKey()) ? e.getValue() : "[hidden]"))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static boolean harmless(String key) {
        if (SHOWN.contains(key)) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return !(k.startsWith("ssl.") || k.startsWith("sasl.") || k.startsWith("config.providers.") || k.contains("password")
                || k.contains("secret") || k.contains("key") || k.contains("token") || k.contains("credential"));
    }
}
