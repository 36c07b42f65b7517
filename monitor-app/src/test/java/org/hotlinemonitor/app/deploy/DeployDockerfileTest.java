package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/Dockerfile, read as Docker would (there is no Docker engine here to build it): every base image pinned
 * by an exact tag or a digest, the build run by the Maven wrapper whose files exist, the jar it copies named as the
 * Maven build names it, a user that is not root, a health check, the volumes and the port the monitor uses. And the
 * health check itself (deploy/docker/Healthcheck.java), compiled as the image's build stage compiles it and run
 * against the monitor's real HTTP server in each of its shapes.
 */
@org.junit.jupiter.api.Tag("integration")
class DeployDockerfileTest {

    static Path dockerfile() {
        return DeployFiles.root().resolve("deploy/docker/Dockerfile");
    }

    /** One instruction: its keyword, its arguments (continuation lines joined), its line number. */
    record Instruction(String keyword, String args, int line) {
        @Override
        public String toString() {
            return "Dockerfile:" + line + ": " + keyword + " " + args;
        }
    }

    static List<Instruction> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                assertThat(space).as("Dockerfile:%d: an instruction without arguments: %s", start, text).isPositive();
                out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip(), start));
                current = null;
            }
        }
        assertThat(current).as("Dockerfile ends inside a continued line").isNull();
        return out;
    }

    static List<Instruction> all(List<Instruction> in, String keyword) {
        return in.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    private static final Pattern FROM = Pattern.compile("(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXACT_TAG = Pattern.compile("[a-z0-9./_-]+:(\\d+\\.\\d+\\.\\d+[\\w.-]*)(@sha256:[0-9a-f]{64})?");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9./_-]+(:[\\w.-]+)?@sha256:[0-9a-f]{64}");

    @Test
    void everyBaseImageIsPinnedAndIsJava17() throws IOException {
        List<Instruction> froms = all(parse(dockerfile()), "FROM");
        assertThat(froms).as("a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);
        List<String> stages = new ArrayList<>();
        for (Instruction from : froms) {
            Matcher m = FROM.matcher(from.args());
            assertThat(m.matches()).as("%s", from).isTrue();
            String image = m.group(1);
            if (!stages.contains(image)) {
                assertThat(EXACT_TAG.matcher(image).matches() || DIGEST.matcher(image).matches())
                        .as("%s: pin the image by an exact version tag (x.y.z...) or a digest", from).isTrue();
                assertThat(image).as("%s: Java 17, as the build's maven.compiler.release", from).contains(":17.");
            }
            if (m.group(2) != null) {
                stages.add(m.group(2));
            }
        }
        assertThat(froms.get(0).args()).as("the build stage has a JDK").contains("-jdk");
        assertThat(froms.get(froms.size() - 1).args()).as("the runtime stage a JRE only").contains("-jre");
    }

    @Test
    void theBuildRunsTheWrapperItCopiesAndTheJarIsTheOneMavenMakes() throws Exception {
        List<Instruction> in = parse(dockerfile());
        Path root = DeployFiles.root();
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        List<String> copied = new ArrayList<>();
        for (Instruction copy : all(in, "COPY")) {
            if (copy.args().startsWith("--from=")) {
                continue;
            }
            String[] words = copy.args().split("\\s+");
            for (int k = 0; k < words.length - 1; k++) {
                String source = words[k];
                assertThat(root.resolve(source)).as("%s: %s must exist in the repository", copy, source).exists();
                for (String pattern : ignored) {
                    String p = pattern.replace("**/", "");
                    assertThat(source.equals(p) || source.startsWith(p + "/") || source.contains("/" + p + "/"))
                            .as("%s: %s is excluded by .dockerignore (%s)", copy, source, pattern).isFalse();
                }
                copied.add(source);
            }
        }
        assertThat(copied).contains("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "monitor-core/pom.xml",
                "monitor-app/pom.xml", "monitor-core/src", "monitor-app/src", "deploy/docker/Healthcheck.java");
        assertThat(Files.isExecutable(root.resolve("mvnw"))).as("mvnw is executable (git keeps the bit)").isTrue();
        // every module of the root pom has its pom copied, or the reactor would not even read; the sources of the
        // modules the build makes (-pl monitor-app -am) are asserted above, the benchmarks' are not needed
        String rootPom = Files.readString(root.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
        while (module.find()) {
            assertThat(copied).as("module %s's pom", module.group(1)).contains(module.group(1) + "/pom.xml");
        }

        String appPom = Files.readString(root.resolve("monitor-app/pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(appPom);
        assertThat(finalName.find()).as("monitor-app/pom.xml names its jar").isTrue();
        String jar = "monitor-app/target/" + finalName.group(1) + ".jar";
        String build = all(in, "RUN").stream().map(Instruction::args).filter(a -> a.contains("./mvnw")).findFirst().orElse("");
        assertThat(build).as("the build stage runs the Maven wrapper").contains("./mvnw", "package", "-pl monitor-app -am");
        assertThat(build).as("and takes the jar Maven writes").contains("cp " + jar + " /monitor-app.jar");

        Instruction copyJar = all(in, "COPY").stream().filter(c -> c.args().startsWith("--from=build /monitor-app.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no COPY --from=build /monitor-app.jar"));
        String installed = copyJar.args().split("\\s+")[2];
        Instruction entrypoint = all(in, "ENTRYPOINT").get(0);
        assertThat(entrypoint.args()).as("%s", entrypoint).isEqualTo("[\"java\", \"-jar\", \"" + installed + "\"]");
    }

    @Test
    void runsAsAnUnprivilegedUserWithVolumesThePortAndAHealthCheck() throws IOException {
        List<Instruction> in = parse(dockerfile());
        List<Instruction> users = all(in, "USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).args();
        assertThat(user.split(":")[0]).as("the last USER").isNotIn("root", "0");
        String useradd = all(in, "RUN").stream().map(Instruction::args).filter(a -> a.contains("useradd")).findFirst().orElse("");
        assertThat(useradd).as("the user is created").contains("useradd").contains(" " + user.split(":")[0]);
        assertThat(in.indexOf(users.get(users.size() - 1))).as("USER comes after the last RUN")
                .isGreaterThan(in.indexOf(all(in, "RUN").get(all(in, "RUN").size() - 1)));

        assertThat(all(in, "EXPOSE")).extracting(Instruction::args).containsExactly(String.valueOf(MetricsServer.DEFAULT_PORT));
        String env = String.join(" ", all(in, "ENV").stream().map(Instruction::args).toList());
        Matcher dataDir = Pattern.compile("HOTLINE_DATA_DIR=(\\S+)").matcher(env);
        assertThat(dataDir.find()).as("ENV HOTLINE_DATA_DIR").isTrue();
        assertThat(env).contains("HOTLINE_HTTP_PORT=" + MetricsServer.DEFAULT_PORT);
        String volumes = all(in, "VOLUME").get(0).args();
        assertThat(volumes).contains("\"" + dataDir.group(1) + "\"", "\"/etc/hotline-monitor\"");

        List<Instruction> checks = all(in, "HEALTHCHECK");
        assertThat(checks).hasSize(1);
        String check = checks.get(0).args();
        assertThat(check).contains("CMD [\"java\"", "\"-cp\", \"/opt/hotline-monitor/healthcheck\", \"Healthcheck\"]");
        assertThat(all(in, "COPY")).extracting(Instruction::args)
                .as("the compiled classes (the nested ones too) are copied where the check runs them")
                .contains("--from=build /healthcheck/classes/ /opt/hotline-monitor/healthcheck/");
        assertThat(all(in, "RUN")).extracting(Instruction::args)
                .contains("javac --release 17 -d /healthcheck/classes /healthcheck/Healthcheck.java");
    }

    // --- the health check, run for real ---

    @TempDir
    Path classes;

    private void compile() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        Path source = DeployFiles.root().resolve("deploy/docker/Healthcheck.java");
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString());
        assertThat(rc).as("javac Healthcheck.java").isZero();
    }

    record Checked(int exit, String out) {
    }

    private Checked check(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx16m",
                "-cp", classes.toString(), "Healthcheck").redirectErrorStream(true);
        pb.environment().put("HOTLINE_HTTP_PORT", String.valueOf(port));
        pb.environment().remove("HOTLINE_HTTP_TLS_CERT");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the check ends").isTrue();
        return new Checked(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void theHealthCheckTellsReadyFromNotReadyOnTheMonitorsOwnServer() throws Exception {
        compile();
        try (Stream<Path> s = Files.list(classes)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("several classes: copy the directory")
                    .contains("Healthcheck.class").hasSizeGreaterThan(1);
        }
        // run, starting: /readyz is 503 "the monitor is starting"
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry(), null, true)) {
            Checked c = check(server.port());
            assertThat(c.exit()).as(c.out()).isEqualTo(1);
            assertThat(c.out()).contains("not ready: /readyz answered 503", "the monitor is starting");
        }
        // detect: /readyz is 404, hotline_ready on /metrics says
        AtomicBoolean ready = new AtomicBoolean(false);
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            metrics.ready(ready::get);
            Checked notYet = check(server.port());
            assertThat(notYet.exit()).as(notYet.out()).isEqualTo(1);
            assertThat(notYet.out()).isEqualTo("not ready: hotline_ready 0.0");
            ready.set(true);
            Checked now = check(server.port());
            assertThat(now.exit()).as(now.out()).isZero();
            assertThat(now.out()).isEqualTo("ready: hotline_ready 1");
        }
        // notify: /metrics only, no readiness gauge: alive is all it can say
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            Checked c = check(server.port());
            assertThat(c.exit()).as(c.out()).isZero();
            assertThat(c.out()).startsWith("alive: /metrics answers");
        }
        // nothing listening (the process died, or produce, which serves no HTTP)
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Checked down = check(free);
        assertThat(down.exit()).as(down.out()).isEqualTo(1);
        assertThat(down.out()).startsWith("not ready: http://127.0.0.1:" + free + " does not answer");
    }
}
