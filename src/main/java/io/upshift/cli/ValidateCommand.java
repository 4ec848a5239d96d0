package io.upshift.cli;

import io.upshift.plan.Plan;
import io.upshift.report.Count;
import io.upshift.source.Terminal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code upshift validate PLAN}: parses a plan and its inventory and reports every problem. */
final class ValidateCommand implements Callable<Integer> {
  private CommandSpec spec;
  Path plan;

  CommandSpec spec() {
    spec =
        Args.command(
                "validate",
                "Check a plan and its inventory: syntax, types, names, selectors.",
                this)
            .addPositional(PlanArgument.parameter(v -> plan = v));
    return spec;
  }

  @Override
  public Integer call() {
    Plan loaded = PlanArgument.load(plan, System.err);
    // System.out is the guarded stream; picocli's own writer is not (it prints help in colour)
    var out = System.out;
    out.printf(
        "ok: \"%s\": %d stages, %d steps, %s hosts, %d capabilities, %d compatibility rules%n",
        Terminal.safe(loaded.name()),
        loaded.stages().size(),
        loaded.steps().size(),
        Count.of(loaded.inventory().size()),
        loaded.capabilities().size(),
        loaded.compatibility().size());
    out.flush();
    return ExitCode.OK;
  }
}
