package org.hotlinemonitor.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.junit.jupiter.api.Test;

class DeliveryKeysTest {

    private static final Instant SINCE = Instant.parse("2023-04-07T08:00:00Z");

    @Test
    void anOutageHasOneKeyFromDownToRestored() {
        Alert down = Alert.channelDown("liaison-office", SINCE, Instant.parse("2023-04-10T01:00:00Z"), 2);
        Alert restored = Alert.channelRestored("liaison-office", SINCE, Instant.parse("2023-04-11T00:02:10Z"), 3);
        assertThat(DeliveryKeys.of(down)).isEqualTo("hotline/liaison-office/outage/2023-04-07T08:00:00Z")
                .isEqualTo(DeliveryKeys.of(restored));
        Alert nextOutage = Alert.channelDown("liaison-office", Instant.parse("2023-05-01T00:00:00Z"),
                Instant.parse("2023-05-02T01:00:00Z"), 2);
        assertThat(DeliveryKeys.of(nextOutage)).isNotEqualTo(DeliveryKeys.of(down));
    }

    @Test
    void otherAlertsAreKeyedByTheirId() {
        Alert missed = Alert.slotMissed("a", SINCE, SINCE.plusSeconds(3600), MissCause.NO_ANSWER);
        assertThat(DeliveryKeys.of(missed)).isEqualTo("hotline/a/SLOT_MISSED/2023-04-07T08:00:00Z");
    }

    @Test
    void aGroupsKeyDependsOnItsMembersAndTheirOrder() {
        Instant at = Instant.parse("2023-04-10T01:00:00Z");
        Alert a = Alert.channelDown("a", SINCE, at, 2);
        Alert b = Alert.channelDown("b", SINCE, at, 2);
        String ab = DeliveryKeys.of(List.of(a, b));
        assertThat(ab).startsWith("hotline/group/CHANNEL_DOWN/2023-04-10T01:00:00Z/").hasSize(
                "hotline/group/CHANNEL_DOWN/2023-04-10T01:00:00Z/".length() + 12);
        assertThat(DeliveryKeys.of(List.of(a, b))).isEqualTo(ab);
        assertThat(DeliveryKeys.of(List.of(b, a))).isNotEqualTo(ab);
        assertThat(DeliveryKeys.of(List.of(a))).isEqualTo(DeliveryKeys.of(a));
    }

    @Test
    void anIdempotencyKeyIsOneDeliverysOwnSoARestoredIsNotTakenForItsDown() {
        Alert down = Alert.channelDown("liaison-office", SINCE, Instant.parse("2023-04-10T01:00:00Z"), 2);
        Alert restored = Alert.channelRestored("liaison-office", SINCE, Instant.parse("2023-04-11T00:02:10Z"), 3);
        assertThat(DeliveryKeys.idempotencyKey(List.of(down)))
                .isEqualTo("hotline/liaison-office/CHANNEL_DOWN/2023-04-07T08:00:00Z")
                .isNotEqualTo(DeliveryKeys.idempotencyKey(List.of(restored)));
        assertThat(DeliveryKeys.idempotencyKey(List.of(restored)))
                .isEqualTo("hotline/liaison-office/CHANNEL_RESTORED/2023-04-07T08:00:00Z");
        Alert other = Alert.channelDown("b", SINCE, Instant.parse("2023-04-10T01:00:00Z"), 2);
        assertThat(DeliveryKeys.idempotencyKey(List.of(down, other))).isEqualTo(DeliveryKeys.of(List.of(down, other)));
    }
}
