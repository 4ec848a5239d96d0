package io.upshift.engine;

import java.util.List;
import java.util.Locale;

/**
 * Where a run stands, as one value: the run state machine's states. {@link RunState} holds one and
 * changes it only along a row of {@link #TRANSITIONS}; the journal's run record stores its name.
 * Each value says what it means for the run: whether it is over, whether it succeeded, whether new
 * batches start, and the {@link RunStatus} that summaries and exit codes use.
 */
public enum RunPhase {
  /** Before the run's first event. */
  NOT_STARTED(RunStatus.RUNNING),
  /** Steps are carried out: new batches start as the waves allow. */
  RUNNING(RunStatus.RUNNING),
  /**
   * Waiting for an operator: an approval gate, or a pause asked for. Checks of finished actions
   * still run.
   */
  PAUSED(RunStatus.PAUSED),
  /** Waiting for an operator to say how an action whose end is unknown ended. */
  PAUSED_IN_DOUBT(RunStatus.PAUSED),
  /** A failure budget was exceeded or a check made going on unsafe: what is in flight finishes. */
  HALTING(RunStatus.RUNNING),
  /** An operator aborted: what is in flight finishes (and, if asked, the stage is undone). */
  ABORTING(RunStatus.RUNNING),
  /** Over: everything ran and every host succeeded. */
  SUCCEEDED(RunStatus.SUCCEEDED),
  /** Over: everything ran, but some hosts failed within the failure budget. */
  FAILED(RunStatus.FAILED),
  /** Over: stopped early by a failure budget or an unsafe check. */
  HALTED(RunStatus.HALTED),
  /** Over: stopped by an operator. */
  ABORTED(RunStatus.ABORTED);

  private final RunStatus status;

  RunPhase(RunStatus status) {
    this.status = status;
  }

  /** The status summaries, the run summary JSON and exit codes use. */
  public RunStatus status() {
    return status;
  }

  /** Whether the run is over: nothing more happens, resumed or not. */
  public boolean terminal() {
    return status.isTerminal();
  }

  /** Whether the run is over and every host succeeded. */
  public boolean successful() {
    return this == SUCCEEDED;
  }

  /** Whether new batches start: only while the run simply runs. */
  public boolean acceptsBatches() {
    return this == RUNNING;
  }

  /** Whether the run waits for an operator. */
  public boolean paused() {
    return status == RunStatus.PAUSED;
  }

  /** The word shown to people: the status's word, or halting, aborting. */
  public String word() {
    return this == HALTING || this == ABORTING || this == NOT_STARTED
        ? name().toLowerCase(Locale.ROOT).replace('_', '-')
        : status.word();
  }

  /** The phase a run ends in with this status. */
  static RunPhase finished(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case HALTED -> HALTED;
      case ABORTED -> ABORTED;
      case RUNNING, PAUSED ->
          throw new IllegalArgumentException("a run does not finish " + status.word());
    };
  }

  /**
   * The phase a journal's run record names: its name, or a word older journals stored (running,
   * paused, halting, aborting, and the final statuses' words).
   */
  public static RunPhase ofRecord(String stored) {
    String s = stored == null ? "" : stored.trim();
    for (RunPhase p : values()) {
      if (p.name().equals(s)) {
        return p;
      }
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "paused" -> PAUSED;
      case "halting" -> HALTING;
      case "aborting" -> ABORTING;
      case "succeeded" -> SUCCEEDED;
      case "failed" -> FAILED;
      case "halted" -> HALTED;
      case "aborted" -> ABORTED;
      default -> RUNNING; // "running", and anything unknown: not over
    };
  }

  /** One row of the table: from a phase, on an event of a type, to a phase. */
  public record Transition(RunPhase from, Class<? extends RunEvent> on, RunPhase to) {
    @Override
    public String toString() {
      return from + " --" + on.getSimpleName() + "--> " + to;
    }
  }

  private static Transition t(RunPhase from, Class<? extends RunEvent> on, RunPhase to) {
    return new Transition(from, on, to);
  }

  /**
   * Every way a run's phase changes, and nothing else: {@link RunState} refuses a change that is
   * not a row here. An event that leaves the phase as it is (a resume of a run that runs, a second
   * abort) is not a change.
   */
  public static final List<Transition> TRANSITIONS =
      List.of(
          t(NOT_STARTED, RunEvent.RunStarted.class, RUNNING),
          // an operator's pause, or an approval gate
          t(RUNNING, RunEvent.RunPaused.class, PAUSED),
          t(PAUSED, RunEvent.RunResumed.class, RUNNING),
          t(PAUSED, RunEvent.Approved.class, RUNNING),
          // an action in doubt whose step asks the operator, and the operator's answer
          t(RUNNING, RunEvent.ActionInDoubt.class, PAUSED_IN_DOUBT),
          t(HALTING, RunEvent.ActionInDoubt.class, PAUSED_IN_DOUBT),
          t(ABORTING, RunEvent.ActionInDoubt.class, PAUSED_IN_DOUBT),
          t(PAUSED_IN_DOUBT, RunEvent.ActionInDoubt.class, RUNNING),
          t(PAUSED_IN_DOUBT, RunEvent.ActionInDoubt.class, HALTING),
          t(PAUSED_IN_DOUBT, RunEvent.ActionInDoubt.class, ABORTING),
          // a failure budget exceeded, or the guard before a stage
          t(RUNNING, RunEvent.RunHalted.class, HALTING),
          // an operator's abort, whatever the run was doing
          t(RUNNING, RunEvent.AbortRequested.class, ABORTING),
          t(PAUSED, RunEvent.AbortRequested.class, ABORTING),
          t(PAUSED_IN_DOUBT, RunEvent.AbortRequested.class, ABORTING),
          t(HALTING, RunEvent.AbortRequested.class, ABORTING),
          // the end
          t(RUNNING, RunEvent.RunFinished.class, SUCCEEDED),
          t(RUNNING, RunEvent.RunFinished.class, FAILED),
          t(HALTING, RunEvent.RunFinished.class, HALTED),
          t(ABORTING, RunEvent.RunFinished.class, ABORTED));

  /** Whether the table has a row for this change. */
  static boolean allowed(RunPhase from, RunEvent on, RunPhase to) {
    for (Transition t : TRANSITIONS) {
      if (t.from == from && t.to == to && t.on.isInstance(on)) {
        return true;
      }
    }
    return false;
  }
}
