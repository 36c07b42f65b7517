package org.hotlinemonitor.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.junit.jupiter.api.Test;

class AlertGroupsTest {

    private static final Instant SINCE = Instant.parse("2023-04-07T08:00:00Z");
    private static final Instant T1 = Instant.parse("2023-04-10T01:00:00Z");
    private static final Instant T2 = Instant.parse("2023-04-10T08:00:00Z");

    private static Alert down(String channel, Instant at) {
        return Alert.channelDown(channel, SINCE, at, 2);
    }

    private static Alert missed(String channel, Instant at) {
        return Alert.slotMissed(channel, at.minusSeconds(3600), at, MissCause.NO_ANSWER);
    }

    private static Alert restored(String channel, Instant at) {
        return Alert.channelRestored(channel, SINCE, at, 3);
    }

    private static List<List<String>> plan(List<Alert> batch, boolean grouping) {
        return AlertGroups.plan(batch, Function.identity(), grouping, a -> true).stream()
                .map(group -> group.stream().map(a -> a.channel() + ":" + a.type()).toList()).toList();
    }

    @Test
    void alertsOfOneEvaluationMakeOnePage() {
        List<Alert> batch = List.of(down("a", T1), down("b", T1), down("c", T1));
        assertThat(plan(batch, true)).containsExactly(List.of("a:CHANNEL_DOWN", "b:CHANNEL_DOWN", "c:CHANNEL_DOWN"));
        assertThat(plan(batch, false)).hasSize(3);
    }

    @Test
    void differentTypesOrInstantsAreDifferentPages() {
        List<Alert> batch = List.of(missed("a", T1), down("b", T1), missed("c", T1), missed("d", T2));
        assertThat(plan(batch, true)).containsExactly(
                List.of("a:SLOT_MISSED", "c:SLOT_MISSED"),
                List.of("b:CHANNEL_DOWN"),
                List.of("d:SLOT_MISSED"));
    }

    @Test
    void neverSendsAChannelsAlertBeforeAnEarlierOneOfTheSameChannel() {
        // b's RESTORED is read before a's DOWN... but a has an earlier DOWN before its own RESTORED.
        // Partition 1: a DOWN(T1), a RESTORED(T2); partition 2: b RESTORED(T2), b DOWN(T1) (a new outage)
        List<Alert> batch = List.of(down("a", T1), restored("a", T2), restored("b", T2), down("b", T1));
        List<List<String>> plan = plan(batch, true);
        assertThat(plan).containsExactly(
                List.of("a:CHANNEL_DOWN"),                        // b's DOWN is not b's oldest: not with it
                List.of("a:CHANNEL_RESTORED", "b:CHANNEL_RESTORED"),
                List.of("b:CHANNEL_DOWN"));
    }

    @Test
    void everyItemExactlyOnceAndChannelOrderKeptOnAnyMix() {
        List<Alert> batch = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            String channel = "c" + random.nextInt(8);
            Instant at = random.nextBoolean() ? T1 : T2;
            batch.add(switch (random.nextInt(3)) {
                case 0 -> down(channel, at);
                case 1 -> missed(channel, at);
                default -> restored(channel, at);
            });
        }
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.add(i);
        }
        List<List<Integer>> plan = AlertGroups.plan(positions, batch::get, true, a -> true);
        Map<String, Integer> lastOfChannel = new HashMap<>();
        List<Integer> seen = new ArrayList<>();
        for (List<Integer> group : plan) {
            assertThat(group).isNotEmpty();
            Alert first = batch.get(group.get(0));
            for (int position : group) {
                Alert alert = batch.get(position);
                assertThat(alert.type()).isEqualTo(first.type());
                assertThat(alert.at()).isEqualTo(first.at());
                Integer last = lastOfChannel.put(alert.channel(), position);
                assertThat(last == null || last < position).as("channel order of %s", alert.channel()).isTrue();
                seen.add(position);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(positions);
        assertThat(plan.size()).isLessThan(batch.size()); // something was grouped
    }

    @Test
    void anAlertThatMustGoAloneGoesAlone() {
        List<Alert> batch = List.of(down("a", T1), down("b", T1), missed("c", T1), missed("d", T1));
        List<List<Alert>> plan = AlertGroups.plan(batch, Function.identity(), true,
                a -> a.type() != AlertType.CHANNEL_DOWN);
        assertThat(plan).extracting(List::size).containsExactly(1, 1, 2);
    }
}
