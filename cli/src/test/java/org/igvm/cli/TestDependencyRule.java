package org.igvm.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.igvm.cli.violation.CliClassUsingDomain;
import org.igvm.domain.spi.violation.SpiClassUsingDomainInternals;
import org.igvm.domain.violation.DomainClassUsingGuice;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of spec/architecture.md: api ← domain ← adapters/transports ← bootstrap/cli.
 * Checked on the production classes of every module on this test's class path.
 */
class TestDependencyRule {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.igvm");

    static final ArchRule API_IS_PLAIN_JAVA = classes()
            .that()
            .resideInAPackage("org.igvm.api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("org.igvm.api..", "java..")
            .as("api depends on the JDK only");

    static final ArchRule DOMAIN_IS_PURE = classes()
            .that()
            .resideInAPackage("org.igvm.domain..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("org.igvm.domain..", "org.igvm.api..", "java..", "org.slf4j..")
            .as("domain depends on api, the JDK and SLF4J only (no Guice, libvirt, sshj, JDBC, picocli)");

    static final ArchRule SPI_IS_API_AND_JDK_ONLY = classes()
            .that()
            .resideInAPackage("org.igvm.domain.spi..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("org.igvm.api..", "org.igvm.domain.spi..", "java..")
            .as("the SPI packages (org.igvm.domain.spi..) depend on org.igvm.api.., org.igvm.domain.spi.. and"
                    + " java.. only: all a plugin's class loader sees of igvm");

    static final ArchRule ADAPTERS_ARE_INDEPENDENT = slices().matching("org.igvm.(adapters|transport).(*)..")
            .should()
            .notDependOnEachOther()
            .as("adapters and transports never depend on each other");

    static final ArchRule NOTHING_BELOW_DEPENDS_ON_THE_EDGE = noClasses()
            .that()
            .resideInAnyPackage("org.igvm.api..", "org.igvm.domain..", "org.igvm.adapters..", "org.igvm.transport..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.igvm.cli..", "org.igvm.bootstrap..")
            .as("only the edge (bootstrap, cli) knows the whole");

    static final ArchRule ONLY_THE_EDGE_BUILDS_INJECTORS = noClasses()
            .that()
            .resideOutsideOfPackages("org.igvm.cli..", "org.igvm.bootstrap..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("com.google.inject.Guice")
            .as("only bootstrap and cli build the Guice injector");

    static final ArchRule CLI_USES_ONLY_API_AND_BOOTSTRAP = noClasses()
            .that()
            .resideInAPackage("org.igvm.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.igvm.domain..", "org.igvm.adapters..", "org.igvm.transport..")
            .as("the CLI uses only api and bootstrap (everything it does is in the Igvm facades)");

    @Test
    void productionCodeFollowsTheDependencyRule() {
        assertThat(PRODUCTION.stream().map(c -> c.getPackageName()))
                .as("the check sees every layer")
                .anyMatch(p -> p.startsWith("org.igvm.domain"))
                .anyMatch(p -> p.startsWith("org.igvm.domain.spi.transport"))
                .anyMatch(p -> p.startsWith("org.igvm.adapters.inventory"))
                .anyMatch(p -> p.startsWith("org.igvm.adapters.libvirt"))
                .anyMatch(p -> p.startsWith("org.igvm.cli"));
        API_IS_PLAIN_JAVA.check(PRODUCTION);
        DOMAIN_IS_PURE.check(PRODUCTION);
        SPI_IS_API_AND_JDK_ONLY.check(PRODUCTION);
        ADAPTERS_ARE_INDEPENDENT.check(PRODUCTION);
        NOTHING_BELOW_DEPENDS_ON_THE_EDGE.check(PRODUCTION);
        ONLY_THE_EDGE_BUILDS_INJECTORS.check(PRODUCTION);
        CLI_USES_ONLY_API_AND_BOOTSTRAP.check(PRODUCTION);
    }

    @Test
    void theRuleCatchesADomainClassThatUsesGuice() {
        JavaClasses offender = new ClassFileImporter().importClasses(DomainClassUsingGuice.class);
        EvaluationResult result = DOMAIN_IS_PURE.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains("com.google.inject"));
    }

    @Test
    void theRuleCatchesAnSpiClassThatUsesDomainInternals() {
        JavaClasses offender = new ClassFileImporter().importClasses(SpiClassUsingDomainInternals.class);
        assertThat(DOMAIN_IS_PURE.evaluate(offender).hasViolation())
                .as("the domain rule allows it: only the SPI rule catches it")
                .isFalse();
        EvaluationResult result = SPI_IS_API_AND_JDK_ONLY.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains("org.igvm.domain.lock.ObjectLocks"));
    }

    @Test
    void theRuleCatchesACliClassThatUsesTheDomainOrAnAdapter() {
        JavaClasses offender = new ClassFileImporter().importClasses(CliClassUsingDomain.class);
        EvaluationResult result = CLI_USES_ONLY_API_AND_BOOTSTRAP.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains("org.igvm.domain.inventory.InventoryPort"))
                .anyMatch(line -> line.contains("org.igvm.adapters.inventory.FleetFile"));
    }
}
