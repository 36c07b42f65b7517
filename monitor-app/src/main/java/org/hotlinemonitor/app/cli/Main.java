package org.hotlinemonitor.app.cli;

import org.hotlinemonitor.app.broker.KafkaSetupException;
import org.hotlinemonitor.app.metrics.MetricsServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hotline-monitor} command line: wiring only. */
@Command(name = "hotline-monitor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Monitors liaison hotlines checked with routine calls at fixed times.",
        subcommands = {RunCommand.class, DemoCommand.class, ProduceCommand.class, DetectCommand.class, ReplayCommand.class,
            GenerateCommand.class, BrokerCommand.class, RecordCommand.class, NotifyCommand.class, TokenCommand.class,
            AclsCommand.class, AnnotationsCommand.class, ChannelsCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:other failure (I/O error, Kafka could not be set up, bug)",
            "2:usage error (unknown option, missing argument)",
            "3:bad input (invalid configuration, unreadable input, a bad line under --strict, a record that does not fit the configuration)",
            "4:replay finished but refused some input (kept in the rejects file)",
            "5:replay input damaged (a truncated or corrupt .gz): read up to the damage, alerts and report written"})
public final class Main implements Runnable {

    /**
     * How the documentation runs the program, from the repository's root after {@code ./mvnw package}: the words that
     * start a command the monitor prints for an operator to paste (see {@link Live#recordCommand}).
     */
    static final java.util.List<String> PROGRAM = java.util.List.of("java", "-jar", "monitor-app/target/monitor-app.jar");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StopSignal.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(Main::exitCode);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCode(ex);
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + message));
            // A KafkaSetupException's or MetricsServerException's one line says it all (a port taken, a directory not
            // writable).
            if (code == ExitCodes.FAILURE && !(ex instanceof KafkaSetupException) && !(ex instanceof MetricsServerException)) {
                ex.printStackTrace(commandLine.getErr());
            }
            return code;
        });
        return cl;
    }

    /**
     * A usage error in one line (a message of several lines, such as every bad Kafka setting, keeps its lines): the
     * mistake, the closest valid option or command when there is one, and where to find the rest. Not the whole usage,
     * which buries the one line that matters.
     */
    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        StringBuilder line = new StringBuilder("error: ").append(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(u.getSuggestions().get(0)).append('?');
        }
        line.append(" (").append(c.getCommandSpec().qualifiedName()).append(" --help for the options)");
        c.getErr().println(c.getColorScheme().errorText(line.toString()));
        return ExitCodes.USAGE;
    }

    private static int exitCode(Throwable ex) {
        if (ex instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        if (ex instanceof BadInput) {
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.FAILURE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** A problem with what the user gave us (exit code 3), with a message that says what and where. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }

        BadInput(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
