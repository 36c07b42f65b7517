package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.ingest.Rejection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report's JSON and Markdown forms are written as they are built, a channel at a time: the writer gets small
 * pieces however many channels there are, and the bytes are those of the whole report built in memory.
 */
class StreamedReportTest {

    private static final int CHANNELS = 3_000;
    private static ReplayReport report;

    @BeforeAll
    static void replay() throws Exception {
        SyntheticLog log = new SyntheticLog(CHANNELS, 3, 7, LocalDate.of(2023, 4, 3));
        StringWriter events = new StringWriter();
        log.write(events);
        Replay replay = new Replay(new Replay.Options(log.config(), Duration.ofMinutes(5), null, false),
                a -> { }, r -> { }, Replay.Progress.NONE);
        InputStream in = new ByteArrayInputStream(events.toString().getBytes(StandardCharsets.UTF_8));
        report = replay.run(List.of(LogInput.of("-", null)), in);
    }

    @Test
    void rejectsByReasonComeInTheOrderOfTheReasonsNamesEveryTime() {
        ReplayReport r = new ReplayReport(new SyntheticLog(2, 1, 1, LocalDate.of(2023, 4, 3)).config());
        for (String reason : List.of("unknown-channel", "late", "malformed", "beyond-until", "late", "invalid-field")) {
            r.rejected(new Rejection(reason, null, "x"));
        }
        assertThat(r.rejectsByReason().keySet()).containsExactly("beyond-until", "invalid-field", "late", "malformed",
                "unknown-channel");
        assertThat(r.rejectsByReason()).containsEntry("late", 2L);
        assertThat(r.rejects()).isEqualTo(6);
    }

    @Test
    void theStreamedJsonIsTheWholeTreePrettyPrintedAndComesInSmallPieces() throws IOException {
        String whole = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toTree()) + "\n";
        Pieces out = new Pieces();
        report.writeJson(out, ReplayReport.JsonExtras.NONE);

        assertThat(out.text()).isEqualTo(whole);
        assertThat(whole.length()).as("a report worth streaming").isGreaterThan(1_000_000);
        assertThat(out.largest).as("the largest piece handed to the writer").isLessThanOrEqualTo(16_384);
        assertThat(report.toJson()).isEqualTo(whole);
    }

    @Test
    void extrasAreAddedToEachChannelAndToTheInputAsTheyAreWritten() throws IOException {
        StringWriter out = new StringWriter();
        report.writeJson(out, new ReplayReport.JsonExtras() {
            @Override
            public void input(Map<String, Object> input) {
                input.put("extra", "in");
            }

            @Override
            public void channel(Map<String, Object> channel) {
                channel.put("extra", channel.get("id") + "!");
            }
        });
        Map<?, ?> tree = new ObjectMapper().readValue(out.toString(), Map.class);
        List<?> channels = (List<?>) tree.get("channels");
        assertThat(channels).hasSize(CHANNELS);
        assertThat(((Map<?, ?>) channels.get(41)).get("extra")).isEqualTo("line-00042!");
        assertThat(((Map<?, ?>) tree.get("input")).get("extra")).isEqualTo("in");
    }

    @Test
    void theMarkdownComesARowAtATime() throws IOException {
        Pieces out = new Pieces();
        report.writeMarkdown(out);

        assertThat(out.text()).isEqualTo(report.toMarkdown());
        assertThat(out.text()).contains("| line-03000 |", "## Outages");
        assertThat(out.text().length()).isGreaterThan(200_000);
        assertThat(out.largest).as("the largest piece handed to the writer").isLessThanOrEqualTo(4_096);
    }

    /** A writer that keeps what it is given and the size of the largest piece. */
    private static final class Pieces extends Writer {
        private final StringBuilder all = new StringBuilder();
        int largest;

        @Override
        public void write(char[] buf, int off, int len) {
            largest = Math.max(largest, len);
            all.append(buf, off, len);
        }

        @Override
        public Writer append(CharSequence s) {
            largest = Math.max(largest, s.length());
            all.append(s);
            return this;
        }

        @Override
        public void write(String s, int off, int len) {
            largest = Math.max(largest, len);
            all.append(s, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String text() {
            return all.toString();
        }
    }
}
