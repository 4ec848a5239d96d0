package io.upshift.cli;

import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.report.RunSummary;
import io.upshift.report.SummaryTable;
import io.upshift.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code upshift plan PLAN}: a dry run that predicts the timeline (expected and 95th percentile),
 * the capability windows and the points of no return, touching nothing.
 */
@Command(
    name = "plan",
    description =
        "Predict the timeline, capability windows and points of no return, touching nothing.",
    mixinStandardHelpOptions = true)
final class PlanCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PLAN", description = "A plan file, or a folder holding plan.yaml.")
  Path plan;

  @Override
  public Integer call() {
    Plan loaded = PlanArgument.load(plan, System.err);
    Verifier.Report report = Verifier.verify(loaded);
    RunSummary e = report.expected();
    RunSummary p = report.p95();
    PrintStream out = System.out;
    out.printf(
        "Plan \"%s\": %d stages, %,d hosts; expected %s, 95th percentile %s%n%n",
        loaded.name(),
        loaded.stages().size(),
        loaded.inventory().size(),
        DurationModel.format(e.makespan()),
        DurationModel.format(p.makespan()));
    int width =
        Math.max(12, loaded.stages().stream().mapToInt(s -> s.name().length()).max().orElse(5));
    out.printf(
        "  %-" + width + "s  %9s  %9s  %9s  %9s%n", "STAGE", "START", "END", "DURATION", "P95");
    for (int i = 0; i < e.stages().size(); i++) {
      RunSummary.StageResult s = e.stages().get(i);
      RunSummary.StageResult s95 = p.stages().get(i);
      out.printf(
          "  %-" + width + "s  %9s  %9s  %9s  %9s%n",
          s.name(),
          SummaryTable.clock(s.start()),
          SummaryTable.clock(s.end()),
          DurationModel.format(s.end() - s.start()),
          DurationModel.format(s95.end() - s95.start()));
    }
    int capWidth =
        Math.max(12, e.windows().keySet().stream().mapToInt(String::length).max().orElse(5));
    out.printf(
        "%n  %-" + capWidth + "s  %9s  %9s  %s%n",
        "CAPABILITY",
        "DOWNTIME",
        "P95",
        "WINDOWS (expected)");
    e.windows()
        .forEach(
            (name, windows) ->
                out.printf(
                    "  %-" + capWidth + "s  %9s  %9s  %s%n",
                    name,
                    DurationModel.format(e.downtime(name)),
                    DurationModel.format(p.downtime(name)),
                    SummaryTable.windows(windows)));
    out.println();
    if (report.pointsOfNoReturn().isEmpty()) {
      out.println("  No point of no return: every step can be undone.");
    } else {
      out.println(
          "  Points of no return (schema migrations; going back means restoring the backup):");
      for (Verifier.NoReturn n : report.pointsOfNoReturn()) {
        out.printf(
            "    %s  %s › %s  (%s)%n",
            SummaryTable.clock(n.atMillis()), n.stage().name(), n.step().name(), n.step().at());
      }
    }
    out.println();
    long errors =
        report.findings().stream()
            .filter(f -> f.severity() == io.upshift.source.Severity.ERROR)
            .count();
    if (report.findings().isEmpty()) {
      out.println("  verify: no findings");
    } else {
      out.printf(
          "  verify: %d error(s), %d warning(s); run `upshift verify %s` for details%n",
          errors, report.findings().size() - errors, plan);
    }
    out.flush();
    return report.safe() ? ExitCode.OK : ExitCode.FAILED;
  }
}
