package io.upshift.cli;

import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The recorded run a command reads back ({@code report}, {@code export}): RUN, the journal that
 * holds it, and {@code --plan} when its plan moved since it started.
 */
final class RecordedRun {
  String run;
  Path planOverride;
  final JournalOptions journalOptions = new JournalOptions();

  /** The RUN parameter, as every command about a recorded run declares it. */
  static PositionalParamSpec parameter(Consumer<String> to) {
    return Args.parameter(
        "RUN", String.class, "The run's id (a unique prefix will do), or last.", to);
  }

  /** Adds RUN, {@code --plan} and {@code --journal} to a command. */
  CommandSpec addTo(CommandSpec spec) {
    spec.addPositional(parameter(v -> run = v))
        .addOption(
            Args.option(
                    "--plan",
                    "PLAN",
                    Path.class,
                    "The run's plan, when it moved since the run started (default: where it was).",
                    v -> planOverride = v)
                .build());
    return journalOptions.addTo(spec);
  }

  /** The journal, which must exist. */
  Journal openJournal() {
    return journalOptions.openExisting();
  }

  /** The run in the journal. */
  RunRecord find(Journal journal) {
    return ShowCommand.find(journal, run);
  }

  /** The run's plan: where it was when the run started, or {@code --plan}. */
  Plan plan(RunRecord record) {
    Path file =
        planOverride != null
            ? PlanLoader.planFile(planOverride).toAbsolutePath().normalize()
            : Path.of(record.planFile());
    if (!Files.exists(file)) {
      throw new JournalException(
          "the plan of run "
              + record.id()
              + " is no longer at "
              + file
              + "; give it with --plan PATH (the report names stages, steps and hosts from it)");
    }
    return PlanArgument.load(file, System.err);
  }
}
