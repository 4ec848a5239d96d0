package io.upshift.engine;

import io.upshift.engine.Execution.Phase;
import io.upshift.plan.InDoubt;

/**
 * Everything that happens in a run, as small immutable records. The state of a run is a fold of its
 * events ({@link RunState#apply}), which is what lets a journal replay it. {@link
 * CapabilityChanged} is derived (recomputed on replay) and carried for observers. Times are
 * milliseconds on the run's clock.
 */
public sealed interface RunEvent {

  /** When it happened, in milliseconds since the run started. */
  long at();

  /**
   * The run began. With {@code autoApprove}, approval gates pass by themselves (rehearsal);
   * without, the run pauses at each.
   */
  record RunStarted(long at, String plan, String target, long seed, int hosts, boolean autoApprove)
      implements RunEvent {}

  /** A stage began. */
  record StageStarted(long at, int stage) implements RunEvent {}

  /**
   * A step began on {@code hosts} hosts; {@code skipped} more were left out because they failed an
   * earlier step.
   */
  record StepStarted(long at, int stage, int step, int hosts, int skipped) implements RunEvent {}

  /** A batch of a group began; the actions on its hosts follow. */
  record BatchStarted(long at, int stage, int step, int group, int batch, int[] hosts)
      implements RunEvent {}

  /** A group waits before its next batch, until {@code until}. */
  record PauseStarted(long at, int stage, int step, int group, long until) implements RunEvent {}

  /** An action was handed to the target for one host. */
  record ActionStarted(long at, int stage, int step, int host, Phase phase) implements RunEvent {}

  /** The target reported the outcome of an action on one host. */
  record ActionFinished(long at, int stage, int step, int host, Phase phase, Outcome outcome)
      implements RunEvent {}

  /**
   * An action whose end is unknown, and how it is settled: run again, checked first, or as the
   * operator said (done, failed). On resume, the actions whose end was never recorded; during a
   * run, an action whose connection dropped while it ran. {@code ask} during a run pauses it until
   * the operator answers (with {@code resume --in-doubt}).
   *
   * @param why why its end is unknown, in words (empty: the orchestrator stopped while it ran)
   */
  record ActionInDoubt(
      long at, int stage, int step, int host, Phase phase, InDoubt resolution, String why)
      implements RunEvent {

    /** An action found in doubt on resume, after its orchestrator stopped. */
    public ActionInDoubt(long at, int stage, int step, int host, Phase phase, InDoubt resolution) {
      this(at, stage, step, host, phase, resolution, "");
    }
  }

  /** An approval gate was passed. */
  record Approved(long at, int stage, int step, String by, String comment) implements RunEvent {}

  /** A step ended. */
  record StepFinished(long at, int stage, int step, int succeeded, int failed, int skipped)
      implements RunEvent {}

  /** A stage ended with a status. */
  record StageFinished(long at, int stage, RunStatus status) implements RunEvent {}

  /** A capability went down or came back (derived from component states). */
  record CapabilityChanged(long at, String capability, boolean up) implements RunEvent {}

  /** The run will start nothing new, for {@code reason}; actions in flight finish. */
  record RunHalted(long at, String reason) implements RunEvent {}

  /** The run waits for an operator: an approval gate was reached. */
  record RunPaused(long at, int stage, int step, String reason) implements RunEvent {}

  /** The run goes on after a pause or a restart of the orchestrator. */
  record RunResumed(long at, String by, String reason) implements RunEvent {}

  /**
   * An operator asked to abort: nothing new starts, actions in flight finish, the run ends aborted.
   * With {@code undo}, the current stage's steps that declare an undo are undone first, last step
   * first, on the hosts where they succeeded.
   */
  record AbortRequested(long at, String by, String comment, boolean undo) implements RunEvent {}

  /** The undo of a step began (an abort with undo), on the hosts where the step succeeded. */
  record UndoStarted(long at, int stage, int step, int[] hosts) implements RunEvent {}

  /** The undo of a step ended. */
  record UndoFinished(long at, int stage, int step, int succeeded, int failed)
      implements RunEvent {}

  /**
   * A snapshot step captured {@code content} (a command's output, an SQL query's rows, an HTTP JSON
   * body) under {@code name} on one host; a later {@code compare} step of the same name captures
   * again and compares with it.
   */
  record SnapshotTaken(long at, int stage, int step, int host, String name, String content)
      implements RunEvent {}

  /**
   * A compare step captured the snapshot {@code name} again on one host: {@code equal}, or the
   * differences as a unified diff (before: the snapshot; after: now).
   */
  record SnapshotCompared(
      long at, int stage, int step, int host, String name, boolean equal, String diff)
      implements RunEvent {}

  /**
   * A database was dumped on one host: where the dump is kept (for a restore), its size in bytes
   * and its sha256.
   */
  record BackupTaken(
      long at,
      int stage,
      int step,
      int host,
      String database,
      String path,
      long bytes,
      String sha256)
      implements RunEvent {}

  /**
   * A probe of a capability changed its answer: measured from outside (HTTP, TCP, a command), as
   * opposed to {@link CapabilityChanged}, which is predicted from component states. {@code detail}
   * says why a probe failed ("HTTP 503", "connection refused").
   */
  record ProbeChanged(long at, String capability, String probe, boolean up, String detail)
      implements RunEvent {}

  /** At the end of a run (or a pause), how many samples a probe took and how many failed. */
  record ProbeTally(long at, String capability, String probe, long samples, long failed)
      implements RunEvent {}

  /** The run ended. */
  record RunFinished(long at, RunStatus status) implements RunEvent {}
}
