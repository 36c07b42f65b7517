package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program from a Debian package that a test runs for real (promtool, Alertmanager, Prometheus). On a developer's
 * machine without it the test is skipped with a message saying what to install; under {@code CI=true} it fails,
 * since CI installs the package ({@code .ci/run}).
 */
public final class DebianBinary {

    private DebianBinary() {
    }

    /**
     * The binary at {@code System.getProperty(property)}, else at {@code defaultPath}, when it is executable; else
     * skips the test, or fails it under {@code CI=true}.
     */
    public static Path require(String property, String defaultPath, String debianPackage) {
        Path binary = Path.of(System.getProperty(property, defaultPath));
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String message = binary + " is not installed (Debian: apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so this test must run");
        }
        Assumptions.assumeTrue(false, "skipped: " + message + "; set CI=true to make this a failure");
        return binary;
    }
}
