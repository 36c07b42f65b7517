package org.hotlinemonitor.app.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.DeliveryKeys;

/**
 * A generic webhook: {@code POST <url>} with the body {@code {"key":"<idempotency key>","alerts":[<alert>,...]}},
 * each alert exactly as on the alerts topic ({@link AlertCodec}), one or a group. The key is the delivery's own
 * ({@link DeliveryKeys#idempotencyKey}): the same on a redelivery, different for every other page (a
 * {@code CHANNEL_RESTORED} has its own, not its {@code CHANNEL_DOWN}'s), so a receiver may drop a key it has seen.
 * Headers:
 * <ul>
 *   <li>{@value #SIGNATURE}: {@code sha256=<hex>}, the HMAC-SHA256 of the exact body bytes under the shared secret;
 *       the receiver computes it over the bytes it received and compares in constant time;</li>
 *   <li>{@value #IDEMPOTENCY_KEY}: the same key as the body's.</li>
 * </ul>
 */
public final class WebhookFormat implements PageFormat {

    public static final String SIGNATURE = "X-Signature";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final URI url;
    private final Secret secret;

    public WebhookFormat(URI url, Secret secret) {
        this.url = url;
        this.secret = secret;
    }

    /** {@inheritDoc} The incident {@code key} is not used: a webhook gets the delivery's idempotency key. */
    @Override
    public Page build(List<Alert> alerts, String key) {
        String idempotencyKey = DeliveryKeys.idempotencyKey(alerts);
        StringBuilder body = new StringBuilder(256 * alerts.size());
        body.append("{\"key\":");
        org.hotlinemonitor.core.codec.JsonStrings.appendQuoted(body, idempotencyKey);
        body.append(",\"alerts\":[");
        for (int i = 0; i < alerts.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            AlertCodec.appendJson(body, alerts.get(i));
        }
        body.append("]}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        return new Page(url, bytes, Map.of(SIGNATURE, signature(secret.value(), bytes), IDEMPOTENCY_KEY, idempotencyKey));
    }

    /** {@code sha256=<lower-case hex HMAC-SHA256 of body under secret>}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
