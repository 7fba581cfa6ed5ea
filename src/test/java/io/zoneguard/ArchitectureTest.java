package io.zoneguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering rules of design.md section 2, enforced. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.zoneguard");

  private static final String[] ADAPTERS_AND_SDKS = {
    "io.zoneguard.aws..",
    "io.zoneguard.kube..",
    "io.zoneguard.mysql..",
    "io.zoneguard.cli..",
    "software.amazon.awssdk..",
    "io.fabric8.."
  };

  @Test
  void domainAndPortsDependOnNoAdapterOrSdk() {
    noClasses()
        .that()
        .resideInAnyPackage("io.zoneguard.domain..", "io.zoneguard.port..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ADAPTERS_AND_SDKS)
        .check(CLASSES);
  }

  @Test
  void servicesAndPlannersTalkToAdaptersOnlyThroughPorts() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.zoneguard.inventory..",
            "io.zoneguard.backup..",
            "io.zoneguard.failover..",
            "io.zoneguard.drill..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ADAPTERS_AND_SDKS)
        .check(CLASSES);
  }

  /**
   * Commands parse, call a service and render; {@code Wiring} is the one place that builds an
   * adapter, so which implementation backs a port is decided once.
   */
  @Test
  void onlyWiringBuildsAdapters() {
    noClasses()
        .that()
        .resideInAPackage("io.zoneguard.cli..")
        .and(DescribedPredicate.not(JavaClass.Predicates.simpleName("Wiring")))
        .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameStartingWith("Wiring$")))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.zoneguard.aws..", "io.zoneguard.kube..", "io.zoneguard.mysql..")
        .check(CLASSES);
  }

  @Test
  void adaptersDoNotReachIntoTheCli() {
    noClasses()
        .that()
        .resideInAnyPackage("io.zoneguard.aws..", "io.zoneguard.kube..", "io.zoneguard.mysql..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.zoneguard.cli..")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  /**
   * One role port per resource kind: services and steps depend on the ports they use. Only the
   * failover engine, which hands steps their ports through {@code StepContext}, holds the {@link
   * io.zoneguard.port.Cluster} aggregate.
   */
  @Test
  void onlyTheFailoverEngineHoldsTheWholeCluster() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.zoneguard.inventory..",
            "io.zoneguard.backup..",
            "io.zoneguard.failover..",
            "io.zoneguard.drill..")
        .and(
            DescribedPredicate.not(
                JavaClass.Predicates.belongToAnyOf(
                    io.zoneguard.failover.FailoverService.class,
                    io.zoneguard.failover.FailoverExecutor.class,
                    io.zoneguard.failover.steps.StepContext.class)))
        .should()
        .dependOnClassesThat(JavaClass.Predicates.type(io.zoneguard.port.Cluster.class))
        .check(CLASSES);
  }
}
