package io.upshift.engine;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent.ActionStarted;
import io.upshift.engine.RunEvent.Approved;
import io.upshift.engine.RunEvent.BatchStarted;
import io.upshift.engine.RunEvent.PauseStarted;
import io.upshift.engine.RunEvent.RunFinished;
import io.upshift.engine.RunEvent.RunHalted;
import io.upshift.engine.RunEvent.StageFinished;
import io.upshift.engine.RunEvent.StageStarted;
import io.upshift.engine.RunEvent.StepFinished;
import io.upshift.engine.RunEvent.StepStarted;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's next move, as a pure function of the run's state and the time: which events to
 * record now. It changes nothing; the {@link Engine} records the events and carries out the ones
 * that ask for work ({@link ActionStarted}, {@link PauseStarted}). Deciding apart from doing is
 * what makes a rehearsal and a real run the same code, and the decisions testable by table.
 *
 * <p>It returns an empty list when nothing can happen until an action finishes or a pause ends.
 */
public final class Decider {
  private Decider() {}

  public static List<RunEvent> decide(RunState state, long now) {
    List<RunEvent> out = new ArrayList<>();
    if (state.status().isTerminal()) {
      return out;
    }
    if (state.status() == RunStatus.PAUSED) {
      // Paused: nothing new starts, but hosts whose action finished still get their check.
      StepProgress p = state.progress();
      if (p != null) {
        for (int host : p.checks) {
          out.add(new ActionStarted(now, p.step().stage(), p.step().index(), host, Phase.CHECK));
        }
      }
      return out;
    }
    if (!state.stageActive()) {
      int next = state.stage() + 1;
      if (state.halted() || next >= state.plan().stages().size()) {
        out.add(new RunFinished(now, finalStatus(state)));
      } else {
        out.add(new StageStarted(now, next));
      }
      return out;
    }
    Stage stage = state.currentStage();
    StepProgress p = state.progress();
    if (p == null && state.aborted() && state.undoRequested()) {
      if (undo(state, stage, now, out)) {
        return out;
      }
    }
    if (p == null) {
      int next = state.step() + 1;
      if (state.halted() || next >= stage.steps().size()) {
        RunStatus status =
            state.aborted()
                ? RunStatus.ABORTED
                : state.halted()
                    ? RunStatus.HALTED
                    : state.stageFailures() > 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
        out.add(new StageFinished(now, stage.index(), status));
      } else {
        Step step = stage.steps().get(next);
        int eligible = state.eligible(step).length;
        out.add(
            new StepStarted(now, stage.index(), next, eligible, step.hosts().length - eligible));
      }
      return out;
    }
    Step step = p.step();
    for (int host : p.checks) {
      out.add(new ActionStarted(now, step.stage(), step.index(), host, Phase.CHECK));
    }
    if (!state.halted()) {
      for (int host : p.redo) {
        out.add(new ActionStarted(now, step.stage(), step.index(), host, Phase.ACTION));
      }
      // hosts of a batch whose start was recorded without their actions' (a resumed run)
      if (p.unstartedCount > 0) {
        for (int h = p.unstarted.nextSetBit(0); h >= 0; h = p.unstarted.nextSetBit(h + 1)) {
          out.add(new ActionStarted(now, step.stage(), step.index(), h, Phase.ACTION));
        }
      }
    }
    if (step.kind() == StepKind.APPROVE) {
      if (p.approved || state.halted()) {
        // approved; or the run winds down (aborted, halted) and the gate is not passed
        out.add(new StepFinished(now, step.stage(), step.index(), 0, 0, 0));
        return out;
      }
      if (!state.autoApprove()) {
        out.add(
            new RunEvent.RunPaused(
                now, step.stage(), step.index(), "approval needed: " + step.prompt()));
        return out;
      }
      out.add(
          new Approved(
              now, step.stage(), step.index(), "auto", "approved automatically (rehearsal)"));
      out.add(new StepFinished(now, step.stage(), step.index(), 0, 0, 0));
      return out;
    }
    if (!state.halted() && p.failed > p.budget) {
      out.add(new RunHalted(now, budgetReason(state, p)));
      return out;
    }
    if (!state.halted()) {
      long pause = step.waves().pauseMillis();
      for (int g : p.ready) {
        if (pause > 0 && p.batches[g] > 0) {
          out.add(new PauseStarted(now, step.stage(), step.index(), g, now + pause));
        } else {
          startBatch(p, g, now, out);
        }
      }
      for (int g : p.paused) {
        if (now >= p.resumeAt[g]) {
          startBatch(p, g, now, out);
        }
      }
    }
    boolean finished =
        state.halted()
            ? state.inFlight() == 0 && p.checks.isEmpty() && p.settling.isEmpty()
            : p.allDone();
    if (out.isEmpty() && finished) {
      out.add(new StepFinished(now, step.stage(), step.index(), p.succeeded, p.failed, p.skipped));
    }
    return out;
  }

  /**
   * Undoes the stage's steps after an abort with undo, last first, a step's batch at a time on the
   * hosts where it succeeded. Returns whether there is still undoing to do or wait for.
   */
  private static boolean undo(RunState state, Stage stage, long now, List<RunEvent> out) {
    RunState.Undo u = state.undoing();
    if (u == null) {
      int next = state.nextUndo();
      if (next < 0) {
        return false;
      }
      out.add(new RunEvent.UndoStarted(now, stage.index(), next, state.succeededInStage(next)));
      return true;
    }
    // undos in doubt after a restart, to run again
    boolean redone = false;
    for (int h = u.redo.nextSetBit(0); h >= 0; h = u.redo.nextSetBit(h + 1)) {
      out.add(new ActionStarted(now, stage.index(), u.step.index(), h, Phase.UNDO));
      redone = true;
    }
    if (u.inFlight > 0 || redone) {
      return true;
    }
    if (u.offset >= u.hosts.length) {
      out.add(new RunEvent.UndoFinished(now, stage.index(), u.step.index(), u.succeeded, u.failed));
      return true;
    }
    int size = u.step.waves().batch().batchOf(u.hosts.length);
    for (int i = u.offset; i < Math.min(u.hosts.length, u.offset + size); i++) {
      out.add(new ActionStarted(now, stage.index(), u.step.index(), u.hosts[i], Phase.UNDO));
    }
    return true;
  }

  private static void startBatch(StepProgress p, int g, long now, List<RunEvent> out) {
    Step step = p.step();
    int from = p.offset[g];
    int to = Math.min(p.groups[g].length, from + p.batchSize(g));
    int[] hosts = Arrays.copyOfRange(p.groups[g], from, to);
    out.add(new BatchStarted(now, step.stage(), step.index(), g, p.batches[g] + 1, hosts));
    for (int h : hosts) {
      out.add(new ActionStarted(now, step.stage(), step.index(), h, Phase.ACTION));
    }
  }

  private static RunStatus finalStatus(RunState state) {
    if (state.aborted()) {
      return RunStatus.ABORTED;
    }
    if (state.halted()) {
      return RunStatus.HALTED;
    }
    return state.failures().isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED;
  }

  private static String budgetReason(RunState state, StepProgress p) {
    Step step = p.step();
    String budget =
        step.waves().maxFailures().percent()
            ? p.budget + " (" + step.waves().maxFailures() + " of " + p.total + " hosts)"
            : Integer.toString(p.budget);
    // "in wave 3", or with groups "in wave 2 of cell gva-1": where the budget ran out
    StringBuilder where = new StringBuilder();
    if (p.lastFailedGroup >= 0) {
      where.append(" in wave ").append(p.lastFailedWave);
      if (p.groupCount() > 1) {
        where
            .append(" of ")
            .append(step.waves().groupBy())
            .append(' ')
            .append(p.groupName(p.lastFailedGroup));
      }
    }
    return "stage `"
        + state.currentStage().name()
        + "`, "
        + step.describe()
        + where
        + ": "
        + p.failed
        + (p.failed == 1 ? " host failed" : " hosts failed")
        + ", more than the budget of "
        + budget
        + "; no new batch was started";
  }
}
