package io.upshift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.upshift.plan.Plan;
import io.upshift.report.Count;
import io.upshift.source.Severity;
import io.upshift.source.Terminal;
import io.upshift.verify.Finding;
import io.upshift.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift verify PLAN}: proves every intermediate state of a plan safe, or says where not.
 */
final class VerifyCommand implements Callable<Integer> {
  Path plan;
  boolean json;

  CommandSpec spec() {
    return Args.command(
            "verify",
            "Prove every intermediate state of a plan safe: compatibility rules, schemas, backups,"
                + " capabilities.",
            this)
        .addPositional(PlanArgument.parameter(v -> plan = v))
        .addOption(Args.flag("--json", "Print the findings as JSON.", v -> json = v));
  }

  @Override
  public Integer call() throws Exception {
    Plan loaded = PlanArgument.load(plan, System.err);
    // the findings are all it prints: the 95th-percentile walk only matters against a budget
    Verifier.Report report = Verifier.verify(loaded, Verifier.hasBudgets(loaded));
    PrintStream out = System.out;
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(tree(report)));
    } else {
      for (Finding f : report.findings()) {
        out.println(f.render());
        out.println();
      }
      long errors = report.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
      // concatenated, not printf: a format's first use loads the locale's number formats (~10 ms)
      out.println(
          (report.safe() ? "safe" : "UNSAFE")
              + ": \""
              + Terminal.safe(loaded.name())
              + "\": "
              + loaded.stages().size()
              + " stages, "
              + loaded.steps().size()
              + " steps, "
              + Count.of(loaded.inventory().size())
              + " hosts, "
              + loaded.compatibility().size()
              + " rules: "
              + (report.findings().isEmpty()
                  ? "no findings"
                  : errors + " error(s), " + (report.findings().size() - errors) + " warning(s)"));
    }
    out.flush();
    return report.safe() ? ExitCode.OK : ExitCode.FAILED;
  }

  static Map<String, Object> tree(Verifier.Report report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("plan", report.plan().name());
    root.put("safe", report.safe());
    List<Object> findings =
        report.findings().stream()
            .map(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("rule", f.rule());
                  m.put("severity", f.severity().word());
                  m.put("message", f.message());
                  m.put("file", String.valueOf(f.at().file()));
                  m.put("line", f.at().line());
                  m.put("column", f.at().column());
                  m.put("stage", f.stage());
                  m.put("step", f.step());
                  m.put("wave", f.wave());
                  m.put("host_count", f.hostCount());
                  m.put("hosts", f.hosts());
                  m.put("why", f.why());
                  m.put("hint", f.hint());
                  return (Object) m;
                })
            .toList();
    root.put("findings", findings);
    return root;
  }
}
