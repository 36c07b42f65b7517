package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonStringsTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("", "\"\""),
                Arguments.of("plain", "\"plain\""),
                Arguments.of("say \"hi\"", "\"say \\\"hi\\\"\""),
                Arguments.of("C:\\dir", "\"C:\\\\dir\""),
                Arguments.of("a/b", "\"a/b\""),
                Arguments.of("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
                Arguments.of("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\""),
                Arguments.of("\u007f \u00e9 \u4e2d \u2028", "\"\u007f \u00e9 \u4e2d \u2028\""),
                Arguments.of("\ud83d\ude00", "\"\ud83d\ude00\""),
                Arguments.of("lone \ud800 high", "\"lone \\ud800 high\""),
                Arguments.of("lone \udc00 low", "\"lone \\udc00 low\""),
                Arguments.of("reversed \udc00\ud800", "\"reversed \\udc00\\ud800\""),
                Arguments.of("trailing \ud83d", "\"trailing \\ud83d\""));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void escapesOnlyWhatJsonRequires(String input, String expected) throws Exception {
        assertThat(JsonStrings.quote(input)).isEqualTo(expected);
        StringBuilder sb = new StringBuilder("x=");
        JsonStrings.appendQuoted(sb, input);
        assertThat(sb).hasToString("x=" + expected);
        assertThat(JACKSON.readValue(expected, String.class)).isEqualTo(input);
    }

    @Property(tries = 1000)
    void jacksonReadsBackAnyString(@ForAll String s) throws Exception {
        assertThat(JACKSON.readValue(JsonStrings.quote(s), String.class)).isEqualTo(s);
    }
}
