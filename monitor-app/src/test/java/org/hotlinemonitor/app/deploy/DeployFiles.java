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

    /** What a program run by {@link #run} did. */
    record Result(int exit, String out, String err) {
    }

    /**
     * Runs {@code command} in the repository root with only {@code PATH}, {@code HOME}, {@code LANG} and {@code env} in
     * its environment (so no variable of the developer's decides the outcome); waits at most two minutes.
     */
    static Result run(java.util.Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
        pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("LANG"));
        pb.environment().putAll(env);
        Process p = pb.start();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(List.of(command) + " did not end within 120 s");
        }
        drain.join();
        return new Result(p.exitValue(), out, err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

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
