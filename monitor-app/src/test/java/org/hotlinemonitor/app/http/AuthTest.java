package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.hotlinemonitor.core.alert.ApiConfig;
import org.hotlinemonitor.core.alert.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthTest {

    private static final String TOKEN = "t0ken-\u00e9-123";

    @ParameterizedTest(name = "[{index}] config={0} write={1} probe={2} auth={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // no api: section: reads open, writes disabled
            "none      | false | false | -                        | allowed",
            "none      | true  | false | Bearer t0ken-é-123       | 403",
            "none      | false | true  | -                        | allowed",
            // reads open
            "open      | false | false | -                        | allowed",
            "open      | false | false | Bearer wrong             | allowed",
            "open      | true  | false | -                        | 401",
            "open      | true  | false | Basic dXNlcjpwYXNz       | 401",
            "open      | true  | false | Bearer                   | 401",
            "open      | true  | false | 'Bearer '                | 401 invalid_token",
            "open      | true  | false | Bearer wrong             | 401 invalid_token",
            "open      | true  | false | Bearer t0ken-é-12        | 401 invalid_token",
            "open      | true  | false | Bearer t0ken-é-1234      | 401 invalid_token",
            "open      | true  | false | Bearer t0ken-é-123       | allowed",
            "open      | true  | false | bearer t0ken-é-123       | allowed",
            // reads protected
            "protected | false | false | -                        | 401",
            "protected | false | false | Bearer wrong             | 401 invalid_token",
            "protected | false | false | Bearer t0ken-é-123       | allowed",
            "protected | false | true  | -                        | allowed",
            "protected | true  | false | Bearer t0ken-é-123       | allowed",
    })
    void decides(String config, boolean write, boolean probe, String authorization, String expected) {
        ApiConfig api = switch (config) {
            case "none" -> null;
            case "open" -> new ApiConfig(new Secret("HOTLINE_API_TOKEN", TOKEN), false);
            default -> new ApiConfig(new Secret("HOTLINE_API_TOKEN", TOKEN), true);
        };
        Auth.Decision d = Auth.decide(write, probe, authorization, api);
        String got = d instanceof Auth.Unauthorized u ? (u.error() == null ? "401" : "401 " + u.error())
                : d instanceof Auth.Forbidden ? "403"
                : "allowed";
        assertThat(got).isEqualTo(expected);
    }
}
