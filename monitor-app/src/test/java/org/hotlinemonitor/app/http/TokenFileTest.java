package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenFileTest {

    private static final String HASH = "sha256:" + "ab".repeat(32);
    private static final String OTHER = "sha256:" + "cd".repeat(32);

    @Test
    void readsNamesHashesAndScopesSkippingCommentsAndBlankLines() throws Exception {
        List<ApiToken> tokens = TokenFile.parse("t.txt", "# who hash scopes\n\n  ops-kim\t" + HASH + "  record,read \r\n"
                + "pager.bot " + OTHER + " silence,silence\n");
        assertThat(tokens).extracting(ApiToken::name).containsExactly("ops-kim", "pager.bot");
        assertThat(tokens.get(0).scopes()).containsExactly(Scope.RECORD, Scope.READ);
        assertThat(tokens.get(1).scopes()).containsExactly(Scope.SILENCE);
        assertThat(TokenFile.line(tokens.get(0))).isEqualTo("ops-kim " + HASH + " record,read");
        assertThat(tokens.get(0).toString()).doesNotContain("ab".repeat(32));
    }

    /** {H} and {O} stand for two good hashes. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "'ops-kim'                            | t.txt:1: hash: missing",
            "'ops-kim {H}'                        | t.txt:1: scopes: missing",
            "'\n# c\nops-kim {H} record, read'    | t.txt:3: scopes: a field after the scopes",
            "'hm_x {H} record'                    | t.txt:1: name: a secret (not shown), not a name",
            "'ops-kim hm_x record'                | t.txt:1: hash: expected sha256: and 64 lowercase hex digits (the token command prints the line), found a secret (not shown)",
            "'Ops-Kim {H} record'                 | t.txt:1: name: 'Ops-Kim' is not a name",
            "'ops-kim sha256:ABab record'         | t.txt:1: hash: expected sha256: and 64 lowercase hex digits",
            "'ops-kim md5:abc record'             | t.txt:1: hash: expected sha256:",
            "'ops-kim {H} record,wirte'           | t.txt:1: scopes: unknown scope 'wirte'",
            "'ops-kim {H} record,'                | t.txt:1: scopes: unknown scope ''",
            "'a {H} record\na {O} read'           | t.txt:2: name: 'a' is already on line 1",
            "'a {H} record\nb {H} read'           | t.txt:2: hash: the same secret as line 1",
            "'# only a comment\n'                 | t.txt:1: name: no token in the file",
    })
    void refusesABadLineNamingLineAndField(String text, String expected) {
        TokenFile.Invalid e = catchThrowableOfType(TokenFile.Invalid.class, () -> TokenFile.parse("t.txt", text.replace("{H}", HASH).replace("{O}", OTHER)));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).startsWith(expected);
    }

    @Test
    void aSecretInTheWrongColumnIsNeverInTheMessage() throws Exception {
        String secret = TokenFile.newSecret(new SecureRandom());
        for (String line : List.of("ops " + secret + " record", secret + " " + HASH + " record", "ops " + HASH + " record " + secret,
                "ops " + secret.substring(3) + " record")) {
            TokenFile.Invalid e = catchThrowableOfType(TokenFile.Invalid.class, () -> TokenFile.parse("t.txt", line));
            assertThat(e.getMessage()).as(line).doesNotContain(secret.substring(3));
        }
    }

    @Test
    void everyBadLineIsReportedTogether() {
        TokenFile.Invalid e = catchThrowableOfType(TokenFile.Invalid.class, () -> TokenFile.parse("t.txt",
                "ops " + HASH + " record,wirte\ndesk " + OTHER + " record\nops-2 sha256:00 read\n"));
        assertThat(e.getMessage()).isEqualTo("t.txt:1: scopes: unknown scope 'wirte'; expected record, silence or read, separated by commas\n"
                + "t.txt:3: hash: expected sha256: and 64 lowercase hex digits (the token command prints the line), found 9 characters of something else");
    }

    @Test
    void aTokenMayNotBeNamedLikeTheSchedulersSource() throws Exception {
        TokenFile.Invalid e = catchThrowableOfType(TokenFile.Invalid.class,
                () -> TokenFile.parse("t.txt", "ops " + HASH + " record\nscheduler " + OTHER + " record", Set.of("scheduler")));
        assertThat(e.getMessage()).startsWith("t.txt:2: name: 'scheduler' is the source of the monitor's own events (run --source)");
        assertThat(TokenFile.parse("t.txt", "ops " + HASH + " record", Set.of("scheduler"))).hasSize(1);
    }

    @Test
    void secretsAreLongRandomAndOnlyTheirHashIsKept() throws Exception {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = TokenFile.newSecret(random);
            assertThat(secret).matches("hm_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(secret)).isTrue();
        }
        String secret = TokenFile.newSecret(random);
        String line = TokenFile.line(TokenFile.token("ops-kim", secret, EnumSet.of(Scope.RECORD)));
        assertThat(line).doesNotContain(secret.substring(3)).matches("ops-kim sha256:[0-9a-f]{64} record");
        ApiAccess access = accessOf(line);
        assertThat(access.authenticate(secret)).map(ApiToken::name).hasValue("ops-kim");
        assertThat(access.authenticate(secret + "x")).isEmpty();
        assertThat(access.authenticate(secret.substring(0, secret.length() - 1))).isEmpty();
    }

    static ApiAccess accessOf(String fileText) throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("tokens", ".txt");
        try {
            java.nio.file.Files.writeString(tmp, fileText);
            try (ApiAccess access = ApiAccess.watching(tmp, false, java.time.Duration.ofHours(1))) {
                return access;
            }
        } finally {
            java.nio.file.Files.delete(tmp);
        }
    }
}
