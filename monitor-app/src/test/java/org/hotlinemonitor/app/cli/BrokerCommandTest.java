package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.hotlinemonitor.app.broker.KafkaSettings;
import org.hotlinemonitor.app.broker.KafkaSettings.Setting;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code broker} as a user runs it: in its own JVM until SIGTERM, and the one-line errors of what is in its way. */
@org.junit.jupiter.api.Tag("integration")
class BrokerCommandTest {

    @TempDir
    Path tmp;

    @Test
    void runsUntilSigtermPrintingItsBootstrapServersAndExitsZero() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path stderr = tmp.resolve("stderr.txt");
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "broker", "--data-dir", dataDir.toString(), "--broker-port", "0", "--controller-port", "0",
                "--topic-events", "sig.events")
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String bootstrap = CompletableFuture.supplyAsync(() -> {
                try {
                    return stdout.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(120, TimeUnit.SECONDS);
            assertThat(bootstrap).as(() -> read(stderr)).matches("127\\.0\\.0\\.1:\\d+");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .contains("sig.events", "hotline.alerts", "hotline.rejects");
            }

            broker.toHandle().destroy(); // SIGTERM, leaving our ends of its pipes open
            assertThat(broker.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            assertThat(broker.exitValue()).as(() -> read(stderr)).isZero();
            assertThat(read(stderr)).contains("Stopping the broker", "Embedded Kafka broker stopped").doesNotContain("Exception");
            assertThat(stdout.readLine()).isNull(); // nothing but the bootstrap servers on stdout
            assertThat(dataDir.resolve("kafka/meta.properties")).exists();
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void aTakenPortIsOneLineOnStderrAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = CliTest.run("broker", "--data-dir", tmp.toString(), "--broker-port", String.valueOf(port));
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).isEqualTo("error: port " + port + " is already in use (embedded broker listener); choose another with --broker-port"
                    + System.lineSeparator());
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsOneLineOnStderrAndExitCode1() throws Exception {
        Path dataDir = Files.writeString(tmp.resolve("a-file"), "").resolve("data");
        Result r = CliTest.run("broker", "--data-dir", dataDir.toString(), "--broker-port", "0", "--controller-port", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("error: data directory " + dataDir + " is not writable: ").hasLineCount(1);
    }

    @Test
    void badValuesAreUsageErrors() {
        Result r = CliTest.run("broker", "--broker-port", "ninety", "--partitions", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("invalid Kafka settings:", "--partitions: expected a whole number", "--broker-port: expected a port number");
    }

    @Test
    void eachOptionNamesItsVariableAndDefault() {
        CommandLine.Model.CommandSpec broker = Main.commandLine().getSubcommands().get("broker").getCommandSpec();
        for (Setting setting : Setting.values()) {
            if (setting != Setting.BOOTSTRAP_SERVERS) {
                assertDocumented(broker, setting);
            }
        }
        assertThat(broker.findOption("--bootstrap-servers")).as("broker always runs its own").isNull();
        assertThat(CliTest.run("--help").out()).contains("broker");
    }

    /** The option's description says what KafkaSettings does: its variable and its default. */
    static void assertDocumented(CommandLine.Model.CommandSpec command, Setting setting) {
        CommandLine.Model.OptionSpec option = command.findOption(setting.option());
        assertThat(option).as(setting.option()).isNotNull();
        String description = String.join(" ", option.description());
        assertThat(description).contains("Env: " + setting.envVar() + ".");
        setting.defaultValue().ifPresent(value -> assertThat(description).contains("Default: " + value + "."));
    }

    @Command(name = "kafka-user")
    static final class KafkaUser implements Runnable {
        @Mixin
        KafkaOptions kafka;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
        KafkaSettings settings;

        @Override
        public void run() {
            settings = kafka.settings(spec.commandLine());
        }
    }

    @Test
    void kafkaOptionsIsOneMixinWithEveryOption() {
        KafkaUser command = new KafkaUser();
        CommandLine cl = new CommandLine(command);
        for (Setting setting : Setting.values()) {
            assertDocumented(cl.getCommandSpec(), setting);
        }
        assertThat(cl.execute("--bootstrap-servers", "kafka:9092", "--topic-rejects", "dead.letters", "--partitions", "3")).isZero();
        assertThat(command.settings.bootstrapServers()).contains("kafka:9092");
        assertThat(command.settings.topics().rejects()).isEqualTo("dead.letters");
        assertThat(command.settings.partitions()).isEqualTo(3);
        assertThat(command.settings.topicSpecs()).allMatch(s -> s.replicationFactor().isEmpty());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
