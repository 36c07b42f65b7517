package org.hotlinemonitor.app.cli;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.app.broker.KafkaSetupException;
import org.hotlinemonitor.app.metrics.MetricsServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hotline-monitor} command line: wiring only. */
@Command(name = "hotline-monitor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Monitors liaison hotlines checked with routine calls at fixed times.",
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
    static final List<String> PROGRAM = List.of("java", "-jar", "monitor-app/target/monitor-app.jar");

    /**
     * The commands by name, in the order {@code --help} lists them. Picocli reads a command's options from its
     * annotations when the command is added, which for all of them costs more than a short replay itself: so a command
     * line that names its command gets that one only ({@link #commandLine(String...)}). {@code MainTest} checks these
     * names against the commands' own.
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("run", RunCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("produce", ProduceCommand.class);
        m.put("detect", DetectCommand.class);
        m.put("replay", ReplayCommand.class);
        m.put("generate", GenerateCommand.class);
        m.put("broker", BrokerCommand.class);
        m.put("record", RecordCommand.class);
        m.put("notify", NotifyCommand.class);
        m.put("token", TokenCommand.class);
        m.put("acls", AclsCommand.class);
        m.put("annotations", AnnotationsCommand.class);
        m.put("channels", ChannelsCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(m);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StopSignal.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command line, every command in it (for the usage, and for tests that walk the commands). */
    static CommandLine commandLine() {
        return commandLine(COMMANDS.keySet());
    }

    /**
     * The command line that {@code args} need: the one command they name (its first word that is not an option), or no
     * command for a bare {@code --version}, or every command otherwise ({@code help}, no command, a mistyped one: the
     * usage and the suggestions list them all).
     */
    public static CommandLine commandLine(String... args) {
        String first = null;
        boolean versionOnly = args.length > 0;
        for (String a : args) {
            if (!a.startsWith("-")) {
                first = a;
                break;
            }
            versionOnly &= a.equals("--version") || a.equals("-V");
        }
        if (first != null && COMMANDS.containsKey(first) && !first.equals("help")) {
            return commandLine(List.of(first));
        }
        return commandLine(first == null && versionOnly ? List.of() : COMMANDS.keySet());
    }

    private static CommandLine commandLine(Collection<String> commands) {
        CommandLine cl = new CommandLine(new Main());
        for (String name : commands) {
            cl.addSubcommand(name, COMMANDS.get(name));
        }
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
