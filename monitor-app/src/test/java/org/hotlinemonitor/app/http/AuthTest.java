package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthTest {

    private static final String TOKEN = "t0ken-\u00e9-123";

    /** Named tokens with one scope each, and one with every scope; their secrets are their names reversed. */
    static ApiAccess named(boolean protectReads) throws Exception {
        String file = String.join("\n",
                TokenFile.line(TokenFile.token("recorder", "redrocer", EnumSet.of(Scope.RECORD))),
                TokenFile.line(TokenFile.token("silencer", "recnelis", EnumSet.of(Scope.SILENCE))),
                TokenFile.line(TokenFile.token("reader", "redaer", EnumSet.of(Scope.READ))),
                TokenFile.line(TokenFile.token("ops", "spo", EnumSet.allOf(Scope.class))));
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("tokens", ".txt");
        java.nio.file.Files.writeString(tmp, file);
        try (ApiAccess access = ApiAccess.watching(tmp, protectReads, java.time.Duration.ofHours(1))) {
            return access; // closed: no reloads, the tokens stay
        } finally {
            java.nio.file.Files.delete(tmp);
        }
    }

    @ParameterizedTest(name = "[{index}] config={0} needs={1} auth={2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // no api: section: reads open, writes disabled
            "none      | read    | -                        | allowed",
            "none      | record  | Bearer t0ken-é-123       | 403",
            "none      | silence | -                        | 403",
            "none      | probe   | -                        | allowed",
            // one token, reads open
            "open      | read    | -                        | allowed",
            "open      | read    | Bearer wrong             | allowed",
            "open      | record  | -                        | 401",
            "open      | record  | Basic dXNlcjpwYXNz       | 401",
            "open      | record  | Bearer                   | 401",
            "open      | record  | 'Bearer '                | 401 invalid_token",
            "open      | record  | Bearer wrong             | 401 invalid_token",
            "open      | record  | Bearer t0ken-é-12        | 401 invalid_token",
            "open      | record  | Bearer t0ken-é-1234      | 401 invalid_token",
            "open      | record  | Bearer t0ken-é-123       | allowed api-token",
            "open      | record  | bearer t0ken-é-123       | allowed api-token",
            "open      | silence | Bearer t0ken-é-123       | allowed api-token",
            // one token, reads protected
            "protected | read    | -                        | 401",
            "protected | read    | Bearer wrong             | 401 invalid_token",
            "protected | read    | Bearer t0ken-é-123       | allowed api-token",
            "protected | probe   | -                        | allowed",
            // named tokens: each scope against each kind of endpoint
            "named     | record  | Bearer redrocer          | allowed recorder",
            "named     | silence | Bearer redrocer          | 403 silence",
            "named     | read    | Bearer redrocer          | allowed",
            "named     | record  | Bearer recnelis          | 403 record",
            "named     | silence | Bearer recnelis          | allowed silencer",
            "named     | record  | Bearer redaer            | 403 record",
            "named     | silence | Bearer redaer            | 403 silence",
            "named     | record  | Bearer spo               | allowed ops",
            "named     | silence | Bearer spo               | allowed ops",
            "named     | record  | Bearer t0ken-é-123       | 401 invalid_token",
            "named     | probe   | -                        | allowed",
            "named-r   | read    | Bearer redaer            | allowed reader",
            "named-r   | read    | Bearer redrocer          | 403 read",
            "named-r   | read    | Bearer recnelis          | 403 read",
            "named-r   | read    | Bearer spo               | allowed ops",
            "named-r   | read    | -                        | 401",
            "named-r   | probe   | -                        | allowed",
    })
    void decides(String config, String needs, String authorization, String expected) throws Exception {
        ApiAccess api = switch (config) {
            case "none" -> null;
            case "open" -> ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), false);
            case "protected" -> ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), true);
            case "named" -> named(false);
            default -> named(true);
        };
        Auth.Decision d = Auth.decide(needs.equals("probe") ? null : Scope.of(needs), authorization, api);
        String got = d instanceof Auth.Unauthorized u ? (u.error() == null ? "401" : "401 " + u.error())
                : d instanceof Auth.Forbidden f ? (f.scope() == null ? "403" : "403 " + f.scope().id())
                : ((Auth.Allowed) d).token() == null ? "allowed" : "allowed " + ((Auth.Allowed) d).token().name();
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void aMissingScopeIsNamedInTheAnswer() throws Exception {
        Auth.Forbidden f = (Auth.Forbidden) Auth.decide(Scope.SILENCE, "Bearer redrocer", named(false));
        assertThat(f.message()).isEqualTo("the token 'recorder' may not do this: it needs the 'silence' scope, and has only record");
    }
}
