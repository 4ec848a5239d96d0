package io.upshift.cli;

import io.upshift.engine.Estimate;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.engine.StepProgress;
import io.upshift.plan.DurationModel;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Step;
import io.upshift.report.SummaryTable;
import io.upshift.source.Terminal;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shows a run's progress: on a terminal, one status line redrawn in place (stage, step, wave, hosts
 * done/total, failures, elapsed and ETA on the run's clock); elsewhere, plain lines at each stage
 * and step, at every quarter of a long step, and when a capability goes down or comes back. Either
 * way, the first failures each get a line with their reason and the end of the command's output.
 * Names, reasons and output are escaped ({@link Terminal}): only the status line's own control
 * sequences reach the terminal.
 */
final class ProgressPrinter implements RunListener {
  private static final long REDRAW_NANOS = 100_000_000L;

  /** Failures shown as they happen, each with the end of its output; the rest in the summary. */
  static final int FAILURES_SHOWN = 10;

  private final PrintStream out;
  private final boolean redraw;
  private final Estimate estimate;
  private long lastDraw;
  private int lastQuarter;
  private int width;
  private int failuresSeen;

  private ProgressPrinter(PrintStream out, boolean redraw, Estimate estimate) {
    this.out = out;
    this.redraw = redraw;
    this.estimate = estimate;
  }

  /** A printer for the mode asked for, or null for {@code none}. */
  /** How progress is shown. */
  /** The {@code --progress} option of the commands that drive a run. */
  static picocli.CommandLine.Model.OptionSpec option(Consumer<Mode> to) {
    return Args.option(
            "--progress",
            "MODE",
            Mode.class,
            "Progress display: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            to)
        .defaultValue("auto")
        .build();
  }

  enum Mode {
    auto,
    line,
    plain,
    none
  }

  static ProgressPrinter create(Mode mode, PrintStream out, Estimate estimate) {
    return switch (mode) {
      case none -> null;
      case line -> new ProgressPrinter(out, true, estimate);
      case plain -> new ProgressPrinter(out, false, estimate);
      case auto ->
          new ProgressPrinter(
              out,
              System.console() != null
                  && System.getenv("TERM") != null
                  && !"dumb".equals(System.getenv("TERM")),
              estimate);
    };
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    if (redraw) {
      boolean important =
          event instanceof RunEvent.StageStarted
              || event instanceof RunEvent.RunFinished
              || event instanceof RunEvent.RunHalted;
      long t = System.nanoTime();
      if (event instanceof RunEvent.ActionFinished) {
        failures(state);
      }
      if (important || t - lastDraw > REDRAW_NANOS) {
        lastDraw = t;
        draw(state);
      }
      if (event instanceof RunEvent.RunHalted h) {
        line(state, "HALTED: " + Terminal.safe(h.reason()));
      }
      return;
    }
    switch (event) {
      case RunEvent.StageStarted e ->
          line(
              state,
              "stage "
                  + (e.stage() + 1)
                  + "/"
                  + state.plan().stages().size()
                  + " "
                  + Terminal.safe(state.currentStage().name()));
      case RunEvent.StepStarted e -> {
        lastQuarter = 0;
        Step s = state.currentStage().steps().get(e.step());
        String skipped = e.skipped() > 0 ? " (" + e.skipped() + " skipped: failed earlier)" : "";
        line(
            state,
            "  step "
                + (e.step() + 1)
                + "/"
                + state.currentStage().steps().size()
                + " "
                + Terminal.safe(s.name())
                + (s.kind().runsOnHosts() ? " on " + e.hosts() + " hosts" + skipped : ""));
      }
      case RunEvent.ActionFinished e -> {
        failures(state);
        StepProgress p = state.progress();
        if (p != null && p.total() >= 100) {
          int quarter = p.done() * 4 / p.total();
          if (quarter > lastQuarter && quarter < 4) {
            lastQuarter = quarter;
            line(
                state,
                "    "
                    + p.done()
                    + "/"
                    + p.total()
                    + " hosts, "
                    + p.failed()
                    + " failed"
                    + eta(state));
          }
        }
      }
      case RunEvent.StageFinished e ->
          line(
              state,
              "stage "
                  + Terminal.safe(state.plan().stages().get(e.stage()).name())
                  + " "
                  + e.status().word());
      case RunEvent.CapabilityChanged e ->
          line(
              state,
              "  capability " + Terminal.safe(e.capability()) + (e.up() ? " is back" : " is DOWN"));
      case RunEvent.RunHalted e -> line(state, "HALTED: " + Terminal.safe(e.reason()));
      case RunEvent.RunPaused e -> line(state, "PAUSED: " + Terminal.safe(e.reason()));
      case RunEvent.ActionInDoubt e when !e.why().isEmpty() ->
          // during the run: the target lost the host while the action ran
          line(
              state,
              "  IN DOUBT "
                  + Terminal.safe(state.plan().inventory().host(e.host()).name())
                  + ": "
                  + Terminal.safe(e.why())
                  + " ("
                  + (e.resolution() == InDoubt.ASK
                      ? "the step asks the operator: the run pauses"
                      : e.resolution().word() + ", as the step says")
                  + ")");
      case RunEvent.RunStarted ignored -> {}
      case RunEvent.BatchStarted ignored -> {}
      case RunEvent.PauseStarted ignored -> {}
      case RunEvent.ActionStarted ignored -> {}
      case RunEvent.ActionInDoubt ignored -> {}
      case RunEvent.Approved ignored -> {}
      case RunEvent.StepFinished ignored -> {}
      case RunEvent.RunResumed ignored -> {}
      case RunEvent.AbortRequested ignored -> {}
      case RunEvent.UndoStarted ignored -> {}
      case RunEvent.UndoFinished ignored -> {}
      case RunEvent.SnapshotTaken ignored -> {}
      case RunEvent.SnapshotCompared ignored -> {}
      case RunEvent.BackupTaken ignored -> {}
      case RunEvent.ProbeChanged ignored -> {}
      case RunEvent.ProbeTally ignored -> {}
      case RunEvent.RunFinished ignored -> {}
    }
  }

  /** The failures recorded since the last event: the first ones, with their output's end. */
  private void failures(RunState state) {
    List<RunState.Failure> all = state.failures();
    while (failuresSeen < all.size()) {
      RunState.Failure f = all.get(failuresSeen++);
      if (failuresSeen <= FAILURES_SHOWN) {
        line(state, "  FAILED " + SummaryTable.failure(state.plan(), f));
        String tail =
            Terminal.tail(f.output(), SummaryTable.TAIL_LINES, SummaryTable.TAIL_CHARS, "      | ");
        if (!tail.isEmpty()) {
          out.print(tail);
          out.flush();
        }
      } else if (failuresSeen == FAILURES_SHOWN + 1) {
        line(state, "  (more failures: the summary at the end lists them)");
      }
    }
  }

  /** A line of its own, above the status line when there is one; the text is escaped already. */
  private void line(RunState state, String text) {
    if (redraw && width > 0) {
      Terminal.raw(out).print("\r\033[K");
      width = 0;
    }
    out.println("[" + SummaryTable.clock(state.now()) + "] " + text);
    out.flush();
  }

  private void draw(RunState state) {
    StringBuilder b = new StringBuilder();
    b.append("[").append(SummaryTable.clock(state.now())).append("] ");
    if (state.stage() >= 0) {
      b.append("stage ")
          .append(state.stage() + 1)
          .append("/")
          .append(state.plan().stages().size())
          .append(" ")
          .append(Terminal.safe(state.currentStage().name()));
    }
    StepProgress p = state.progress();
    if (p != null) {
      b.append(" | step ")
          .append(p.step().index() + 1)
          .append("/")
          .append(state.currentStage().steps().size())
          .append(" ")
          .append(Terminal.safe(p.step().name()));
      if (p.groupCount() > 0) {
        b.append(" | wave ").append(Math.max(1, p.batchOf(0))).append("/").append(p.batchesOf(0));
      }
      b.append(" | hosts ").append(p.done()).append("/").append(p.total());
    }
    b.append(" | failures ").append(state.failures().size()).append(eta(state));
    String text = b.length() > 160 ? b.substring(0, 160) : b.toString();
    Terminal.raw(out).print("\r\033[K");
    out.print(text);
    out.flush();
    width = text.length();
  }

  private String eta(RunState state) {
    return " | ETA " + DurationModel.format(estimate.remainingMillis(state));
  }

  void close() {
    if (redraw && width > 0) {
      out.println();
    }
    out.flush();
  }
}
