package io.upshift.cli;

import io.upshift.engine.RunListener;
import io.upshift.engine.RunSummary;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.report.Count;
import io.upshift.report.HtmlReport;
import io.upshift.report.JunitExport;
import io.upshift.report.ReportData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --report} and {@code --junit} options of {@code run} and {@code resume}: what the run
 * is gathered into while it goes, and the files written when it stops (finished, failed, halted or
 * paused).
 */
final class ReportOptions {
  private CommandSpec spec;
  private Path report;
  private Path junit;
  private ReportData data;

  /** Adds {@code --report} and {@code --junit} to a command; each file is checked as it is read. */
  CommandSpec addTo(CommandSpec spec) {
    this.spec = spec;
    return spec.addOption(
            Args.option(
                    "--report",
                    "FILE",
                    Path.class,
                    "Write the run report, one self-contained HTML file, to FILE when the run"
                        + " stops.",
                    file -> report = checked("--report", file))
                .build())
        .addOption(
            Args.option(
                    "--junit",
                    "FILE",
                    Path.class,
                    "Write the run's checks as JUnit XML to FILE when the run stops.",
                    file -> junit = checked("--junit", file))
                .build());
  }

  private Path checked(String option, Path file) {
    String problem = problem(file);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), option + " " + file + ": " + problem);
    }
    return file;
  }

  /** What is wrong with an output file before anything runs, or null. */
  static String problem(Path file) {
    if (file.toString().isBlank() || Files.isDirectory(file)) {
      return "give a file name, not a folder";
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return "the folder " + parent + " does not exist";
    }
    if (parent != null && !Files.isWritable(parent)) {
      return "the folder " + parent + " is not writable";
    }
    return null;
  }

  private boolean wanted() {
    return report != null || junit != null;
  }

  /**
   * What a resume replays the journal to: the summary, and the report's collector when a report is
   * asked for (so that the report covers the whole run, not only what follows the resume).
   */
  List<RunListener> replaying(RunSummary summary, Plan plan, RunRecord record) {
    if (!wanted()) {
      return List.of(summary);
    }
    data = ReportCommand.collector(plan, record);
    return List.of(summary, data);
  }

  /** The collector the engine tells of every event, or null when no report is asked for. */
  ReportData collector(RunDriver.Settings s, RunDriver.Journaled journaled) {
    if (!wanted() || data != null) {
      return data;
    }
    RunRecord record =
        journaled == null ? null : journaled.journal().run(journaled.run()).orElse(null);
    data =
        record != null
            ? ReportCommand.collector(s.plan(), record)
            : new ReportData(
                s.plan(),
                new ReportData.Header(
                    null,
                    s.target().name(),
                    s.seed(),
                    s.target() == RunCommand.TargetName.sim,
                    System.currentTimeMillis()));
    return data;
  }

  /** Writes the files asked for; a file that cannot be written is reported, not thrown. */
  void write(PrintStream err) {
    if (data == null) {
      return;
    }
    if (report != null) {
      try {
        long started = System.nanoTime();
        long bytes = HtmlReport.write(data, ReportCommand.predicted(data.plan()), report);
        err.printf(
            "upshift: report written to %s (%s KB in %.1f s)%n",
            report, Count.of((bytes + 1023) / 1024), (System.nanoTime() - started) / 1e9);
      } catch (IOException e) {
        err.println("upshift: --report " + report + ": cannot write it: " + e.getMessage());
      }
    }
    if (junit != null) {
      try {
        JunitExport.write(data, junit);
        err.println("upshift: checks written as JUnit XML to " + junit);
      } catch (IOException e) {
        err.println("upshift: --junit " + junit + ": cannot write it: " + e.getMessage());
      }
    }
  }
}
