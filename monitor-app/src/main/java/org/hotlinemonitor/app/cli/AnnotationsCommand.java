package org.hotlinemonitor.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotlinemonitor.app.metrics.GrafanaAnnotations;
import org.hotlinemonitor.core.codec.AlertCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annotations}: alerts as JSON lines (the alerts topic's records, {@code run --json}, {@code replay}'s alerts) to
 * Grafana annotations, one JSON object per line ({@link GrafanaAnnotations}), the same as {@code replay
 * --annotations-out} writes. Reads as it goes and flushes each annotation, so that it can sit in a pipe behind a live
 * monitor.
 */
@Command(name = "annotations", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Turns alerts (JSON lines, as run --json, replay and the alerts topic give them) into Grafana annotations, one "
                + "JSON object per line, each the body of a POST /api/annotations: an outage (CHANNEL_DOWN to "
                + "CHANNEL_RESTORED) and a silence of our side are one region, written when it ends; other alerts are points.",
            "A line that is not an alert stops it with exit code 3, naming the file, the line and the field."},
        sortOptions = false)
final class AnnotationsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the annotations. Default: stdout.")
    Path out;

    @Parameters(paramLabel = "ALERTS", arity = "0..*",
            description = "Alert files (JSON lines), read in order; - is standard input. Default: standard input.")
    List<String> inputs;

    @Override
    public Integer call() throws IOException {
        List<String> files = inputs == null || inputs.isEmpty() ? List.of("-") : inputs;
        for (String f : files) {
            if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
                throw new Main.BadInput("cannot read " + f + ": " + (Files.exists(Path.of(f)) ? "permission denied" : "no such file"));
            }
        }
        try (Writer w = ReplayCommand.open(out)) {
            GrafanaAnnotations annotations = new GrafanaAnnotations(line -> {
                try {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (String f : files) {
                read(f, annotations);
            }
            annotations.finish();
            System.err.println("wrote " + annotations.written() + " annotation(s)");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ExitCodes.OK;
    }

    private static void read(String file, GrafanaAnnotations annotations) throws IOException {
        try (BufferedReader r = file.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    annotations.accept(AlertCodec.fromJson(line));
                } catch (IllegalArgumentException e) {
                    throw new Main.BadInput((file.equals("-") ? "stdin" : file) + ":" + n + ": not an alert: " + e.getMessage());
                }
            }
        }
    }
}
