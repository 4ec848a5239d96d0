package io.upshift.cli;

import io.upshift.plan.Plan;
import io.upshift.report.Count;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code upshift validate PLAN}: parses a plan and its inventory and reports every problem. */
@Command(
    name = "validate",
    description = "Check a plan and its inventory: syntax, types, names, selectors.",
    mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PLAN", description = "A plan file, or a folder holding plan.yaml.")
  Path plan;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Plan loaded = PlanArgument.load(plan, System.err);
    var out = spec.commandLine().getOut();
    out.printf(
        "ok: \"%s\": %d stages, %d steps, %s hosts, %d capabilities, %d compatibility rules%n",
        loaded.name(),
        loaded.stages().size(),
        loaded.steps().size(),
        Count.of(loaded.inventory().size()),
        loaded.capabilities().size(),
        loaded.compatibility().size());
    out.flush();
    return ExitCode.OK;
  }
}
