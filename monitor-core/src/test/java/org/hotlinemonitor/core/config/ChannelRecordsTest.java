package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;

class ChannelRecordsTest {

    private static final String SOURCE = "hotline.channels partition 0 offset 7";

    @Test
    void everyExampleChannelReadsBackEqualFromItsRecord() throws Exception {
        MonitorConfig config = ConfigLoader.load(Path.of("../examples/channels.yaml"));
        assertThat(config.channels()).hasSizeGreaterThan(3);
        boolean sawCron = false;
        boolean sawDays = false;
        for (Channel c : config.channels()) {
            String json = ChannelRecords.toJson(c);
            sawCron |= json.contains("\"cron\"");
            sawDays |= json.contains("\"days\"");
            Channel back = ChannelRecords.read(SOURCE, c.id(), json.getBytes(StandardCharsets.UTF_8));
            assertThat(back).as(json).isEqualTo(c);
        }
        assertThat(sawCron).as("the examples have a cron channel").isTrue();
        assertThat(sawDays).as("the examples have a channel on some days only").isTrue();
    }

    @Test
    void aRecordNamesItsProblemsWithSourceLineColumnAndField() {
        ConfigException e = catchThrowableOfType(() -> ChannelRecords.read(SOURCE, "a", """
                {"id": "a",
                 "zone": "Asia/Seol",
                 "checks": ["09:00", "25:00"]}""".getBytes(StandardCharsets.UTF_8)), ConfigException.class);
        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactly("channel.zone", "channel.checks[1]");
        assertThat(e.problems().get(0).file()).isEqualTo(SOURCE);
        assertThat(e.problems().get(0).line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("Asia/Seoul").contains("25:00");
    }

    @Test
    void unknownKeysMissingZoneBadJsonAndAForeignKeyAreRefused() {
        ConfigException unknown = catchThrowableOfType(() -> read("a",
                "{\"id\":\"a\",\"zone\":\"UTC\",\"checks\":[\"09:00\"],\"silentAfter\":\"PT1M\"}"), ConfigException.class);
        assertThat(unknown.problems()).extracting(ConfigProblem::field).containsExactly("channel.silentAfter");
        assertThat(unknown.getMessage()).contains("top-level setting");

        ConfigException noZone = catchThrowableOfType(() -> read("a", "{\"id\":\"a\",\"checks\":[\"09:00\"]}"),
                ConfigException.class);
        assertThat(noZone.problems()).extracting(ConfigProblem::field).containsExactly("channel.zone");

        ConfigException malformed = catchThrowableOfType(() -> read("a", "{\"id\":\"a\","), ConfigException.class);
        assertThat(malformed.problems()).hasSize(1);
        assertThat(malformed.problems().get(0).file()).isEqualTo(SOURCE);

        ConfigException empty = catchThrowableOfType(() -> read("a", ""), ConfigException.class);
        assertThat(empty.getMessage()).contains("empty");

        ConfigException foreign = catchThrowableOfType(() -> read("b", "{\"id\":\"a\",\"zone\":\"UTC\",\"checks\":[\"09:00\"]}"),
                ConfigException.class);
        assertThat(foreign.problems()).extracting(ConfigProblem::field).containsExactly("key");
        assertThat(foreign.getMessage()).contains("'b'").contains("'a'");
    }

    @Test
    void theBuiltInDefaultsApplyToARecordThatLeavesThemOut() throws Exception {
        Channel c = read("a", "{\"id\":\"a\",\"zone\":\"UTC\",\"checks\":[\"09:00\"]}");
        assertThat(c.answerWithin()).isEqualTo(ConfigLoader.DEFAULT_ANSWER_WITHIN);
        assertThat(c.downAfter()).isEqualTo(ConfigLoader.DEFAULT_DOWN_AFTER);
        assertThat(c.name()).isEqualTo("a");
    }

    private static Channel read(String key, String json) throws ConfigException {
        return ChannelRecords.read(SOURCE, key, json.getBytes(StandardCharsets.UTF_8));
    }
}
