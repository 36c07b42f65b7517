package org.hotlinemonitor.core.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys under which a pager deduplicates deliveries, derived from the alerts' identity alone, so that a
 * redelivery (after a crash between delivering and committing) is recognised by the receiver and pages nobody
 * twice.
 *
 * <ul>
 *   <li>An outage, {@code CHANNEL_DOWN} and the {@code CHANNEL_RESTORED} that ends it, has one key:
 *       {@code hotline/<channel>/outage/<since>}. PagerDuty resolves the incident the trigger opened.</li>
 *   <li>A silence of our own side, {@code OUR_SIDE_SILENT} and the {@code OUR_SIDE_RESUMED} that ends it, likewise:
 *       {@code hotline/our-side/silence/<last heartbeat>}.</li>
 *   <li>Any other alert: {@code hotline/<id>} ({@code hotline/<channel>/SLOT_MISSED/<slot>}).</li>
 *   <li>A group of several alerts: {@code hotline/group/<TYPE>/<at>/<hash>}, the hash (12 hex digits of SHA-256)
 *       over the members' ids in order, so that the same group delivered again has the same key.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
public final class DeliveryKeys {

    private DeliveryKeys() {
    }

    /** The key of one alert. */
    public static String of(Alert alert) {
        return switch (alert.type()) {
            case CHANNEL_DOWN, CHANNEL_RESTORED -> "hotline/" + alert.channel() + "/outage/" + alert.since();
            case OUR_SIDE_SILENT, OUR_SIDE_RESUMED -> "hotline/" + alert.channel() + "/silence/" + alert.since();
            case SLOT_MISSED, CALL_NOT_PLACED -> "hotline/" + alert.id();
        };
    }

    /** The key of a delivery of {@code alerts} (one or more, as {@link AlertGroups} made them). */
    public static String of(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("no alerts");
        }
        if (alerts.size() == 1) {
            return of(alerts.get(0));
        }
        Alert first = alerts.get(0);
        return "hotline/group/" + first.type() + "/" + first.at() + "/" + hash(alerts);
    }

    private static String hash(List<Alert> alerts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Alert alert : alerts) {
                sha.update(alert.id().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
