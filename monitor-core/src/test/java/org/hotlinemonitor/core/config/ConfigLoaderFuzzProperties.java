package org.hotlinemonitor.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Any bytes given as a channel file end in a configuration or a {@link ConfigException} whose every problem names
 * the file and says something, never in another exception: random bytes and text, and the example file with bytes
 * flipped, cut, doubled or inserted (YAML's own characters among them).
 */
class ConfigLoaderFuzzProperties {

    static final Path EXAMPLE = Path.of("../examples/channels.yaml");
    private static final byte[] SPECIAL = ":-[]{}'\"#&*!|>%@`, \n\t?\\0123456789PTHM".getBytes(StandardCharsets.US_ASCII);
    static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("config-fuzz");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 1500)
    void anyBytesGiveAConfigurationOrProblemsNamingTheFile(@ForAll("files") byte[] bytes) throws Exception {
        Path file = dir.resolve("channels.yaml");
        Files.write(file, bytes);
        net.jqwik.api.statistics.Statistics.label("outcome").collect(check(() -> ConfigLoader.load(file), file.toString()));
        check(() -> ConfigLoader.load("from-reader.yaml", new StringReader(new String(bytes, StandardCharsets.UTF_8))),
                "from-reader.yaml");
    }

    interface Load {
        MonitorConfig load() throws ConfigException;
    }

    /** "loaded" or "problems". */
    private static String check(Load load, String name) {
        try {
            MonitorConfig config = load.load();
            assertThat(config.channels()).isNotNull();
            return "loaded";
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            assertThat(e.problems()).allSatisfy(p -> {
                assertThat(p.file()).isEqualTo(name);
                assertThat(p.message()).isNotBlank();
            });
            return "problems";
        }
    }

    @Provide
    Arbitrary<byte[]> files() throws Exception {
        byte[] example = Files.readAllBytes(EXAMPLE);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> text = Arbitraries.strings().withChars(new String(SPECIAL, StandardCharsets.US_ASCII).toCharArray())
                .withCharRange('a', 'z').ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = Arbitraries.longs().map(seed -> mutate(example, new Random(seed)));
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(1, text), Tuple.of(4, mutated));
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(5);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                case 2 -> b = concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + random.nextInt(20)), b.length));
                case 3 -> b = concat(Arrays.copyOfRange(b, 0, at + 1), Arrays.copyOfRange(b, at, b.length));
                case 4 -> b = concat(concat(Arrays.copyOfRange(b, 0, at), new byte[] {SPECIAL[random.nextInt(SPECIAL.length)]}),
                        Arrays.copyOfRange(b, at, b.length));
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
