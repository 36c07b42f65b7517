package org.hotlinemonitor.app;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the program (monitor-core and monitor-app, from their compiled classes, tests left out) depend on
 * each other without a cycle, the core depends on no adapter, and each package uses only the project's packages its
 * package-info names ("Uses: ..."): it can be read, and changed, a package at a time.
 */
class PackageCyclesTest {

    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.hotlinemonitor");

    @Test
    void noPackageCycles() {
        slices().matching("org.hotlinemonitor.(*).(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theCoreUsesNoAdapter() {
        ArchRuleDefinition.noClasses().that().resideInAPackage("org.hotlinemonitor.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hotlinemonitor.app..", "org.apache.kafka..",
                        "org.eclipse.jetty..", "io.micrometer..", "io.prometheus..", "ch.qos.logback..")
                .check(CLASSES);
    }

    static final Pattern USES = Pattern.compile("<p>Uses: (.+)\\.$", Pattern.MULTILINE);

    @Test
    void everyPackageUsesOnlyWhatItsPackageInfoSays() throws IOException {
        List<Path> infos = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../monitor-core/src/main/java"))) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.getFileName().toString().endsWith(".java")).map(Path::getParent).distinct()
                        .forEach(dir -> infos.add(dir.resolve("package-info.java")));
            }
        }
        assertThat(infos).hasSizeGreaterThan(15);
        List<String> violations = new ArrayList<>();
        for (Path info : infos) {
            assertThat(info).as("every package says what it owns and uses").exists();
            Matcher m = USES.matcher(Files.readString(info));
            assertThat(m.find()).as("%s: a '<p>Uses: ...' line", info).isTrue();
            String pkg = "org.hotlinemonitor." + info.getParent().toString().replace('\\', '/')
                    .replaceAll(".*/org/hotlinemonitor/", "").replace('/', '.');
            List<String> allowed = new ArrayList<>(List.of(pkg, "java..", "javax.."));
            allowed.add(""); // primitives and arrays of them
            if (!m.group(1).startsWith("none")) {
                for (String used : m.group(1).split(",\\s*")) {
                    allowed.add("org.hotlinemonitor." + used.strip());
                }
            }
            ArchRuleDefinition.noClasses().that().resideInAPackage(pkg)
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                            "in a project package not in " + allowed,
                            c -> c.getPackageName().startsWith("org.hotlinemonitor.")
                                    && allowed.stream().noneMatch(a -> c.getPackageName().equals(a))))
                    .evaluate(CLASSES).getFailureReport().getDetails().stream().limit(3)
                    .forEach(d -> violations.add(info.getParent().getFileName() + ": " + d));
        }
        assertThat(violations).as("uses not named in package-info.java").isEmpty();
    }
}
