package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command table of {@link Main}, and that a command line builds only the command it names. */
class MainTest {

    @Test
    void theTableNamesEachCommandAsTheCommandNamesItself() {
        for (Map.Entry<String, Class<?>> e : Main.COMMANDS.entrySet()) {
            CommandLine.Command c = e.getValue().getAnnotation(CommandLine.Command.class);
            assertThat(c).as(e.getValue().getName()).isNotNull();
            assertThat(c.name()).as("the command name of " + e.getValue().getSimpleName()).isEqualTo(e.getKey());
        }
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Main.COMMANDS.keySet());
    }

    @Test
    void aCommandLineGetsTheOneCommandItNames() {
        assertThat(Main.commandLine("replay", "--channels", "c.yaml", "log.jsonl").getSubcommands().keySet()).containsExactly("replay");
        assertThat(Main.commandLine("channels", "list").getSubcommands().keySet()).containsExactly("channels");
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    }

    @Test
    void helpNoCommandAndAMistypedOneGetThemAll() {
        for (String[] args : new String[][] {{"help", "replay"}, {}, {"--help"}, {"replya"}, {"--version", "replya"}}) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(Main.COMMANDS.keySet());
        }
    }
}
