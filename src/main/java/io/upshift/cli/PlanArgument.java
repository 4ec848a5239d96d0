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
    return plan;
  }
}
