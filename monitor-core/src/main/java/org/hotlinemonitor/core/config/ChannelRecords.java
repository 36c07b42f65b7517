package org.hotlinemonitor.core.config;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.codec.JsonStrings;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.schedule.Cron;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * One channel as one record of a channels topic: its id as the key, and as the value the channel written alone as a
 * JSON object with the keys of a channel file's item, every setting spelt out (no {@code defaults} to fall back on):
 * <pre>{@code
 * {"id":"liaison-office","name":"Liaison office","zone":"Asia/Seoul","checks":["09:00","16:00"],"days":["MON","TUE"],
 *  "answerWithin":"PT1H","downAfter":2}
 * {"id":"east-coast","name":"east-coast","zone":"Asia/Seoul","cron":"0 9,16 * * *","answerWithin":"PT1H","downAfter":2}
 * }</pre>
 * A record without a value (a tombstone) removes the channel. {@link #read} checks a value with the channel file's
 * rules ({@link ConfigLoader#channel(String, String)}), so a record is refused for what a file would be.
 *
 * <p>Thread-safety: stateless.
 */
public final class ChannelRecords {

    private ChannelRecords() {
    }

    /** The value of {@code channel}'s record: reading it back gives an equal channel. */
    public static String toJson(Channel channel) {
        Schedule s = channel.schedule();
        StringBuilder json = new StringBuilder(160);
        json.append("{\"id\":").append(JsonStrings.quote(channel.id()))
                .append(",\"name\":").append(JsonStrings.quote(channel.name()))
                .append(",\"zone\":").append(JsonStrings.quote(s.zone().getId()));
        String cron = Cron.expressionOf(s);
        if (cron != null) {
            json.append(",\"cron\":").append(JsonStrings.quote(cron));
        } else {
            json.append(",\"checks\":[").append(s.times().stream().map(t -> JsonStrings.quote(t.toString()))
                    .collect(Collectors.joining(","))).append(']');
            if (s.days() instanceof DayRule.DaysOfWeek d && d.days().size() < 7) {
                json.append(",\"days\":[").append(d.days().stream().sorted().map(day -> JsonStrings.quote(ConfigLoader.abbreviation(day)))
                        .collect(Collectors.joining(","))).append(']');
            }
        }
        json.append(",\"answerWithin\":").append(JsonStrings.quote(channel.answerWithin().toString()))
                .append(",\"downAfter\":").append(channel.downAfter()).append('}');
        return json.toString();
    }

    /** {@link #toJson} as UTF-8 bytes. */
    public static byte[] value(Channel channel) {
        return toJson(channel).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The channel of a record, checked as a channel file's item is, and its id equal to the record's key.
     *
     * @param source how problems name the record: the topic, partition and offset, say
     * @throws ConfigException naming every problem, its line, column and field ({@code channel.checks[1]}, {@code key})
     */
    public static Channel read(String source, String key, byte[] value) throws ConfigException {
        String text = new String(value, StandardCharsets.UTF_8);
        Channel channel = ConfigLoader.channel(source, text);
        if (!channel.id().equals(key)) {
            throw new ConfigException(java.util.List.of(new ConfigProblem(source, 1, 1, "key",
                    "the record's key '" + key + "' is not its channel's id '" + channel.id()
                            + "'; key each record by the id of the channel in it")));
        }
        return channel;
    }
}
