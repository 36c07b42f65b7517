package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hotlinemonitor.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/systemd: every unit passes {@code systemd-analyze verify} with no warning at all (it exits 0 on an unknown key
 * or a value it cannot parse, and only says so) and {@code systemd-analyze security --offline} under an exposure of
 * 1.5; each has the hardening, restart policy and environment file the deployment promises, and runs the jar the
 * build makes with a command and options the monitor's own command line accepts; the example environment files set
 * only variables the monitor reads, or the Kafka passwords and JVM options the units and properties files use.
 *
 * <p>{@code systemd-analyze verify} checks that ExecStart's program exists: the units name {@code /usr/bin/java}
 * (Debian's and most distributions' link to the default Java); where it is missing, the test verifies a copy whose
 * ExecStart names this test's own JVM instead, and says so. The jar's path is an argument, not checked by systemd.
 * The program comes from Debian's {@code systemd} package: skipped without it, failed under {@code CI=true}.
 */
@org.junit.jupiter.api.Tag("integration")
class DeploySystemdTest {

    static Path dir() {
        return DeployFiles.root().resolve("deploy/systemd");
    }

    static List<Path> units() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".service")).sorted().toList();
        }
    }

    /** The command each unit runs, by file name. */
    static final Map<String, String> COMMANDS = Map.of("hotline-detect@.service", "detect", "hotline-produce@.service", "produce",
            "hotline-notify@.service", "notify");

    record Result(int exit, String out) {
    }

    static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.strip());
    }

    /** The unit as systemd-analyze can check it here: /usr/bin/java replaced by this JVM's when it is missing. */
    static Path checkable(Path unit, Path tmp) throws IOException {
        String text = Files.readString(unit);
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            System.out.println(unit.getFileName() + ": /usr/bin/java is missing here; verifying with ExecStart=" + java);
            text = text.replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ");
        }
        return Files.writeString(tmp.resolve(unit.getFileName()), text);
    }

    @Test
    void systemdAnalyzeVerifiesEveryUnitWithoutAWarning(@TempDir Path tmp) throws Exception {
        Path analyze = DebianBinary.require("hotline.systemd-analyze", "/usr/bin/systemd-analyze", "systemd");
        assertThat(units()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrderElementsOf(COMMANDS.keySet());
        for (Path unit : units()) {
            Path copy = checkable(unit, tmp);
            Result verify = run(analyze.toString(), "verify", "--man=no", copy.toString());
            System.out.println("systemd-analyze verify " + unit.getFileName() + ": exit " + verify.exit()
                    + (verify.out().isEmpty() ? ", no output" : "\n" + verify.out()));
            assertThat(verify.exit()).as(verify.out()).isZero();
            assertThat(verify.out()).as("%s: systemd-analyze verify says nothing about a good unit", unit.getFileName()).isEmpty();

            Result security = run(analyze.toString(), "security", "--offline=yes", "--no-pager", "--threshold=15", copy.toString());
            String last = security.out().lines().reduce((a, b) -> b).orElse("");
            System.out.println("systemd-analyze security " + unit.getFileName() + ": " + last);
            assertThat(security.exit()).as("%s: exposure above 1.5: %s", unit.getFileName(), last).isZero();
        }
    }

    @Test
    void verifyCatchesABrokenUnit(@TempDir Path tmp) throws Exception {
        // the check above can fail: a misspelt key and a program that does not exist are reported
        Path analyze = DebianBinary.require("hotline.systemd-analyze", "/usr/bin/systemd-analyze", "systemd");
        Path unit = checkable(dir().resolve("hotline-detect@.service"), tmp);
        Path typo = Files.writeString(tmp.resolve("typo@.service"), Files.readString(unit).replace("ProtectSystem=", "ProtectSystm="));
        assertThat(run(analyze.toString(), "verify", "--man=no", typo.toString()).out()).contains("Unknown key 'ProtectSystm'");
        Path missing = Files.writeString(tmp.resolve("missing@.service"),
                Files.readString(unit).replaceFirst("ExecStart=\\S+", "ExecStart=/nonexistent/java"));
        Result r = run(analyze.toString(), "verify", "--man=no", missing.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("/nonexistent/java");
    }

    static Map<String, List<String>> settings(Path unit) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("%s: %s", unit.getFileName(), line).isPositive();
            out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return out;
    }

    @Test
    void everyUnitIsHardenedRestartsOnFailureAndRunsTheBuildsJar() throws Exception {
        String appPom = Files.readString(DeployFiles.root().resolve("monitor-app/pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(appPom);
        assertThat(finalName.find()).isTrue();
        String sysusers = Files.readString(dir().resolve("hotline-monitor.sysusers.conf"));
        Map<String, String> required = new LinkedHashMap<>();
        required.put("User", "hotline-monitor");
        required.put("Group", "hotline-monitor");
        required.put("EnvironmentFile", "/etc/hotline-monitor/%i.env");
        required.put("Restart", "on-failure");
        required.put("RestartSec", "5s");
        required.put("RestartPreventExitStatus", "2 3");
        required.put("NoNewPrivileges", "yes");
        required.put("ProtectSystem", "strict");
        required.put("ProtectHome", "yes");
        required.put("PrivateTmp", "yes");
        required.put("PrivateDevices", "yes");
        required.put("CapabilityBoundingSet", "");
        required.put("AmbientCapabilities", "");
        required.put("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX");
        required.put("SystemCallFilter", "@system-service");
        required.put("SystemCallArchitectures", "native");
        required.put("StateDirectory", "hotline-monitor/%i");
        required.put("ReadWritePaths", "/var/lib/hotline-monitor/%i");
        required.put("WorkingDirectory", "/var/lib/hotline-monitor/%i");
        assertThat(sysusers).contains("u hotline-monitor ");
        for (Path unit : units()) {
            Map<String, List<String>> s = settings(unit);
            required.forEach((key, value) -> assertThat(s.get(key)).as("%s: %s", unit.getFileName(), key).containsExactly(value));
            assertThat(s).as("%s: the JIT writes code it runs", unit.getFileName()).doesNotContainKey("MemoryDenyWriteExecute");

            String exec = s.get("ExecStart").get(0);
            String prefix = "/usr/bin/java $JAVA_OPTS -jar /opt/hotline-monitor/" + finalName.group(1) + ".jar ";
            assertThat(exec).as("%s", unit.getFileName()).startsWith(prefix);
            List<String> args = new ArrayList<>(List.of(exec.substring(prefix.length()).replace("%i", "instance-1").split(" ")));
            assertThat(args.get(0)).isEqualTo(COMMANDS.get(unit.getFileName().toString()));
            // the monitor's own command line takes the command and its options (parsed, not run)
            CommandLine.ParseResult parsed = Main.commandLine(args.toArray(String[]::new)).parseArgs(args.toArray(String[]::new));
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(args.get(0));
            assertThat(parsed.subcommand().unmatched()).isEmpty();
        }
    }

    @Test
    void theExampleEnvironmentFilesSetOnlyWhatTheMonitorReads() throws Exception {
        Set<String> known = new TreeSet<>();
        Pattern name = Pattern.compile("HOTLINE_[A-Z][A-Z_]*[A-Z]");
        for (String src : List.of("monitor-app/src/main", "monitor-core/src/main")) {
            try (Stream<Path> files = Files.walk(DeployFiles.root().resolve(src))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    name.matcher(Files.readString(f)).results().forEach(m -> known.add(m.group()));
                }
            }
        }
        for (String role : List.of("detect", "produce", "notify")) {
            Path example = dir().resolve(role + ".env.example");
            Set<String> set = Files.readAllLines(example).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
            assertThat(set).as("%s", example.getFileName()).contains("HOTLINE_BOOTSTRAP_SERVERS", "HOTLINE_KAFKA_CONFIG", "JAVA_OPTS");
            for (String variable : set) {
                if (variable.startsWith("HOTLINE_")) {
                    assertThat(known).as("%s: %s is read by the monitor", example.getFileName(), variable).contains(variable);
                } else {
                    assertThat(variable).as("%s: %s", example.getFileName(), variable).matches("JAVA_OPTS|[A-Z]+_KAFKA_PASSWORD");
                }
            }
            assertThat(Files.readString(example)).doesNotContainPattern("PASSWORD=(?!CHANGE-ME\\n)");
        }
    }
}
