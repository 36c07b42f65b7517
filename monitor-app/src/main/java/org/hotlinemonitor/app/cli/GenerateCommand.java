package org.hotlinemonitor.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.hotlinemonitor.core.replay.SyntheticLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: a synthetic call log, with its channel configuration, for demos and benchmarks. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Writes a synthetic call log (JSON lines) with outages, faults, retries, unplaced calls and heartbeats,",
            "and the channel configuration that goes with it. The same options always give the same bytes."},
        sortOptions = false)
final class GenerateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--channels", required = true, paramLabel = "N", description = "How many channels, 1 to " + SyntheticLog.MAX_CHANNELS + "; channels times days at most "
                    + SyntheticLog.MAX_CHANNEL_DAYS + ".")
    int channels;

    @Option(names = "--days", required = true, paramLabel = "D", description = "How many days, 1 to " + SyntheticLog.MAX_DAYS + ".")
    int days;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--start", defaultValue = "2023-04-01", paramLabel = "DATE", description = "First day (UTC). Default: ${DEFAULT-VALUE}.")
    LocalDate start;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
            description = "The log; - for stdout; gzip-compressed when it ends in .gz. Default: stdout.")
    String out;

    @Option(names = "--config-out", defaultValue = "generated-channels.yaml", paramLabel = "FILE",
            description = "The channel configuration for the log: JSON when FILE ends in .json, else YAML (both read "
                    + "about as fast). Default: ${DEFAULT-VALUE}.")
    Path configOut;

    @Override
    public Integer call() throws IOException {
        String problem = SyntheticLog.problem(channels, days, start);
        if (problem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--" + problem);
        }
        SyntheticLog log = new SyntheticLog(channels, days, seed, start);
        boolean json = configOut.getFileName() != null && configOut.getFileName().toString().endsWith(".json");
        Files.writeString(configOut, json ? log.channelsJson() : log.channelsYaml(), StandardCharsets.UTF_8);
        long events;
        OutputStream raw = out.equals("-") ? new ReplayCommand.NonClosing(System.out) : Files.newOutputStream(Path.of(out));
        if (out.endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        try (Writer w = new OutputStreamWriter(raw, StandardCharsets.UTF_8)) {
            events = log.write(w);
        }
        System.err.println("wrote " + events + " events" + (out.equals("-") ? "" : " to " + out)
                + " and the channel configuration to " + configOut);
        return ExitCodes.OK;
    }
}
