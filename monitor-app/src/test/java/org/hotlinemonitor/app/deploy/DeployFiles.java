package org.hotlinemonitor.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the shipped deploy/ files are, from a test's working directory (the module or the repository root). */
final class DeployFiles {

    private DeployFiles() {
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The repository root: the directory that holds deploy/prometheus. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/prometheus"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/prometheus above " + here);
    }

    static Path prometheus() {
        return root().resolve("deploy/prometheus");
    }

    static Path alertmanager() {
        return root().resolve("deploy/alertmanager/alertmanager.yml");
    }

    static List<Path> ruleFiles() {
        return list(prometheus().resolve("rules"));
    }

    static List<Path> ruleTests() {
        return list(prometheus().resolve("tests"));
    }

    static JsonNode read(Path yaml) {
        try {
            return YAML.readTree(yaml.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + yaml, e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(".yml")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
