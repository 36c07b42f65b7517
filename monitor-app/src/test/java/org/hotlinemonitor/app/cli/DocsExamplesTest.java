package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example commands of README.md and docs/*.md that need no network (replay of files, generate, help), run as the
 * docs write them, from the repository's root: they exit 0, and where the docs say what they print, they print it.
 * Commands that need a broker, placeholders ({@code FILE}, {@code [...]}, {@code ...}) and other programs are left out.
 */
class DocsExamplesTest {

    static final String PROGRAM = String.join(" ", Main.PROGRAM) + " ";
    static final Pattern FENCE = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    static final Pattern INLINE = Pattern.compile("`(" + Pattern.quote(PROGRAM) + "[^`]*)`");
    /** A word that stands for something to fill in: an upper-case name, an optional part, an alternative. */
    static final Pattern PLACEHOLDER = Pattern.compile(".*(\\[|\\]|\\.\\.\\.|\\||\\b[A-Z]{3,}\\b).*");
    static final List<String> OFFLINE = List.of("replay", "generate", "--help", "--version");

    @TempDir
    Path work;

    record Example(Path doc, String line) {
    }

    /** Every {@code java -jar ...} line of the docs' {@code sh} blocks (continuations joined), and inline ones. */
    static List<Example> examples() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(CliTest.ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(CliTest.ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Example> all = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher block = FENCE.matcher(text);
            while (block.find()) {
                for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                    String l = line.strip().replaceAll(" +", " ");
                    if (l.startsWith(PROGRAM)) {
                        all.add(new Example(doc, l));
                    }
                }
            }
            Matcher inline = INLINE.matcher(text);
            while (inline.find()) {
                all.add(new Example(doc, inline.group(1).strip()));
            }
        }
        return all;
    }

    static boolean offline(Example e) {
        List<String> words = List.of(e.line().substring(PROGRAM.length()).split(" "));
        return OFFLINE.contains(words.get(0)) && !e.line().contains("--bootstrap-servers")
                && words.stream().noneMatch(w -> PLACEHOLDER.matcher(w).matches());
    }

    /**
     * Runs {@code line} as a shell in the repository's root would: a relative path that exists there is that file, any
     * other relative path (an output) lands in {@link #work}; {@code > FILE} gets stdout.
     */
    Result run(String line) throws IOException {
        List<String> words = new ArrayList<>(List.of(line.substring(PROGRAM.length()).split(" ")));
        Path stdout = null;
        int redirect = words.indexOf(">");
        if (redirect >= 0) {
            stdout = work.resolve(words.get(redirect + 1));
            words = new ArrayList<>(words.subList(0, redirect));
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-") && w.matches("[\\w./-]+\\.[a-z]+")) {
                Path inRepo = CliTest.ROOT.resolve(w);
                words.set(i, (Files.exists(inRepo) ? inRepo : work.resolve(w)).toString());
            }
        }
        Result r = CliTest.run(words.toArray(String[]::new));
        if (stdout != null) {
            Files.writeString(stdout, r.out());
        }
        return r;
    }

    @Test
    void theDocsOfflineExamplesRunAsWritten() throws IOException {
        List<Example> offline = examples().stream().filter(DocsExamplesTest::offline).toList();
        assertThat(offline).extracting(Example::line).as("the examples this test runs").contains(
                PROGRAM + "replay --channels examples/channels.yaml examples/april-2023.jsonl",
                PROGRAM + "generate --channels 1000 --days 30 --seed 7 --out calls.jsonl.gz --config-out calls-channels.yaml",
                PROGRAM + "replay --channels calls-channels.yaml calls.jsonl.gz > alerts.jsonl",
                PROGRAM + "--help");
        for (Example e : offline) {
            Result r = run(e.line());
            assertThat(r.code()).as("%s in %s: %s", e.line(), CliTest.ROOT.relativize(e.doc()), r.err()).isZero();
            if (e.line().endsWith(" --help")) {
                assertThat(r.out()).as(e.line()).contains("Usage:");
            }
        }
        assertThat(Files.readAllLines(work.resolve("alerts.jsonl"))).as("the synthetic log's replay").isNotEmpty();
        assertThat(work.resolve("report.md")).as("README's replay with every output in a file").content()
                .startsWith("# Replay report");
        assertThat(Files.readAllLines(work.resolve("alerts.jsonl"))).allMatch(l -> l.startsWith("{\"id\":"));
    }

    @Test
    void theReadmesReplayPrintsWhatItSays() throws IOException {
        Result r = run(PROGRAM + "replay --channels examples/channels.yaml examples/april-2023.jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> alerts = r.out().lines().toList();
        assertThat(alerts).isEqualTo(Files.readAllLines(CliTest.EXPECTED)).hasSize(15);
        assertThat(r.err()).as("the report on stderr").startsWith("# Replay report");
        // "the liaison office line misses its 17:00 call on Friday 2023-04-07 and goes CHANNEL_DOWN at Monday's morning
        // deadline; the two military lines go down on Saturday morning; the ship-to-ship line is cut by rain for two
        // mornings and restored by the far side's call in the afternoon; one UN Command call was never placed"
        assertThat(alerts).anyMatch(a -> a.contains("\"id\":\"liaison-office/SLOT_MISSED/2023-04-07T08:00:00Z\""));
        assertThat(alerts).anyMatch(a -> a.startsWith("{\"id\":\"liaison-office/CHANNEL_DOWN/")
                && a.contains("\"at\":\"2023-04-10T01:00:00Z\""));
        for (String military : List.of("east-coast-military", "west-coast-military")) {
            assertThat(alerts).anyMatch(a -> a.startsWith("{\"id\":\"" + military + "/CHANNEL_DOWN/")
                    && a.contains("\"at\":\"2023-04-08T01:00:00Z\""));
        }
        assertThat(alerts).anyMatch(a -> a.startsWith("{\"id\":\"ship-to-ship/CHANNEL_RESTORED/"));
        assertThat(alerts.stream().filter(a -> a.contains("\"type\":\"CALL_NOT_PLACED\""))).singleElement()
                .asString().contains("\"channel\":\"unc-pink-phone\"");
    }

    @Test
    void everyCommandInTheHelpIsDocumented() throws IOException {
        Result help = run(PROGRAM + "--help");
        String cli = Files.readString(CliTest.ROOT.resolve("docs/cli.md"));
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            if (!command.equals("help")) {
                assertThat(help.out()).contains(command);
                assertThat(cli).as("docs/cli.md has a section for %s", command).contains("## `" + command + "`");
            }
        }
    }
}
