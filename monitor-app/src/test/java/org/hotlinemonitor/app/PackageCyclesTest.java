package org.hotlinemonitor.app;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The packages of the program (monitor-core and monitor-app, from their compiled classes, tests left out) depend on
 * each other without a cycle, and the core depends on no adapter: it can be read, and changed, a package at a time.
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
}
