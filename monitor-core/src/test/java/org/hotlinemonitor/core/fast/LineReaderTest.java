package org.hotlinemonitor.core.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<String> lines(byte[] bytes) throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream(bytes));
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.text());
        }
        return out;
    }

    @Test
    void findsEveryLineEndWhateverItsPositionInAWord() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<String> expected = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int len = random.nextInt(30);
                StringBuilder line = new StringBuilder();
                // Bytes close to '\n' (0x0A) in value (tab 0x09, 0x0B, 0x0C; U+00CA is C3 8A in UTF-8),
                // which a word-at-a-time search must not mistake for it.
                String alphabet = "\t\u000b\u000ca{\u00ca";
                for (int j = 0; j < len; j++) {
                    line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                expected.add(line.toString());
                text.append(line).append('\n');
            }
            assertThat(lines(text.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        }
    }
}
