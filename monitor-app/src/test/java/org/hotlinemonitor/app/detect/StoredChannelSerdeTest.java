package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotlinemonitor.core.model.Millis.NONE;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.OpenSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoredChannelSerdeTest {

    static final long T = 1_680_825_600_000L; // 2023-04-07T00:00:00Z

    static Stream<StoredChannel> states() {
        return Stream.of(
                new StoredChannel(42L, ChannelState.initial(T, T + 3_600_000)),
                new StoredChannel(-1L, ChannelState.initial(T, NONE)), // a schedule that has ended
                new StoredChannel(Long.MIN_VALUE, new ChannelState(T, T, ChannelStatus.UP, 0, NONE, T - 5_000,
                        T, OpenSlot.SEEN_PLACED | OpenSlot.SEEN_ANSWER, T + 41_000, List.of())),
                new StoredChannel(7L, new ChannelState(T + 1, T, ChannelStatus.DOWN, 300, T - 86_400_000L * 150,
                        NONE, T, OpenSlot.SEEN_FAULT, NONE, List.of(
                                new OpenSlot(T + 1_800_000, OpenSlot.SEEN_PLACED, NONE),
                                new OpenSlot(T + 3_600_000, OpenSlot.SEEN_ANSWER | OpenSlot.SEEN_NO_ANSWER, T + 3_000_000)))),
                new StoredChannel(0L, new ChannelState(-86_400_000L, -90_000_000L, ChannelStatus.MISSED, 1,
                        -90_000_000L, -100_000_000L, -90_000_000L, OpenSlot.SEEN_NO_ANSWER, NONE,
                        List.of(new OpenSlot(-80_000_000L, 0, -80_000_001L)))),
                new StoredChannel(9L, new ChannelState(T + 1, T, ChannelStatus.MISSED, 1, T - 86_400_000L, NONE, T,
                        OpenSlot.SEEN_PLACED | OpenSlot.SEEN_FAULT, NONE, List.of(
                                new OpenSlot(T + 1_800_000, OpenSlot.SEEN_PLACED, NONE, List.of("scheduler")),
                                new OpenSlot(T + 3_600_000, OpenSlot.SEEN_ANSWER, T + 3_000_000, List.of())),
                        List.of("op-\uc11c\uc6b8", "scheduler"))));
    }

    /** Version 1, as written before sources were kept: state 3 of {@link #states()}. */
    private static final String VERSION_1 = "0100000000000000070317ac020000018759034801000001875903480000000184548960000"
            + "000018759034800040200000187591ebf40010000000187593a36800a010000018759310ec0";

    @Test
    void readsVersion1AsStatesWithoutSources() {
        StoredChannel expected = states().toList().get(3);
        byte[] v1 = java.util.HexFormat.of().parseHex(VERSION_1);
        assertThat(StoredChannelSerde.fromBytes(v1)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("states")
    void roundTrips(StoredChannel s) {
        byte[] bytes = StoredChannelSerde.toBytes(s);
        assertThat(bytes[0]).as("version first").isEqualTo((byte) 2);
        assertThat(StoredChannelSerde.fromBytes(bytes)).isEqualTo(s);
        StoredChannelSerde serde = new StoredChannelSerde();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", s))).isEqualTo(s);
    }

    @Test
    void isCompact() {
        assertThat(StoredChannelSerde.toBytes(new StoredChannel(42L, ChannelState.initial(T, T + 3_600_000))))
                .hasSize(1 + 8 + 1 + 1 + 1 + 8 + 8 + 1 + 1 + 1);
    }

    @Test
    void nullIsNull() {
        StoredChannelSerde serde = new StoredChannelSerde();
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void refusesAnUnknownVersionTruncationAndTrailingBytes() {
        byte[] bytes = StoredChannelSerde.toBytes(states().toList().get(3));
        byte[] v3 = bytes.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> StoredChannelSerde.fromBytes(v3))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 3");
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> StoredChannelSerde.fromBytes(cut)).isInstanceOf(SerializationException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> StoredChannelSerde.fromBytes(longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing");
    }
}
