package io.turbovbi.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.turbovbi.jobs.benchmarks.ScaleBenchmark;
import io.turbovbi.jobs.commands.Command;
import io.turbovbi.jobs.commands.Commands;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jobs module's layout, one way from top to bottom: the launcher, the commands, the jobs and the benchmarks
 * they run, the configuration everything reads.
 */
class JobsLayoutTest {
  private static final String ROOT = "io.turbovbi.jobs";
  private static final List<String> PACKAGES = List.of("commands", "benchmarks", "run", "config");

  /** The sub-packages each sub-package may use; the launcher's package may use them all, none may use it. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "commands", Set.of("benchmarks", "run", "config"),
      "benchmarks", Set.of("run", "config"),
      "run", Set.of("config"),
      "config", Set.of());

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void subPackagesDependOnlyOnThoseBelowThem() {
    for (String pkg : PACKAGES) {
      String[] forbidden = PACKAGES.stream().filter(other -> !other.equals(pkg) && !ALLOWED.get(pkg).contains(other))
          .map(other -> ROOT + "." + other + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage(ROOT + "." + pkg + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .check(classes);
      noClasses().that().resideInAPackage(ROOT + "." + pkg + "..")
          .should().dependOnClassesThat().resideInAPackage(ROOT)
          .because("the launcher is the top: it dispatches to the commands, nothing calls back into it")
          .check(classes);
    }
  }

  @Test
  void theLauncherIsTheOnlyClassAtTheTop() {
    classes().that().resideInAPackage(ROOT).should().haveSimpleNameStartingWith("Launcher").check(classes);
  }

  @Test
  void everyCommandIsListedOnceAndLivesInTheCommandsPackage() {
    Set<String> names = new HashSet<>();
    for (Command command : Commands.ALL) {
      assertEquals(true, names.add(command.name()), "two commands named " + command.name());
      assertEquals(Command.class.getPackageName(), command.getClass().getPackageName());
    }
    classes().that().implement(Command.class).should().resideInAPackage(ROOT + ".commands").check(classes);
  }

  @Test
  void theScaleBenchmarkStartsTheLauncherByItsName() {
    assertEquals(Launcher.class.getName(), ScaleBenchmark.LAUNCHER);
  }
}
