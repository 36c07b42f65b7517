package org.hotlinemonitor.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

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
 * <p>Those are incident keys: a trigger and its resolve share one, as PagerDuty's {@code dedup_key} wants. A receiver
 * that drops a delivery whose key it has seen (a webhook's {@code Idempotency-Key}) needs a key per delivery instead,
 * or it would drop the {@code CHANNEL_RESTORED} as a copy of its {@code CHANNEL_DOWN}: {@link #idempotencyKey(List)}.
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

    /**
     * The key of a delivery of {@code alerts} for receivers that drop repeated keys: the same on every redelivery of the
     * same page, different for every other page. One alert: {@code hotline/<id>} (a {@code CHANNEL_RESTORED} and its
     * {@code CHANNEL_DOWN} differ); a group: its group key, already made of the members' ids.
     */
    public static String idempotencyKey(List<Alert> alerts) {
        if (alerts.size() == 1) {
            return "hotline/" + alerts.get(0).id();
        }
        return of(alerts);
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
