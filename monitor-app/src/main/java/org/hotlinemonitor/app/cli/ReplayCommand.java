package org.hotlinemonitor.app.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.util.function.Consumer;
import org.hotlinemonitor.app.broker.KafkaSetupException;
import org.hotlinemonitor.app.broker.TopicSpec;
import org.hotlinemonitor.app.metrics.GrafanaAnnotations;
import org.hotlinemonitor.app.metrics.OpenMetricsWriter;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.app.replay.TopicReplay;
import org.hotlinemonitor.app.report.BothListeners;
import org.hotlinemonitor.app.report.HtmlReport;
import org.hotlinemonitor.app.report.LedgerListener;
import org.hotlinemonitor.app.report.MonthlyAvailability;
import org.hotlinemonitor.app.report.RejectExamples;
import org.hotlinemonitor.app.report.ReportJson;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.config.OperatorConfigLoader;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.replay.BadInputException;
import org.hotlinemonitor.core.replay.ChannelHistory;
import org.hotlinemonitor.core.replay.InputDamage;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.RecordReplay;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.Rejects;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayDriver;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.status.StatusLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay}: historical call logs, or a time range of the events topic, through the same detector as the live
 * monitor.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Replays call-check logs (or, with --since, a time range of the Kafka events topic) through the detector "
                + "and writes the alerts the live monitor would have raised.",
            "Bad lines are kept in the rejects file with file, line (or topic, partition, offset), field and reason, "
                + "and counted in the report."},
        sortOptions = false)
final class ReplayCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final Duration DEFAULT_LATENESS = Duration.ofMinutes(5);
    static final String DEFAULT_REJECTS = "replay-rejects.jsonl";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Prometheus's default lookback for instant queries: a longer step leaves moments without a value. */
    static final Duration MAX_STEP = Duration.ofMinutes(5);

    @Option(names = "--channels", required = true, paramLabel = "FILE", description = "Channel configuration: a YAML or .json file, or a directory of them read as one.")
    Path channels;

    @Option(names = "--format", paramLabel = "jsonl|csv",
            description = "Input format. Default: from each file's name (.csv or .csv.gz is CSV), else jsonl.")
    String format;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "Where to write alerts as JSON lines. Default: stdout.")
    Path alertsOut;

    @Option(names = {"--report", "--report-out"}, paramLabel = "FILE",
            description = "Where to write the report. Default: stderr (markdown and json; html needs a file).")
    Path reportOut;

    @Option(names = "--report-format", paramLabel = "markdown|json|html", defaultValue = "markdown",
            description = "Report format: markdown; json, for scripts; html, one self-contained page with a timeline "
                    + "per channel (docs/formats.md). Default: ${DEFAULT-VALUE}.")
    String reportFormat;

    @Option(names = "--rejects-out", paramLabel = "FILE",
            description = "Where to keep refused lines as JSON lines. Default: " + DEFAULT_REJECTS
                    + " in the current directory. Created only if a line is refused; a file of that name left by an "
                    + "earlier run is removed at the start.")
    Path rejectsOut;

    @Option(names = "--openmetrics-out", paramLabel = "FILE",
            description = "Also write the channels' metrics over the replayed time (state, missed in a row, last answer, "
                    + "outage start, slots by verdict, alerts by type; the live names) as OpenMetrics text, for "
                    + "promtool tsdb create-blocks-from openmetrics.")
    Path openMetricsOut;

    @Option(names = "--openmetrics-step", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "With --openmetrics-out: a sample of every series at least this often (ISO-8601), besides one "
                    + "at each change. At most PT5M for instant queries to see every moment (Prometheus looks back 5 "
                    + "minutes). Default: ${DEFAULT-VALUE}.")
    Duration openMetricsStep;

    @Option(names = "--annotations-out", paramLabel = "FILE",
            description = "Also write the alerts as Grafana annotations, one JSON object per line (the body of POST "
                    + "/api/annotations); an outage, and a silence of our side, is one region.")
    Path annotationsOut;

    @Option(names = "--until", paramLabel = "INSTANT",
            description = "Advance time to this instant at the end (ISO-8601, e.g. 2023-04-08T00:00:00Z); events after it are refused "
                    + "(from Kafka: skipped). "
                    + "Default: the newest event's time. Slots whose deadline is not before it stay pending.")
    Instant until;

    @Option(names = "--allowed-lateness", paramLabel = "DURATION",
            description = "How far out of order events may arrive (ISO-8601). Default: allowedLateness from the channel file, else PT5M.")
    Duration allowedLateness;

    @Option(names = "--max-jump", paramLabel = "DURATION",
            description = "How far ahead of the replay's time (the newest event time taken) an event may be without "
                    + ReplayDriver.CONFIRM + " events within it to confirm the jump; an event not confirmed is refused "
                    + "as an outlier (ISO-8601). Default: maxJump from the channel file, else P1D.")
    Duration maxJump;

    @Option(names = "--strict", description = "Stop at the first bad line, with exit code 3.")
    boolean strict;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr. Default: when stderr is a terminal.")
    Boolean progress;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:HOTLINE_BOOTSTRAP_SERVERS}",
            description = "Kafka source: the cluster to read the events topic from (instead of LOG files). "
                    + "Default: the environment variable HOTLINE_BOOTSTRAP_SERVERS.")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Kafka source: the events topic. Default: " + SchedulerService.DEFAULT_TOPIC + ".")
    String topic;

    @picocli.CommandLine.Mixin
    KafkaClientOptions kafkaClient;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Kafka source: read each partition from its first record stamped at or after this instant "
                    + "(ISO-8601). Required to read Kafka.")
    Instant since;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Kafka source: how long to wait for the cluster. Default: PT30S.")
    Duration timeout;

    @Parameters(paramLabel = "LOG", arity = "0..*",
            description = "Call logs, read in order: JSON lines or CSV, optionally .gz; - for standard input. "
                    + "Without LOG, --since reads the Kafka events topic instead.")
    List<String> logs;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        TopicReplay.Source kafka = kafkaSource();
        MonitorConfig config = loadConfig(channels);
        LogInput.Format forced = null;
        if (format != null) {
            try {
                forced = LogInput.Format.parse(format);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
            }
        }
        ReportFormat form = switch (reportFormat.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> ReportFormat.JSON;
            case "markdown", "md" -> ReportFormat.MARKDOWN;
            case "html" -> ReportFormat.HTML;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--report-format: expected markdown, json or html, was '" + reportFormat + "'");
        };
        if (form == ReportFormat.HTML && reportOut == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--report-format html needs --report FILE (a page is not written to stderr)");
        }
        List<LogInput> inputs = new ArrayList<>();
        for (String log : kafka != null ? List.<String>of() : logs) {
            LogInput in = LogInput.of(log, forced);
            if (in.path() != null && Files.isDirectory(in.path())) {
                throw new Main.BadInput("cannot read " + log + ": is a directory (give the log files in it)");
            }
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
        Duration jump = maxJump != null ? maxJump
                : config.maxJump() != null ? config.maxJump() : ReplayDriver.DEFAULT_MAX_JUMP;
        if (jump.isNegative() || jump.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--max-jump must be positive, was " + jump);
        }
        if (kafka != null) {
            kafka = kafka.withAllowedLateness(lateness).withMaxJump(jump);
        }

        if (openMetricsStep.isNegative() || openMetricsStep.toMillis() < 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--openmetrics-step must be at least PT1S, was " + openMetricsStep);
        }
        if (openMetricsOut != null && openMetricsStep.compareTo(MAX_STEP) > 0) {
            System.err.println("warning: --openmetrics-step " + openMetricsStep + " is longer than Prometheus's lookback "
                    + "(PT5M): instant queries between samples will find no value unless Prometheus runs with "
                    + "--query.lookback-delta of at least the step");
        }
        ChannelHistory history = openMetricsOut != null ? new ChannelHistory(config) : null;
        // The months of the json and html reports, and the days and outages of the html one (every slot: html only).
        List<Silence> silences = form == ReportFormat.MARKDOWN ? List.of() : loadSilences(channels, config);
        MonthlyAvailability monthly = form == ReportFormat.MARKDOWN ? null : new MonthlyAvailability(config, silences);
        StatusLedger ledger = form == ReportFormat.HTML ? new StatusLedger(config, 0) : null;
        Monitor.Listener also = BothListeners.of(history, BothListeners.of(monthly,
                ledger == null ? null : new LedgerListener(ledger, config, silences)));
        RejectExamples examples = new RejectExamples();

        boolean showProgress = progress != null ? progress : Terminal.stderrIsTerminal();
        Terminal.ProgressBar bar = showProgress ? new Terminal.ProgressBar(System.err) : null;
        Path rejectsPath = rejectsOut != null ? rejectsOut : Path.of(DEFAULT_REJECTS);
        refuseOutputOverInput("--rejects-out", rejectsPath, inputs);
        refuseOutputOverInput("--alerts-out", alertsOut, inputs);
        refuseOutputOverInput(reportOption(), reportOut, inputs);
        refuseOutputOverInput("--openmetrics-out", openMetricsOut, inputs);
        refuseOutputOverInput("--annotations-out", annotationsOut, inputs);
        // The rejects file holds this run's refused records only: one left by an earlier run would be taken for
        // this run's. Only a regular file is removed (never /dev/null or a pipe given as --rejects-out).
        if (Files.isRegularFile(rejectsPath)) {
            Files.delete(rejectsPath);
        }
        ReplayReport report;
        try (Writer alerts = open(alertsOut);
             Writer annotationsFile = annotationsOut == null ? null : openFile(annotationsOut, "--annotations-out");
             // Created at the start: a path that cannot be written fails before the replay's work, not after.
             Writer openMetricsFile = openMetricsOut == null ? null : openFile(openMetricsOut, "--openmetrics-out");
             LazyFile rejects = new LazyFile(rejectsPath)) {
            Replay.Options options = new Replay.Options(config, lateness, jump, until, strict)
                    .withSigning(Live.loadSigning(channels));
            GrafanaAnnotations annotations = annotationsFile == null ? null
                    : new GrafanaAnnotations(line -> write(annotationsFile, line));
            Consumer<Alert> alertSink = alert -> {
                write(alerts, AlertCodec.toJson(alert));
                if (annotations != null) {
                    annotations.accept(alert);
                }
            };
            Consumer<RejectRecord> rejectSink = reject -> {
                rejects.line(Rejects.toJson(reject));
                examples.accept(reject);
            };
            Replay.Progress shown = bar != null ? bar : Replay.Progress.NONE;
            try {
                report = kafka != null ? replayTopic(kafka, config, options, alertSink, rejectSink, shown, also)
                        : new Replay(options, alertSink, rejectSink, shown, also).run(inputs, System.in);
                if (annotations != null) {
                    annotations.finish();
                }
                if (history != null) {
                    writeOpenMetrics(history, report, openMetricsFile);
                }
            } catch (BadInputException e) {
                throw new Main.BadInput(e.getMessage() + " (--strict: stopped at the first bad " + (kafka != null ? "record" : "line")
                        + "; kept in " + rejectsPath + ")");
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writeReport(report, form, config, ledger, monthly, examples, settings(kafka, inputs, lateness, jump, rejectsPath));
        if (report.rejects() > 0) {
            System.err.println(report.rejects() + (kafka != null ? " record(s)" : " line(s)") + " refused "
                    + describe(report.rejectsByReason()) + "; kept in " + rejectsPath);
        }
        for (InputDamage d : report.damage()) {
            System.err.println("error: " + d.describe());
        }
        return !report.damage().isEmpty() ? ExitCodes.DAMAGED : report.rejects() > 0 ? ExitCodes.REFUSED : ExitCodes.OK;
    }

    /**
     * The Kafka source the options ask for, or {@code null} for LOG files. The two are alternatives: LOG files, or
     * {@code --since} (with {@code --bootstrap-servers} or its variable, and optionally {@code --topic}).
     */
    private TopicReplay.Source kafkaSource() {
        picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
        List<String> kafkaOptions = new ArrayList<>();
        for (String option : List.of("--bootstrap-servers", "--topic", "--since", "--timeout", "--kafka-config")) {
            if (given.hasMatchedOption(option)) {
                kafkaOptions.add(option);
            }
        }
        boolean hasLogs = logs != null && !logs.isEmpty();
        if (hasLogs) {
            if (!kafkaOptions.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give LOG files or a Kafka topic "
                        + "(--since with --bootstrap-servers), not both: " + String.join(", ", kafkaOptions)
                        + " given with " + logs.size() + " LOG file(s)");
            }
            return null;
        }
        if (since == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "missing LOG files (or --since, to replay the Kafka events topic)");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS) to read the events topic");
        }
        if (format != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format is for LOG files: the events topic holds JSON events");
        }
        Duration wait = timeout != null ? timeout : DEFAULT_TIMEOUT;
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least PT1S, was " + wait);
        }
        String events = topic != null ? topic : SchedulerService.DEFAULT_TOPIC;
        try {
            TopicSpec.checkName(events);
            return new TopicReplay.Source(bootstrapServers.strip(), events, since, until, Duration.ZERO,
                    ReplayDriver.DEFAULT_MAX_JUMP, wait, new java.util.HashMap<>(kafkaClient.load(channels).values()));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    (e.getMessage().startsWith("until") ? "--until: " : "--topic: ") + e.getMessage());
        }
    }

    /** Renders the replay's metrics into {@code --openmetrics-out}, streaming, and says how much on stderr. */
    private void writeOpenMetrics(ChannelHistory history, ReplayReport report, Writer file) throws IOException {
        OpenMetricsWriter out = new OpenMetricsWriter(file);
        history.render(report.end(), openMetricsStep, out);
        out.finish();
        System.err.println("wrote " + out.samples() + " sample(s) of OpenMetrics to " + openMetricsOut
                + (history.start() == null ? " (no event taken: families only)"
                        : " (" + history.start() + " to " + report.end() + ", a sample every " + openMetricsStep
                                + " and at each change)"));
    }

    /** A new file for an output option, or a one-line error naming the option. */
    private static Writer openFile(Path file, String option) throws IOException {
        try {
            return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new Main.BadInput("cannot create " + file + " (" + option + "): no such directory");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new Main.BadInput("cannot create " + file + " (" + option + "): permission denied");
        }
    }

    private static ReplayReport replayTopic(TopicReplay.Source source, MonitorConfig config, Replay.Options options,
                                            Consumer<Alert> alerts, Consumer<RejectRecord> rejects, Replay.Progress progress,
                                            Monitor.Listener also)
            throws BadInputException {
        RecordReplay replay = new RecordReplay(options, alerts, rejects, also);
        TopicReplay.Summary read;
        try {
            read = new TopicReplay(source, config).run(replay, progress);
        } catch (TopicReplay.NoSuchTopicException e) {
            throw new Main.BadInput(e.getMessage());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaSetupException("cannot read " + source.topic() + " from " + source.bootstrapServers()
                    + ": " + e.getMessage(), e);
        }
        ReplayReport report = replay.finish();
        System.err.println("read " + read.records() + " record(s) from " + read.partitions() + " partition(s) of "
                + source.topic() + (read.skippedAfterUntil() > 0
                        ? "; " + read.skippedAfterUntil() + " event(s) after --until not replayed" : ""));
        return report;
    }

    /** An output that is one of the inputs would destroy it before it is read: a usage error. */
    private void refuseOutputOverInput(String option, Path output, List<LogInput> inputs) throws IOException {
        if (output == null || !Files.exists(output)) {
            return;
        }
        for (LogInput in : inputs) {
            if (in.path() != null && Files.isSameFile(output, in.path())) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " " + output
                        + " is also an input (" + in.name() + "): it would be overwritten before it is read; choose another file");
            }
        }
    }

    static MonitorConfig loadConfig(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid channel configuration:\n" + e.getMessage(), e);
        }
    }

    private enum ReportFormat { MARKDOWN, JSON, HTML }

    /** {@code --report} or {@code --report-out}, as the user spelled it, for messages. */
    private String reportOption() {
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (arg.equals("--report") || arg.startsWith("--report=")) {
                return "--report";
            }
        }
        return "--report-out";
    }

    /**
     * Writes the report to {@code --report} (else stderr) as it is built, a channel at a time: the report of a
     * million channels is hundreds of megabytes, and is never held whole in memory.
     */
    private void writeReport(ReplayReport report, ReportFormat form, MonitorConfig config, StatusLedger ledger,
                             MonthlyAvailability monthly, RejectExamples examples, Map<String, String> settings)
            throws IOException {
        Writer out = reportOut == null
                ? new BufferedWriter(new OutputStreamWriter(new NonClosing(System.err), StandardCharsets.UTF_8), 1 << 16)
                : openFile(reportOut, reportOption());
        try (out) {
            switch (form) {
                case MARKDOWN -> report.writeMarkdown(out);
                case JSON -> ReportJson.write(report, config, monthly, examples, out);
                case HTML -> HtmlReport.write(report, ledger, monthly, examples, settings, out);
            }
        }
    }

    /** The run's settings as the html report shows them. */
    private Map<String, String> settings(TopicReplay.Source kafka, List<LogInput> inputs, Duration lateness, Duration jump,
                                         Path rejectsPath) {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("channels file", channels.toString());
        if (kafka != null) {
            s.put("source", "Kafka topic " + kafka.topic() + " at " + kafka.bootstrapServers() + ", since " + since);
        } else {
            s.put("logs", String.join(", ", inputs.stream().map(LogInput::name).toList()));
            s.put("input format", format != null ? format : "from each file's name");
        }
        s.put("allowed lateness", lateness.toString());
        s.put("max jump", jump.toString());
        s.put("until", until != null ? until.toString() : "the newest event's time");
        s.put("strict", String.valueOf(strict));
        s.put("alerts written to", alertsOut != null ? alertsOut.toString() : "stdout");
        s.put("refused lines kept in", rejectsPath.toString());
        if (openMetricsOut != null) {
            s.put("OpenMetrics written to", openMetricsOut + " (a sample every " + openMetricsStep + ")");
        }
        if (annotationsOut != null) {
            s.put("annotations written to", annotationsOut.toString());
        }
        return s;
    }

    /** The maintenance windows of the channel file ({@code silences:}): slots in them do not count against a channel. */
    private static List<Silence> loadSilences(Path file, MonitorConfig config) {
        try {
            return OperatorConfigLoader.silences(file, config.channels().stream().map(c -> c.id())
                    .collect(java.util.stream.Collectors.toSet()));
        } catch (ConfigException e) {
            throw new Main.BadInput("invalid channel configuration:\n" + e.getMessage(), e);
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
