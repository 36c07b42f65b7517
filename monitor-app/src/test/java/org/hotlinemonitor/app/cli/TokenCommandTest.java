package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hotlinemonitor.app.http.ApiAccess;
import org.hotlinemonitor.app.http.ApiToken;
import org.hotlinemonitor.app.http.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token}: what it prints is a secret and a tokens-file line that the API reads back as that token. */
class TokenCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheSecretOnceAndTheLineThatHoldsItsHash() throws Exception {
        CliTest.Result r = CliTest.run("token", "--name", "ops-kim", "--scopes", "record,read");
        assertThat(r.code()).isEqualTo(0);
        String[] out = r.out().split("\n");
        assertThat(out).hasSize(2);
        String secret = out[0];
        assertThat(out[1]).doesNotContain(secret.substring(3)).startsWith("ops-kim sha256:").endsWith(" record,read");
        assertThat(r.err()).contains("shown this once").doesNotContain(secret.substring(3));

        Path file = Files.writeString(tmp.resolve("api-tokens.txt"), "# tokens\n" + out[1] + "\n");
        try (ApiAccess access = ApiAccess.watching(file, true, Duration.ofHours(1))) {
            ApiToken token = access.authenticate(secret).orElseThrow();
            assertThat(token.name()).isEqualTo("ops-kim");
            assertThat(token.scopes()).containsExactly(Scope.RECORD, Scope.READ);
        }
        assertThat(CliTest.run("token", "--name", "ops-kim", "--scopes", "record").out().split("\n")[0])
                .as("a new secret each time").isNotEqualTo(secret);
    }

    @Test
    void appendsToTheTokensFileAndRefusesANameTwice() throws Exception {
        Path file = tmp.resolve("api-tokens.txt");
        CliTest.Result first = CliTest.run("token", "--name", "ops-kim", "--scopes", "silence", "--append", file.toString());
        assertThat(first.code()).isEqualTo(0);
        CliTest.Result second = CliTest.run("token", "--name", "pager-bot", "--scopes", "record", "--append", file.toString());
        assertThat(second.code()).isEqualTo(0);
        String before = Files.readString(file);
        try (ApiAccess access = ApiAccess.watching(file, false, Duration.ofHours(1))) {
            assertThat(access.authenticate(first.out().strip())).map(ApiToken::name).hasValue("ops-kim");
            assertThat(access.authenticate(second.out().strip())).map(ApiToken::name).hasValue("pager-bot");
        }

        CliTest.Result again = CliTest.run("token", "--name", "ops-kim", "--scopes", "read", "--append", file.toString());
        assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("not added: " + file + ":3: name: 'ops-kim' is already on line 1");
        assertThat(again.out()).as("no secret for a token that was not added").isEmpty();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void badNamesAndScopesAreUsageErrors() {
        CliTest.Result scope = CliTest.run("token", "--name", "ops-kim", "--scopes", "record,wirte");
        assertThat(scope.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(scope.err()).contains("--scopes: unknown scope 'wirte'");
        CliTest.Result name = CliTest.run("token", "--name", "Ops Kim", "--scopes", "record");
        assertThat(name.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.out()).isEmpty();
    }
}
