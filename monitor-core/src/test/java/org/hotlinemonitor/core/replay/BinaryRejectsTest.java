package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused line that is not valid UTF-8 is kept as its base64, so that its bytes can be recovered exactly. */
class BinaryRejectsTest {

    @TempDir
    Path tmp;

    @Test
    void binaryGarbageIsKeptAsBase64AndTextAsText() throws Exception {
        List<String> log = Files.readAllLines(Path.of("../examples/april-2023.jsonl")).subList(0, 20);
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0xc3, 0x28, 'x', (byte) 0x80, '\r', 0x7f, (byte) 0xed,
            (byte) 0xa0, (byte) 0x80};
        String text = "not json: \u00e9t\u00e9 \u2603";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < log.size(); i++) {
            if (i == 5) {
                bytes.write(garbage);
                bytes.write('\n');
            }
            if (i == 9) {
                bytes.write(text.getBytes(StandardCharsets.UTF_8));
                bytes.write('\n');
            }
            bytes.write(log.get(i).getBytes(StandardCharsets.UTF_8));
            bytes.write('\n');
        }
        Path file = tmp.resolve("garbled.jsonl");
        Files.write(file, bytes.toByteArray());

        List<RejectRecord> rejects = new ArrayList<>();
        new Replay(new Replay.Options(ConfigLoader.load(Path.of("../examples/channels.yaml")), Duration.ofMinutes(5), null,
                false), a -> { }, rejects::add, Replay.Progress.NONE)
                .run(List.of(LogInput.of(file.toString(), null)), InputStream.nullInputStream());

        assertThat(rejects).extracting(RejectRecord::line).containsExactly(6L, 11L);
        RejectRecord binary = rejects.get(0);
        // The reader strips the '\r' of a "\r\n" line end only: this one is inside the line, and kept.
        assertThat(binary.rawBase64()).isTrue();
        assertThat(binary.rawBytes()).isEqualTo(garbage);
        JsonNode json = new ObjectMapper().readTree(Rejects.toJson(binary));
        assertThat(json.has("raw")).isFalse();
        assertThat(Base64.getDecoder().decode(json.get("rawBase64").asText())).isEqualTo(garbage);

        RejectRecord readable = rejects.get(1);
        assertThat(readable.rawBase64()).isFalse();
        JsonNode textJson = new ObjectMapper().readTree(Rejects.toJson(readable));
        assertThat(textJson.get("raw").asText()).isEqualTo(text);
        assertThat(textJson.has("rawBase64")).isFalse();
    }

    @Test
    void rawKeepsTextAndFallsBackToBase64ForAnyInvalidUtf8() {
        assertThat(RejectRecord.Raw.of("caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new RejectRecord.Raw("caf\u00e9 \ud83d\ude00", false));
        // A lone surrogate encoded (CESU style), an overlong '/', a cut multi-byte sequence: none is UTF-8.
        for (byte[] bad : List.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {'a', (byte) 0xe2, (byte) 0x98})) {
            RejectRecord.Raw raw = RejectRecord.Raw.of(bad);
            assertThat(raw.base64()).isTrue();
            assertThat(Base64.getDecoder().decode(raw.value())).isEqualTo(bad);
        }
        assertThat(RejectRecord.Raw.of(null)).isEqualTo(RejectRecord.Raw.EMPTY);
    }
}
