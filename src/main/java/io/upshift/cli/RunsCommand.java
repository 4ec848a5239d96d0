package io.upshift.cli;

import io.upshift.engine.RunPhase;
import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import io.upshift.source.Terminal;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code upshift runs}: the runs in the journal, newest first. */
final class RunsCommand implements Callable<Integer> {
  final JournalOptions journalOptions = new JournalOptions();
  int limit;

  CommandSpec spec() {
    CommandSpec spec =
        Args.command("runs", "List the runs in the journal, newest first.", this)
            .addOption(
                Args.option(
                        "--limit",
                        "N",
                        Integer.class,
                        "How many runs (default: ${DEFAULT-VALUE}).",
                        v -> limit = v)
                    .defaultValue("20")
                    .build());
    return journalOptions.addTo(spec);
  }

  @Override
  public Integer call() {
    PrintStream out = System.out;
    try (Journal journal = journalOptions.openExisting()) {
      List<RunRecord> runs = journal.runs(Math.max(1, limit));
      if (runs.isEmpty()) {
        out.println("no runs in " + journal.describe());
        return ExitCode.OK;
      }
      long now = System.currentTimeMillis();
      out.printf(
          "%-21s %-10s %-6s %-20s %-22s %s%n",
          "RUN", "STATUS", "TARGET", "CREATED", "DRIVER", "PLAN");
      for (RunRecord r : runs) {
        out.printf(
            "%-21s %-10s %-6s %-20s %-22s %s%n",
            Terminal.safe(r.id()),
            RunPhase.ofRecord(r.status()).word(),
            Terminal.safe(r.target()),
            r.createdAt().length() >= 19 ? r.createdAt().substring(0, 19) : r.createdAt(),
            r.live(now) ? r.owner() : r.owner() == null ? "-" : "(silent) " + r.owner(),
            Terminal.safe(r.planName()));
      }
      return ExitCode.OK;
    }
  }
}
