package org.hotlinemonitor.app.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * What one kind of pager wants to receive: the request for a page of one or more alerts. Pure: no I/O, no clock;
 * the same alerts always make the same bytes.
 */
public interface PageFormat {

    /**
     * The request for {@code alerts}.
     *
     * @param alerts one, or a group from {@link org.hotlinemonitor.core.notify.AlertGroups} (same type and instant)
     * @param key    the delivery's dedup key ({@link org.hotlinemonitor.core.notify.DeliveryKeys#of(List)})
     */
    Page build(List<Alert> alerts, String key);

    /** Whether {@code alert} may share a page with others; true unless the pager needs it alone. */
    default boolean groupable(Alert alert) {
        return true;
    }

    /** The shared JSON writer (thread-safe once configured). */
    ObjectMapper JSON = new ObjectMapper();

    /** {@code value} as JSON bytes. */
    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a tree of strings as JSON", e);
        }
    }
}
