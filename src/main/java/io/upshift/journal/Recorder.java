package io.upshift.journal;

import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunPhase;
import io.upshift.engine.RunState;
import io.upshift.engine.RunStatus;
import io.upshift.engine.StepProgress;
import io.upshift.plan.StepKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Ties one run's engine to the journal: its events go to the journal (group commit, write-ahead
 * before actions), its status is kept in the run's record for {@code upshift runs}, and the
 * operators' requests are read from the journal and turned into events.
 */
public final class Recorder
    implements Engine.EventLog, Engine.Controls, RunListener, AutoCloseable {
  /** How often the journal is asked for operators' requests while the run goes on. */
  static final long POLL_MILLIS = 200;

  private final Journal journal;
  private final String run;
  private final String owner = Owner.self();
  private final long ownerStart = Owner.selfStart();
  private final JournalWriter writer;
  private long lastPoll;
  private boolean finished;

  /** Records run {@code run}, whose last stored event is number {@code lastSeq}. */
  public Recorder(Journal journal, String run, long lastSeq) {
    this.journal = journal;
    this.run = run;
    this.writer = new JournalWriter(journal, run, lastSeq);
    journal.update(
        run, RunPhase.RUNNING.name(), "", "", owner, ownerStart, System.currentTimeMillis());
  }

  public String run() {
    return run;
  }

  @Override
  public void append(RunEvent event) {
    if (!(event instanceof RunEvent.CapabilityChanged)) {
      writer.append(event); // derived: rebuilt on replay
    }
  }

  @Override
  public void sync() {
    writer.sync();
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    long now = System.currentTimeMillis();
    // the record names the run's phase (RunPhase), as the state has it after the event
    String phase = state.phase().name();
    switch (event) {
      case RunEvent.RunResumed e -> {
        String detail = state.phase().paused() ? state.pauseReason() : "";
        journal.update(run, phase, detail, gate(state), owner, ownerStart, now);
      }
      case RunEvent.RunPaused e ->
          journal.update(run, phase, e.reason(), gate(state), owner, ownerStart, now);
      case RunEvent.Approved e -> journal.update(run, phase, "", "", owner, ownerStart, now);
      case RunEvent.RunHalted e ->
          journal.update(run, phase, e.reason(), "", owner, ownerStart, now);
      case RunEvent.AbortRequested e ->
          journal.update(run, phase, state.haltReason(), "", owner, ownerStart, now);
      case RunEvent.RunFinished e -> {
        writer.sync();
        finished = true;
        String detail = state.haltReason() == null ? "" : state.haltReason();
        journal.update(run, phase, detail, "", null, 0, now);
      }
      case RunEvent.RunStarted ignored -> {}
      case RunEvent.StageStarted ignored -> {}
      case RunEvent.StepStarted ignored -> {}
      case RunEvent.BatchStarted ignored -> {}
      case RunEvent.PauseStarted ignored -> {}
      case RunEvent.ActionStarted ignored -> {}
      case RunEvent.ActionFinished ignored -> {}
      case RunEvent.ActionInDoubt ignored -> {}
      case RunEvent.StepFinished ignored -> {}
      case RunEvent.StageFinished ignored -> {}
      case RunEvent.CapabilityChanged ignored -> {}
      case RunEvent.UndoStarted ignored -> {}
      case RunEvent.UndoFinished ignored -> {}
      case RunEvent.SnapshotTaken ignored -> {}
      case RunEvent.SnapshotCompared ignored -> {}
      case RunEvent.BackupTaken ignored -> {}
      case RunEvent.ProbeChanged ignored -> {}
      case RunEvent.ProbeTally ignored -> {}
    }
  }

  /** The approval gate the run is at, as {@code stage.step}, or empty. */
  private static String gate(RunState state) {
    StepProgress p = state.progress();
    return p != null && p.step().kind() == StepKind.APPROVE ? p.step().id() : "";
  }

  @Override
  public List<RunEvent> poll(RunState state, long now) {
    long wall = System.currentTimeMillis();
    if (wall - lastPoll < POLL_MILLIS) {
      return List.of();
    }
    lastPoll = wall;
    List<RunEvent> out = new ArrayList<>();
    for (Control c : journal.pending(run)) {
      RunEvent e = carryOut(c, state, now);
      if (c.kind() == Control.Kind.APPROVE && e == null && gate(state).isEmpty()) {
        // not at a gate yet: the approval waits (the command only approves the gate a run is at,
        // so this is a run between reading its status and now)
        if (!state.status().isTerminal()) {
          continue;
        }
      }
      journal.done(c.id()); // before the event: a lost request beats one carried out twice
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static RunEvent carryOut(Control c, RunState state, long now) {
    if (state.status().isTerminal()) {
      return null;
    }
    String comment = c.comment().isEmpty() ? "" : ": " + c.comment();
    return switch (c.kind()) {
      case PAUSE ->
          state.status() == RunStatus.RUNNING && !state.halted()
              ? new RunEvent.RunPaused(
                  now, state.stage(), state.step(), "paused by " + c.by() + comment)
              : null;
      case RESUME ->
          state.status() == RunStatus.PAUSED ? new RunEvent.RunResumed(now, c.by(), "") : null;
      case ABORT ->
          state.aborted() ? null : new RunEvent.AbortRequested(now, c.by(), c.comment(), false);
      case ABORT_UNDO ->
          state.aborted() && state.undoRequested()
              ? null
              : new RunEvent.AbortRequested(now, c.by(), c.comment(), true);
      case APPROVE ->
          gate(state).equals(c.gate())
              ? new RunEvent.Approved(now, state.stage(), state.step(), c.by(), c.comment())
              : null;
    };
  }

  /** Stores what is left; a run that did not finish (paused, or stopped) is left without owner. */
  @Override
  public void close() {
    writer.close();
    if (!finished) {
      journal
          .run(run)
          .ifPresent(
              r ->
                  journal.update(
                      run, r.status(), r.detail(), r.gate(), null, 0, System.currentTimeMillis()));
    }
  }
}
