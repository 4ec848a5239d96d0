package io.upshift;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packages' dependency rule of {@code docs/internals.md}, held on the compiled classes: no
 * cycles between packages, and each package uses only the ones below it.
 */
class ArchitectureTest {
  private static final String ROOT = "io.upshift.";

  /**
   * What each package may use besides itself and the JDK's and libraries' classes. The order is the
   * layering, lowest first; a package never uses one that comes after it.
   */
  static final Map<String, Set<String>> MAY_USE =
      Map.ofEntries(
          Map.entry("source", Set.of()),
          Map.entry("clock", Set.of()),
          Map.entry("inventory", Set.of("source")),
          Map.entry("plan", Set.of("source", "inventory")),
          Map.entry("snapshot", Set.of()),
          Map.entry("engine", Set.of("source", "inventory", "plan", "clock", "snapshot")),
          Map.entry("target", Set.of("source", "inventory", "plan", "clock", "engine")),
          Map.entry("journal", Set.of("source", "inventory", "plan", "clock", "engine")),
          Map.entry("probe", Set.of("source", "inventory", "plan", "clock", "engine")),
          Map.entry("verify", Set.of("source", "inventory", "plan", "clock", "engine")),
          Map.entry("report", Set.of("source", "inventory", "plan", "clock", "engine", "verify")),
          Map.entry(
              "serve",
              Set.of(
                  "source", "inventory", "plan", "clock", "engine", "verify", "report", "journal")),
          Map.entry(
              "cli",
              Set.of(
                  "source",
                  "inventory",
                  "plan",
                  "clock",
                  "engine",
                  "snapshot",
                  "target",
                  "journal",
                  "probe",
                  "verify",
                  "report",
                  "serve")));

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.upshift");

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("io.upshift.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    List<String> broken = new ArrayList<>();
    Set<String> packages = new TreeSet<>();
    for (JavaClass c : CLASSES) {
      String from = top(c.getPackageName());
      packages.add(from);
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        if (!target.startsWith(ROOT) || top(target).equals(from)) {
          continue;
        }
        Set<String> allowed = MAY_USE.getOrDefault(from, Set.of());
        String to = top(target);
        String sub = target.substring(ROOT.length());
        if (!allowed.contains(to) && !allowed.contains(sub)) {
          broken.add(d.getDescription());
        }
      }
    }
    assertThat(MAY_USE.keySet()).as("every package has a rule").containsAll(packages);
    assertThat(broken).as("dependencies against docs/internals.md's rule").isEmpty();
  }

  @Test
  void theEngineNeverUsesATarget() {
    for (JavaClass c : CLASSES) {
      if (top(c.getPackageName()).equals("engine")) {
        assertThat(c.getDirectDependenciesFromSelf())
            .as(c.getName())
            .noneMatch(d -> d.getTargetClass().getPackageName().startsWith(ROOT + "target"));
      }
    }
  }

  /** {@code io.upshift.target.ssh} → {@code target}. */
  private static String top(String pkg) {
    String rest = pkg.startsWith(ROOT) ? pkg.substring(ROOT.length()) : pkg;
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
