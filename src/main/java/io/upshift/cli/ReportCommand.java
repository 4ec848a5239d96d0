package io.upshift.cli;

import io.upshift.journal.Journal;
import io.upshift.journal.Resumption;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.report.Count;
import io.upshift.report.HtmlReport;
import io.upshift.report.ReportData;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift report RUN}: the run report of a recorded run, built from its journal and its plan
 * (the same report as {@code run --report}).
 */
final class ReportCommand implements Callable<Integer> {
  private CommandSpec spec;
  final RecordedRun recorded = new RecordedRun();
  Path out;

  CommandSpec spec() {
    spec =
        Args.command(
            "report",
            "Write the HTML report of a run from the journal: timeline, capability windows,"
                + " failures, approvals, snapshots and backups.",
            this);
    recorded.addTo(spec);
    return spec.addOption(
        Args.option(
                "--out",
                "FILE",
                Path.class,
                "Where to write the report (default: upshift-report-RUN.html in this folder).",
                v -> out = v)
            .build());
  }

  @Override
  public Integer call() throws IOException {
    if (out != null && ReportOptions.problem(out) != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--out " + out + ": " + ReportOptions.problem(out));
    }
    try (Journal journal = recorded.openJournal()) {
      RunRecord record = recorded.find(journal);
      Plan plan = recorded.plan(record);
      ReportData data = replay(journal, record, plan);
      Path file = out != null ? out : Path.of("upshift-report-" + record.id() + ".html");
      long started = System.nanoTime();
      long bytes = HtmlReport.write(data, predicted(plan), file);
      System.err.printf(
          "upshift: report of run %s written to %s (%s KB in %.1f s)%n",
          record.id(), file, Count.of((bytes + 1023) / 1024), (System.nanoTime() - started) / 1e9);
      return ExitCode.OK;
    }
  }

  /** The report's data of a recorded run, from its events. */
  static ReportData replay(Journal journal, RunRecord record, Plan plan) {
    ReportData data = collector(plan, record);
    Resumption.replay(journal, record.id(), plan, List.of(data));
    return data;
  }

  /** An empty collector for a recorded run. */
  static ReportData collector(Plan plan, RunRecord record) {
    long began;
    try {
      began = Instant.parse(record.createdAt()).toEpochMilli();
    } catch (DateTimeParseException e) {
      began = -1;
    }
    return new ReportData(
        plan,
        new ReportData.Header(
            record.id(), record.target(), record.seed(), record.target().equals("sim"), began));
  }

  /**
   * The plan's rehearsal estimate, expected and 95th percentile, or null when it cannot be made.
   */
  static Verifier.Report predicted(Plan plan) {
    try {
      return Verifier.verify(plan, true);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
