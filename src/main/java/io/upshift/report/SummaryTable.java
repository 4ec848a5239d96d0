package io.upshift.report;

import io.upshift.engine.Execution;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.source.Terminal;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints the closing summary of a run: stages, capability downtime, steps, failed hosts (each with
 * its reason and the end of its command's output). Every name, reason and output is escaped for the
 * terminal ({@link Terminal}).
 */
public final class SummaryTable {
  private static final int SHOWN_FAILURES = 20;

  /** How much of a failed command's output the summary shows: its last lines, and characters. */
  public static final int TAIL_LINES = 5;

  public static final int TAIL_CHARS = 400;

  private SummaryTable() {}

  public static void print(RunSummary s, PrintStream out) {
    out.println();
    out.printf(
        "Run of \"%s\" on %s (seed %d): %s after %s%n",
        Terminal.safe(s.plan().name()),
        Terminal.safe(s.target()),
        s.seed(),
        s.status().word().toUpperCase(Locale.ROOT),
        clock(s.makespan()));
    int width =
        Math.max(
            12,
            s.stages().stream().mapToInt(r -> Terminal.safe(r.name()).length()).max().orElse(5));
    out.println();
    out.printf(
        "  %-" + width + "s  %-11s  %9s  %9s  %9s  %s%n",
        "STAGE",
        "STATUS",
        "START",
        "END",
        "DURATION",
        "HOST-STEPS OK/FAILED/SKIPPED");
    for (RunSummary.StageResult r : s.stages()) {
      if (r.start() < 0) {
        out.printf("  %-" + width + "s  %-11s%n", Terminal.safe(r.name()), "not started");
        continue;
      }
      // a stage still under way (the run paused in it): no end yet, its time so far
      boolean ended = r.end() >= 0;
      long until = ended ? r.end() : Math.max(r.start(), s.makespan());
      out.printf(
          "  %-" + width + "s  %-11s  %9s  %9s  %9s  %d/%d/%d%n",
          Terminal.safe(r.name()),
          ended ? r.status().word() : s.status().word(),
          clock(r.start()),
          ended ? clock(r.end()) : "-",
          DurationModel.format(until - r.start()),
          r.succeeded(),
          r.failed(),
          r.skipped());
    }
    int capWidth =
        Math.max(
            12,
            s.windows().keySet().stream().mapToInt(c -> Terminal.safe(c).length()).max().orElse(5));
    out.println();
    out.printf("  %-" + capWidth + "s  %9s  %s%n", "CAPABILITY", "DOWNTIME", "WINDOWS");
    s.windows()
        .forEach(
            (name, windows) -> {
              String w = windows(windows);
              long budget = s.plan().capabilities().get(name).maxDowntimeMillis();
              String over =
                  budget >= 0 && s.downtime(name) > budget
                      ? "  OVER its budget of " + DurationModel.format(budget)
                      : "";
              out.printf(
                  "  %-" + capWidth + "s  %9s  %s%s%n",
                  Terminal.safe(name),
                  DurationModel.format(s.downtime(name)),
                  w,
                  over);
              if (s.measured().containsKey(name)) {
                long[] tally = s.probeTally(name);
                out.printf(
                    "  %-" + capWidth + "s  %9s  %s  (probes: %d samples, %d failed)%n",
                    "  measured",
                    DurationModel.format(s.measuredDowntime(name)),
                    windows(s.measured().get(name)),
                    tally[0],
                    tally[1]);
              }
            });
    RunState state = s.state();
    if (state == null) {
      return;
    }
    out.println();
    out.printf(
        "  Host-steps: %d in all, %d succeeded, %d failed, %d skipped, %d not run%n",
        state.stepsTotal(),
        state.stepsSucceeded(),
        state.stepsFailed(),
        state.stepsSkipped(),
        state.stepsTotal() - state.stepsSucceeded() - state.stepsFailed() - state.stepsSkipped());
    if (state.haltReason() != null) {
      out.println("  Halted: " + Terminal.safe(state.haltReason()));
    }
    List<RunState.Failure> failures = state.failures();
    if (!failures.isEmpty()) {
      out.printf("  Failed hosts (%d):%n", failures.size());
      for (RunState.Failure f : failures.stream().limit(SHOWN_FAILURES).toList()) {
        out.println("    " + failure(s.plan(), f));
        out.print(Terminal.tail(f.output(), TAIL_LINES, TAIL_CHARS, "        | "));
      }
      if (failures.size() > SHOWN_FAILURES) {
        out.printf("    … and %d more (see --summary-json)%n", failures.size() - SHOWN_FAILURES);
      }
    }
  }

  /**
   * A failure on one line, escaped: {@code HOST STAGE › STEP (check): REASON} (the end of its
   * command's output goes on the lines after it, see {@link Terminal#tail}).
   */
  public static String failure(Plan plan, RunState.Failure f) {
    String reason = f.reason().isEmpty() ? "failed" : f.reason();
    return Terminal.safe(
        f.hostName()
            + "  "
            + plan.stages().get(f.stage()).name()
            + " › "
            + f.stepName()
            + (f.phase() == Execution.Phase.CHECK ? " (check)" : "")
            + (f.phase() == Execution.Phase.UNDO ? " (undo)" : "")
            + ": "
            + reason);
  }

  /** The first three windows as {@code H:MM:SS–H:MM:SS}, with a count beyond; "none" for none. */
  public static String windows(List<RunSummary.Window> windows) {
    if (windows.isEmpty()) {
      return "none";
    }
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < Math.min(3, windows.size()); i++) {
      RunSummary.Window win = windows.get(i);
      w.append(i > 0 ? ", " : "").append(clock(win.start())).append("–");
      w.append(win.open() ? " (still down at the end)" : clock(win.end()));
    }
    if (windows.size() > 3) {
      w.append(", … (").append(windows.size()).append(" in all)");
    }
    return w.toString();
  }

  /** Run-clock time as {@code H:MM:SS}. */
  public static String clock(long millis) {
    long s = millis / 1000;
    return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }
}
