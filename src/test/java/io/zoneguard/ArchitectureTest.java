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

  /**
   * A command parses flags, calls a service and hands the result to a view: one that grows past
   * ~200 lines has logic that belongs in a service, an option class or a view.
   */
  @Test
  void commandsStayThin() throws java.io.IOException {
    java.util.Map<String, Long> tooLong = new java.util.TreeMap<>();
    try (var files =
        java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/io/zoneguard/cli"))) {
      for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = java.nio.file.Files.readString(f);
        long lines = text.lines().count();
        if (text.contains("@Command(") && lines > 210) {
          tooLong.put(f.getFileName().toString(), lines);
        }
      }
    }
    org.assertj.core.api.Assertions.assertThat(tooLong)
        .as("command classes over 210 lines")
        .isEmpty();
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
