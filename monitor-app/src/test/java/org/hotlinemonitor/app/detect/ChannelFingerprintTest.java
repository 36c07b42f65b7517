package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelFingerprintTest {

    static final String BASE = "{id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 2}";

    static Channel channel(String yamlEntry) {
        return Harness.config("channels:\n  - " + yamlEntry + "\n").channels().get(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            same text                 | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 2}     | true
            other name                | {id: line, name: Other, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 2}    | true
            times and days reordered  | {id: line, name: Line, zone: Asia/Seoul, checks: ['17:00', '09:00'], days: [FRI, THU, WED, TUE, MON], answerWithin: PT1H, downAfter: 2} | true
            same window written else  | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT60M, downAfter: 2}    | true
            other check time          | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '16:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 2}     | false
            other days                | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], answerWithin: PT1H, downAfter: 2}                      | false
            other zone                | {id: line, name: Line, zone: Asia/Tokyo, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 2}     | false
            other answerWithin        | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT30M, downAfter: 2}    | false
            other downAfter           | {id: line, name: Line, zone: Asia/Seoul, checks: ['09:00', '17:00'], days: [MON-FRI], answerWithin: PT1H, downAfter: 3}     | false
            cron instead of checks    | {id: line, name: Line, zone: Asia/Seoul, cron: '0 9,17 * * MON-FRI', answerWithin: PT1H, downAfter: 2}                      | false
            """)
    void changesWithWhatTheStateDependsOn(String what, String other, boolean same) {
        assertThat(ChannelFingerprint.of(channel(other)) == ChannelFingerprint.of(channel(BASE))).isEqualTo(same);
    }
}
