package io.upshift.cli;

import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import java.io.PrintStream;
import java.nio.file.Path;

/** The PLAN argument of every command: loaded, its warnings printed, its errors thrown. */
final class PlanArgument {
  private PlanArgument() {}

  /**
   * Loads the plan at {@code path}.
   *
   * @throws InvalidInputException with every problem, when there is an error
   */
  static Plan load(Path path, PrintStream warnings) {
    Problems problems = new Problems();
    Plan plan = PlanLoader.load(path, problems);
    if (problems.hasErrors()) {
      throw new InvalidInputException(problems);
    }
    for (Problem p : problems.sorted()) {
      warnings.println(p.render());
    }
    if (plan.inventory().size() >= LARGE_FLEET && quickCompilerOnly()) {
      warnings.printf(
          "upshift: note: %,d hosts; the launcher runs Java's quick compiler only, which starts"
              + " fastest for fleets of ordinary size. For one this large,"
              + " UPSHIFT_JAVA_OPTS=-XX:TieredStopAtLevel=4 runs about twice as fast.%n",
          plan.inventory().size());
    }
    return plan;
  }

  /** From how many hosts the optimising compiler pays for its start (docs/benchmarks.md). */
  static final int LARGE_FLEET = 50_000;

  /** Whether this JVM was told to stop at the quick compiler (the last such flag counts). */
  private static boolean quickCompilerOnly() {
    String level = null;
    for (String arg :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:TieredStopAtLevel=")) {
        level = arg.substring("-XX:TieredStopAtLevel=".length());
      }
    }
    return "1".equals(level);
  }
}
