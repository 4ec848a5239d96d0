package io.upshift.serve;

import io.upshift.journal.JournalException;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Problems;
import java.nio.file.Files;
import java.nio.file.Path;

/** The plan of a recorded run, read where the run started: it names stages, steps and hosts. */
final class PlanFiles {
  private PlanFiles() {}

  static Plan load(RunRecord record) {
    Path file = Path.of(record.planFile());
    if (!Files.exists(file)) {
      throw new JournalException(
          "the plan of run "
              + record.id()
              + " is no longer at "
              + file
              + "; put it back there (the page names stages, steps and hosts from it)");
    }
    Problems problems = new Problems();
    Plan plan;
    try {
      plan = PlanLoader.load(file, problems);
    } catch (InvalidInputException e) {
      plan = null;
    }
    if (plan == null || problems.hasErrors()) {
      throw new JournalException(
          "the plan of run "
              + record.id()
              + " at "
              + file
              + " does not load any more (upshift validate "
              + file
              + " says why)");
    }
    return plan;
  }
}
