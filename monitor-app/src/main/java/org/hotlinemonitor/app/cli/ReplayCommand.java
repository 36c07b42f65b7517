package org.hotlinemonitor.app.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.BadInputException;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.Rejects;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code replay}: historical call logs through the same detector as the live monitor. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Replays call-check logs through the detector and writes the alerts the live monitor would have raised.",
            "Bad lines are kept in the rejects file with file, line, field and reason, and counted in the report."},
        sortOptions = false)
final class ReplayCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final Duration DEFAULT_LATENESS = Duration.ofMinutes(5);
    static final String DEFAULT_REJECTS = "replay-rejects.jsonl";

    @Option(names = "--channels", required = true, paramLabel = "FILE", description = "Channel configuration (YAML).")
    Path channels;

    @Option(names = "--format", paramLabel = "jsonl|csv",
            description = "Input format. Default: from each file's name (.csv or .csv.gz is CSV), else jsonl.")
    String format;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "Where to write alerts as JSON lines. Default: stdout.")
    Path alertsOut;

    @Option(names = "--report-out", paramLabel = "FILE", description = "Where to write the report. Default: stderr.")
    Path reportOut;

    @Option(names = "--report-format", paramLabel = "markdown|json", defaultValue = "markdown",
            description = "Report format. Default: ${DEFAULT-VALUE}.")
    String reportFormat;

    @Option(names = "--rejects-out", paramLabel = "FILE",
            description = "Where to keep refused lines as JSON lines. Default: " + DEFAULT_REJECTS
                    + " in the current directory, created only if a line is refused.")
    Path rejectsOut;

    @Option(names = "--until", paramLabel = "INSTANT",
            description = "Advance time to this instant at the end (ISO-8601, e.g. 2023-04-08T00:00:00Z); events after it are refused. "
                    + "Default: the newest event's time. Slots whose deadline is not before it stay pending.")
    Instant until;

    @Option(names = "--allowed-lateness", paramLabel = "DURATION",
            description = "How far out of order events may arrive (ISO-8601). Default: allowedLateness from the channel file, else PT5M.")
    Duration allowedLateness;

    @Option(names = "--strict", description = "Stop at the first bad line, with exit code 3.")
    boolean strict;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr. Default: when stderr is a terminal.")
    Boolean progress;

    @Parameters(paramLabel = "LOG", arity = "1..*",
            description = "Call logs, read in order: JSON lines or CSV, optionally .gz; - for standard input.")
    List<String> logs;

    @Override
    public Integer call() throws IOException {
        MonitorConfig config = loadConfig(channels);
        LogInput.Format forced = null;
        if (format != null) {
            try {
                forced = LogInput.Format.parse(format);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
            }
        }
        boolean json = switch (reportFormat.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> true;
            case "markdown", "md" -> false;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--report-format: expected markdown or json, was '" + reportFormat + "'");
        };
        List<LogInput> inputs = new ArrayList<>();
        for (String log : logs) {
            LogInput in = LogInput.of(log, forced);
            if (in.path() != null && !Files.isReadable(in.path())) {
                throw new Main.BadInput("cannot read " + log + ": " + (Files.exists(in.path()) ? "permission denied" : "no such file"));
            }
            inputs.add(in);
        }
        Duration lateness = allowedLateness != null ? allowedLateness
                : config.allowedLateness() != null ? config.allowedLateness() : DEFAULT_LATENESS;
        if (lateness.isNegative()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--allowed-lateness must not be negative, was " + lateness);
        }

        boolean showProgress = progress != null ? progress : Terminal.stderrIsTerminal();
        Terminal.ProgressBar bar = showProgress ? new Terminal.ProgressBar(System.err) : null;
        Path rejectsPath = rejectsOut != null ? rejectsOut : Path.of(DEFAULT_REJECTS);
        ReplayReport report;
        try (Writer alerts = open(alertsOut);
             LazyFile rejects = new LazyFile(rejectsPath)) {
            Replay replay = new Replay(new Replay.Options(config, lateness, until, strict),
                    alert -> write(alerts, AlertCodec.toJson(alert)),
                    reject -> rejects.line(Rejects.toJson(reject)),
                    bar != null ? bar : Replay.Progress.NONE);
            try {
                report = replay.run(inputs, System.in);
            } catch (BadInputException e) {
                throw new Main.BadInput(e.getMessage() + " (--strict: stopped at the first bad line; kept in " + rejectsPath + ")");
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writeReport(report, json);
        if (report.rejects() > 0) {
            System.err.println(report.rejects() + " line(s) refused " + describe(report.rejectsByReason()) + "; kept in " + rejectsPath);
        }
        return ExitCodes.OK;
    }

    static MonitorConfig loadConfig(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid channel configuration:\n" + e.getMessage(), e);
        }
    }

    private void writeReport(ReplayReport report, boolean json) throws IOException {
        String text = json ? report.toJson() : report.toMarkdown();
        if (reportOut == null) {
            PrintStream err = System.err;
            err.print(text);
            err.flush();
        } else {
            Files.writeString(reportOut, text, StandardCharsets.UTF_8);
        }
    }

    private static String describe(Map<String, Long> byReason) {
        StringBuilder b = new StringBuilder("(");
        byReason.forEach((r, n) -> b.append(b.length() > 1 ? ", " : "").append(r).append(": ").append(n));
        return b.append(')').toString();
    }

    static Writer open(Path file) throws IOException {
        OutputStream out = file == null ? new NonClosing(System.out) : Files.newOutputStream(file);
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    static void write(Writer w, String line) {
        try {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file created on its first line, so that a clean replay leaves no empty rejects file behind. */
    static final class LazyFile implements AutoCloseable {
        private final Path path;
        private Writer writer;

        LazyFile(Path path) {
            this.path = path;
        }

        void line(String text) {
            try {
                if (writer == null) {
                    writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                }
                writer.write(text);
                writer.write('\n');
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException(new IOException("cannot create " + path + ": no such directory", e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** Standard output, flushed but never closed by us. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
