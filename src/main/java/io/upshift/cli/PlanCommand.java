package io.upshift.cli;

import io.upshift.engine.RunSummary;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.report.Count;
import io.upshift.report.SummaryTable;
import io.upshift.source.Severity;
import io.upshift.source.Terminal;
import io.upshift.verify.Sampling;
import io.upshift.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift plan PLAN}: a dry run that predicts the timeline (expected and 95th percentile),
 * the capability windows and the points of no return, touching nothing.
 */
final class PlanCommand implements Callable<Integer> {
  private CommandSpec spec;
  Path plan;
  int samples;

  CommandSpec spec() {
    spec =
        Args.command(
                "plan",
                "Predict the timeline, capability windows and points of no return, touching"
                    + " nothing.",
                this)
            .addPositional(PlanArgument.parameter(v -> plan = v))
            .addOption(
                Args.option(
                        "--samples",
                        "N",
                        Integer.class,
                        "Rehearsals whose 95th percentile gives the P95 columns, each drawing every"
                            + " duration from its model (default: ${DEFAULT-VALUE}; 0 for the bound"
                            + " alone: every step at its 95th percentile).",
                        v -> samples = v)
                    .defaultValue("100")
                    .build());
    return spec;
  }

  @Override
  public Integer call() {
    Plan loaded = PlanArgument.load(plan, System.err);
    Verifier.Report report = Verifier.verify(loaded);
    if (samples < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--samples must be 0 or more, found " + samples);
    }
    RunSummary e = report.expected();
    RunSummary p = report.p95();
    Sampling sampled = samples > 0 ? Sampling.of(loaded, samples) : null;
    PrintStream out = System.out;
    out.printf(
        "Plan \"%s\": %d stages, %s hosts; expected %s, %s%n%n",
        Terminal.safe(loaded.name()),
        loaded.stages().size(),
        Count.of(loaded.inventory().size()),
        DurationModel.format(e.makespan()),
        sampled == null
            ? DurationModel.format(p.makespan()) + " with every step at its 95th percentile"
            : "95th percentile "
                + DurationModel.format(sampled.makespan())
                + " over "
                + sampled.samples()
                + " rehearsals ("
                + DurationModel.format(p.makespan())
                + " with every step at its 95th percentile)");
    int width =
        Math.max(
            12,
            loaded.stages().stream()
                .mapToInt(s -> Terminal.safe(s.name()).length())
                .max()
                .orElse(5));
    String columns = "  %-" + width + "s  %9s  %9s  %9s  %9s  %9s%n";
    out.printf(columns, "STAGE", "START", "END", "DURATION", "P95", "ALL-P95");
    for (int i = 0; i < e.stages().size(); i++) {
      RunSummary.StageResult s = e.stages().get(i);
      RunSummary.StageResult s95 = p.stages().get(i);
      out.printf(
          columns,
          Terminal.safe(s.name()),
          SummaryTable.clock(s.start()),
          SummaryTable.clock(s.end()),
          DurationModel.format(s.end() - s.start()),
          sampled == null ? "-" : DurationModel.format(sampled.stageDurations()[i]),
          DurationModel.format(s95.end() - s95.start()));
    }
    int capWidth =
        Math.max(
            12,
            e.windows().keySet().stream().mapToInt(c -> Terminal.safe(c).length()).max().orElse(5));
    String capColumns = "  %-" + capWidth + "s  %9s  %9s  %9s  %s%n";
    out.println();
    out.printf(capColumns, "CAPABILITY", "DOWNTIME", "P95", "ALL-P95", "WINDOWS (expected)");
    e.windows()
        .forEach(
            (name, windows) ->
                out.printf(
                    capColumns,
                    Terminal.safe(name),
                    DurationModel.format(e.downtime(name)),
                    sampled == null ? "-" : DurationModel.format(sampled.downtime().get(name)),
                    DurationModel.format(p.downtime(name)),
                    SummaryTable.windows(windows)));
    out.println();
    out.println(
        "  P95: the 95th percentile over the sampled rehearsals (durations drawn from each step's"
            + " model);");
    out.println(
        "  ALL-P95: every action at its step's 95th percentile at once; not a bound, since a batch"
            + " waits for its slowest host.");
    out.println();
    if (report.pointsOfNoReturn().isEmpty()) {
      out.println("  No point of no return: every step can be undone.");
    } else {
      out.println(
          "  Points of no return (schema migrations; going back means restoring the backup):");
      for (Verifier.NoReturn n : report.pointsOfNoReturn()) {
        out.printf(
            "    %s  %s › %s  (%s)%n",
            SummaryTable.clock(n.atMillis()),
            Terminal.safe(n.stage().name()),
            Terminal.safe(n.step().name()),
            n.step().at());
      }
    }
    out.println();
    long errors = report.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
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
