package io.turbovbi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN.md section 4: one package per concept, with dependencies that point one way. */
class ArchitectureTest {
  private static final List<String> PACKAGES = List.of("data", "nn", "bayes", "prior", "mrf", "turbo", "compress",
      "spark.train", "spark.pipeline", "spark.ml", "report", "output", "experiments.regression");

  /** The project packages each package may use; anything else in the project is forbidden to it. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("data", Set.of()),
      Map.entry("nn", Set.of()),
      Map.entry("bayes", Set.of("nn")),
      Map.entry("prior", Set.of()),
      Map.entry("mrf", Set.of()),
      Map.entry("turbo", Set.of("prior", "mrf", "bayes", "nn", "data")),
      Map.entry("compress", Set.of("turbo", "prior", "mrf", "bayes", "nn", "data")),
      // Spark in three layers, each using only those below it: distributed training, the compression pipeline
      // over it, the Spark ML API (estimator, model, params, the compression run with its outputs) on top.
      Map.entry("spark.train", Set.of("compress", "turbo", "prior", "mrf", "bayes", "nn", "data")),
      Map.entry("spark.pipeline", Set.of("spark.train", "compress", "turbo", "prior", "mrf", "bayes", "nn", "data",
          "output")),
      Map.entry("spark.ml", Set.of("spark.pipeline", "spark.train", "compress", "turbo", "prior", "mrf", "bayes", "nn",
          "data", "report", "output")),
      Map.entry("report", Set.of("compress", "turbo", "prior", "mrf", "bayes", "nn", "data")),
      Map.entry("output", Set.of("turbo")),
      // A test bench for the algorithm: it uses the algorithm; nothing in the library uses it.
      Map.entry("experiments.regression", Set.of("turbo", "prior", "mrf", "bayes", "nn", "data", "output")));

  /** Packages whose code must run anywhere, with no Spark: the engine and the algorithm. */
  private static final List<String> SPARK_FREE = List.of("nn", "bayes", "prior", "mrf", "turbo", "compress",
      "output", "experiments.regression");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.turbovbi");
  }

  @Test
  void packagesDependOnlyOnThePackagesBelowThem() {
    for (String pkg : PACKAGES) {
      String[] forbidden = PACKAGES.stream().filter(other -> !other.equals(pkg) && !ALLOWED.get(pkg).contains(other))
          .map(other -> "io.turbovbi." + other + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("io.turbovbi." + pkg + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void everyClassLivesInAKnownPackage() {
    String[] known = PACKAGES.stream().map(pkg -> "io.turbovbi." + pkg + "..").toArray(String[]::new);
    classes().that().resideInAPackage("io.turbovbi..")
        .and().resideOutsideOfPackage("io.turbovbi")
        .should().resideInAnyPackage(known)
        .because("a package not in PACKAGES would escape the one-way rule above")
        .check(classes);
  }

  @Test
  void engineAndAlgorithmKnowNothingOfSpark() {
    for (String pkg : SPARK_FREE) {
      noClasses().that().resideInAPackage("io.turbovbi." + pkg + "..")
          .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void nothingIsReadWithJavaDeserialization() {
    noClasses().should().dependOnClassesThat().areAssignableTo(java.io.ObjectInputStream.class)
        .because("a file that builds objects as it is read can run code; checkpoints and models are plain data")
        .check(classes);
  }

  @Test
  void theLibraryHasNoMainMethods() {
    noMethods().should().haveName("main").because("entry points belong to the jobs module").check(classes);
  }
}
