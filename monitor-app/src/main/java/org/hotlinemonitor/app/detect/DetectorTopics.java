package org.hotlinemonitor.app.detect;

import java.util.Objects;

/**
 * The three topics of the detector.
 *
 * @param events  call-check events, one JSON object per record (docs/formats.md), key = channel id
 *                (heartbeats: any key)
 * @param alerts  alerts as canonical JSON ({@code AlertCodec}), key = channel id
 * @param rejects dead letters: the refused record's original key and value, with headers naming the reason,
 *                source topic, partition and offset ({@link DeadLetters})
 */
public record DetectorTopics(String events, String alerts, String rejects) {

    /** {@code hotline.events}, {@code hotline.alerts}, {@code hotline.rejects}. */
    public static final DetectorTopics DEFAULT = new DetectorTopics("hotline.events", "hotline.alerts", "hotline.rejects");

    public DetectorTopics {
        check(events, "events");
        check(alerts, "alerts");
        check(rejects, "rejects");
        if (events.equals(alerts) || events.equals(rejects) || alerts.equals(rejects)) {
            throw new IllegalArgumentException("the events, alerts and rejects topics must differ, were "
                    + events + ", " + alerts + ", " + rejects);
        }
    }

    private static void check(String topic, String what) {
        Objects.requireNonNull(topic, what);
        if (topic.isBlank()) {
            throw new IllegalArgumentException(what + " topic must not be blank");
        }
    }
}
