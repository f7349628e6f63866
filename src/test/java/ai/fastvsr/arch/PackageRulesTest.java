package ai.fastvsr.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages by capability stay a graph without cycles (as DJL keeps its API free of its engines): a package
 * that needs another's type moves the type or takes plain values instead. The worker's own classes only, no tests.
 */
class PackageRulesTest {
    private static JavaClasses worker;

    @BeforeAll
    static void importClasses() {
        worker = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.fastvsr");
    }

    @Test
    void noPackageCycles() {
        slices().matching("ai.fastvsr.(*)..").should().beFreeOfCycles().check(worker);
    }

    @Test
    void failureDependsOnNoOtherPackageOfTheWorker() {
        classes()
                .that()
                .resideInAPackage("ai.fastvsr.failure")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("ai.fastvsr.failure", "java..")
                .check(worker);
    }

    @Test
    void jobKnowsNothingOfMediaStorageOrEngines() {
        noClasses()
                .that()
                .resideInAPackage("ai.fastvsr.job")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "ai.fastvsr.video..",
                        "ai.fastvsr.storage..",
                        "ai.fastvsr.inference..",
                        "ai.fastvsr.pipeline..",
                        "ai.fastvsr.events..",
                        "ai.fastvsr.worker..")
                .check(worker);
    }

    @Test
    void onlyTheCliStartsTheEmbeddedServers() {
        noClasses()
                .that()
                .resideOutsideOfPackages("ai.fastvsr.cli..", "ai.fastvsr.embedded..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.fastvsr.embedded..")
                .check(worker);
    }
}
