package org.hotlinemonitor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw test} runs the unit tests only, in process and fast; the tests tagged {@code integration} run in
 * {@code verify}. This keeps the split honest: a test class that starts a broker, a child process, Prometheus,
 * Alertmanager or a browser carries the tag, and one that does none of these does not.
 */
class IntegrationTagTest {

    /** What makes a test an integration test, as written in the test sources. */
    static final Pattern NEEDS_THE_WORLD = Pattern.compile("EmbeddedBroker\\.start|TestCluster\\.|KafkaClusterTestKit"
            + "|ProcessBuilder|DebianBinary|ChromeDriver|chromium|startForStreams|LiveStack\\.start");
    static final String TAG = "@org.junit.jupiter.api.Tag(\"integration\")";
    /** In process, but slow on purpose (clients that read a byte a second). */
    static final List<String> SLOW_IN_PROCESS = List.of("SlowClientsTest.java");

    @Test
    void everyTestThatNeedsABrokerAProcessOrABrowserIsTaggedAndNoOtherIs() throws IOException {
        List<String> untagged = new ArrayList<>();
        List<String> tagged = new ArrayList<>();
        int tests = 0;
        for (Path root : List.of(Path.of("src/test/java"), Path.of("../monitor-core/src/test/java"))) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(p -> p.getFileName().toString().matches(".*(Test|Properties)\\.java")).sorted().toList();
            }
            for (Path f : files) {
                tests++;
                String text = Files.readString(f);
                boolean needs = NEEDS_THE_WORLD.matcher(text.replace(NEEDS_THE_WORLD.pattern(), "")).find()
                        || SLOW_IN_PROCESS.contains(f.getFileName().toString());
                boolean isTagged = text.contains(TAG);
                if (f.getFileName().toString().equals("IntegrationTagTest.java")) {
                    continue;
                }
                if (needs && !isTagged) {
                    untagged.add(f.toString());
                } else if (!needs && isTagged) {
                    tagged.add(f.toString());
                }
            }
        }
        assertThat(tests).as("test classes found").isGreaterThan(100);
        assertThat(untagged).as("integration tests without " + TAG).isEmpty();
        assertThat(tagged).as("tagged integration, but they need nothing outside the JVM").isEmpty();
    }
}
