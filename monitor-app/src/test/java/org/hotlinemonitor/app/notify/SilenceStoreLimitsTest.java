package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hotlinemonitor.core.notify.Silence;
import org.junit.jupiter.api.Test;

/**
 * The store's bounds, on both of its ways in: {@link SilenceStore#add} (the API) refuses beyond them, and silences
 * arriving from the journal (the silences topic, which other instances, older versions or anyone with write access
 * fill) are skipped and counted beyond them, so that neither way grows the store without end.
 */
class SilenceStoreLimitsTest {

    private static final Instant START = Instant.parse("2023-04-10T01:00:00Z");
    private static final Instant END = Instant.parse("2023-04-10T03:00:00Z");
    private static final Instant CREATED = Instant.parse("2023-04-10T00:55:12.345Z");

    private static Silence silence(String id, List<String> channels, String comment) {
        return new Silence(id, channels, START, END, null, comment);
    }

    private static Silence silence(String id) {
        return silence(id, List.of("east-*"), "maintenance");
    }

    @Test
    void theApiAddsUpToTheLimitThenRefusesUntilOneIsRemoved() throws Exception {
        SilenceStore store = new SilenceStore(List.of(silence("from-file")));
        for (int i = 0; i < SilenceStore.MAX_API_SILENCES; i++) {
            assertThat(store.add(silence("s" + i), "ops", CREATED)).isEqualTo(SilenceStore.Addition.ADDED);
        }
        assertThat(store.apiCount()).isEqualTo(SilenceStore.MAX_API_SILENCES);
        assertThat(store.add(silence("one-more"), "ops", CREATED)).isEqualTo(SilenceStore.Addition.FULL);
        assertThat(store.add(silence("s0"), "ops", CREATED)).as("an existing id is still said to exist").isEqualTo(SilenceStore.Addition.EXISTS);
        assertThat(store.remove("s0")).isEqualTo(SilenceStore.Removal.REMOVED);
        assertThat(store.add(silence("one-more"), "ops", CREATED)).isEqualTo(SilenceStore.Addition.ADDED);
        assertThat(store.entries()).hasSize(SilenceStore.MAX_API_SILENCES + 1); // and the file's
    }

    @Test
    void theApiRefusesFieldsOverTheirLimits() {
        SilenceStore store = new SilenceStore(List.of());
        assertThatThrownBy(() -> store.add(silence("many", Collections.nCopies(SilenceStore.MAX_CHANNELS + 1, "east-*"), null), "ops", CREATED))
                .hasMessageContaining("channels: at most " + SilenceStore.MAX_CHANNELS);
        assertThatThrownBy(() -> store.add(silence("long", List.of("e*" + "x".repeat(SilenceStore.MAX_CHANNEL_LENGTH - 1)), null), "ops", CREATED))
                .hasMessageContaining("each entry at most " + SilenceStore.MAX_CHANNEL_LENGTH);
        assertThatThrownBy(() -> store.add(silence("wordy", List.of(), "x".repeat(SilenceStore.MAX_COMMENT + 1)), "ops", CREATED))
                .hasMessageContaining("comment: at most " + SilenceStore.MAX_COMMENT);
        assertThat(store.entries()).isEmpty();
    }

    @Test
    void theJournalsSilencesBeyondTheLimitAreSkippedAndCountedAndRemovalsMakeRoom() {
        SilenceStore store = new SilenceStore(List.of(silence("from-file")));
        for (int i = 0; i < SilenceStore.MAX_API_SILENCES + 5; i++) {
            store.apply("s" + i, SilenceStore.Entry.api(silence("s" + i), "ops", CREATED));
        }
        assertThat(store.apiCount()).isEqualTo(SilenceStore.MAX_API_SILENCES);
        assertThat(store.overLimit()).isEqualTo(5);
        assertThat(store.get("s" + SilenceStore.MAX_API_SILENCES)).isEmpty();
        // a replacement of one held is no addition
        store.apply("s1", SilenceStore.Entry.api(silence("s1", List.of("ship"), "moved"), "ops", CREATED));
        assertThat(store.get("s1").orElseThrow().silence().comment()).isEqualTo("moved");
        assertThat(store.overLimit()).isEqualTo(5);
        // a tombstone makes room for the next
        store.apply("s1", null);
        store.apply("late", SilenceStore.Entry.api(silence("late"), "ops", CREATED));
        assertThat(store.get("late")).isPresent();
        assertThat(store.apiCount()).isEqualTo(SilenceStore.MAX_API_SILENCES);
        // one over a field's limit is skipped whatever the count
        store.apply("late", null);
        store.apply("wordy", SilenceStore.Entry.api(silence("wordy", List.of(), "x".repeat(SilenceStore.MAX_COMMENT + 1)), "ops", CREATED));
        assertThat(store.get("wordy")).isEmpty();
        assertThat(store.overLimit()).isEqualTo(6);
    }

    @Test
    void recordsOverTheLimitsAreNotSilences() {
        List<String> channels = new ArrayList<>(Collections.nCopies(SilenceStore.MAX_CHANNELS + 1, "east-*"));
        byte[] many = SilenceRecords.toJson(SilenceStore.Entry.api(silence("many", channels, null), "ops", CREATED));
        assertThatThrownBy(() -> SilenceRecords.fromJson("many", many)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels: at most");
        byte[] wordy = SilenceRecords.toJson(SilenceStore.Entry.api(silence("wordy", List.of(), "x".repeat(SilenceStore.MAX_COMMENT + 1)),
                "ops", CREATED));
        assertThatThrownBy(() -> SilenceRecords.fromJson("wordy", wordy)).hasMessageContaining("comment: at most");
        byte[] creator = SilenceRecords.toJson(SilenceStore.Entry.api(silence("who"), "x".repeat(65), CREATED));
        assertThatThrownBy(() -> SilenceRecords.fromJson("who", creator)).hasMessageContaining("createdBy: at most 64");
        byte[] huge = ("{\"id\":\"big\",\"pad\":\"" + "x".repeat(SilenceRecords.MAX_VALUE) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SilenceRecords.fromJson("big", huge)).hasMessageContaining("bytes, more than");
        // the largest silence within the limits is read
        Silence largest = new Silence("x".repeat(64), Collections.nCopies(SilenceStore.MAX_CHANNELS, "가*" + "나".repeat(SilenceStore.MAX_CHANNEL_LENGTH - 2)),
                START, END, null, "다".repeat(SilenceStore.MAX_COMMENT));
        byte[] json = SilenceRecords.toJson(SilenceStore.Entry.api(largest, "o".repeat(64), CREATED));
        assertThat(json.length).isLessThan(12 * 1024);
        assertThat(SilenceRecords.fromJson("x".repeat(64), json).silence()).isEqualTo(largest);
    }
}
