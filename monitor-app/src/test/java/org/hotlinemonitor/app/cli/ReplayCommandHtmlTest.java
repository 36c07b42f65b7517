package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --report-format html|json}: the page written where asked, the JSON's months and years, bad formats. */
class ReplayCommandHtmlTest {

    @TempDir
    Path tmp;

    @Test
    void htmlReportOfTheExampleIsOneFileWithTheLiaisonOfficesOutage() throws Exception {
        Path page = tmp.resolve("report.html");
        Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", tmp.resolve("a.jsonl").toString(),
                "--rejects-out", tmp.resolve("rejects.jsonl").toString(), "--report-format", "html", "--report", page.toString(),
                CliTest.LOG.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).as("the page goes to the file, not stderr").doesNotContain("<html");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!doctype html>").endsWith("</html>\n")
                .contains("<title>Replay report, 2023-04-03 to ", "Inter-Korean liaison office line", "liaison-office",
                        "Asia/Seoul", "Mon 2023-04-10: 09:00 missed (no answer)")
                .as("self-contained: no stylesheet, script or image from elsewhere")
                .doesNotContain("src=\"http", "href=\"http", "url(http", "@import");
    }

    @Test
    void reportOutStillWorksAndJsonCarriesMonthsAndYears() throws Exception {
        Path json = tmp.resolve("report.json");
        Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", tmp.resolve("a.jsonl").toString(),
                "--rejects-out", tmp.resolve("rejects.jsonl").toString(), "--report-format", "json", "--report-out",
                json.toString(), CliTest.LOG.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode liaison = root.path("channels").get(0);
        assertThat(liaison.path("id").asText()).isEqualTo("liaison-office");
        assertThat(liaison.path("zone").asText()).isEqualTo("Asia/Seoul");
        JsonNode april = liaison.path("availabilityByMonth").path("2023-04");
        assertThat(april.path("answered").asLong() + april.path("missed").asLong()).isPositive();
        assertThat(april.path("missed").asLong()).isPositive();
        assertThat(liaison.path("availabilityByYear").path("2023").path("availability").asDouble())
                .isEqualTo(april.path("availability").asDouble());
        assertThat(april.path("availability").asDouble()).isEqualTo(liaison.path("availability").asDouble());
        assertThat(root.path("input").path("rejectedExamples").isObject()).isTrue();
    }

    @Test
    void theOpenMetricsOfAReplayAreTheSameWithAnHtmlReport() throws Exception {
        Path alone = tmp.resolve("alone.om.txt");
        Path withPage = tmp.resolve("with-page.om.txt");
        Result a = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", tmp.resolve("a1.jsonl").toString(),
                "--openmetrics-out", alone.toString(), "--report-out", tmp.resolve("r.md").toString(), CliTest.LOG.toString());
        Result b = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", tmp.resolve("a2.jsonl").toString(),
                "--openmetrics-out", withPage.toString(), "--report-format", "html", "--report", tmp.resolve("r.html").toString(),
                CliTest.LOG.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.mismatch(alone, withPage)).as("both listeners fed").isEqualTo(-1L);
        assertThat(Files.size(alone)).isPositive();
        assertThat(Files.readString(tmp.resolve("r.html"))).contains("class=\"day missed\"");
    }

    @Test
    void aBadReportFormatNamesTheAllowedOnes() {
        Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--report-format", "pdf",
                CliTest.LOG.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--report-format: expected markdown, json or html, was 'pdf'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void htmlWithoutAFileIsAUsageError() {
        Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--report-format", "html",
                CliTest.LOG.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--report-format html needs --report FILE");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anHtmlReportOverAnInputIsRefusedNamingTheOptionAsGiven() throws Exception {
        Path log = tmp.resolve("calls.jsonl");
        Files.copy(CliTest.LOG, log);
        Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--report-format", "html", "--report",
                log.toString(), log.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--report " + log + " is also an input");
        assertThat(Files.readAllLines(log)).isEqualTo(Files.readAllLines(CliTest.LOG));
    }
}
