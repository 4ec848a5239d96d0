package io.upshift.engine;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent.ActionFinished;
import io.upshift.engine.RunEvent.ActionStarted;
import io.upshift.engine.RunEvent.Approved;
import io.upshift.engine.RunEvent.BatchStarted;
import io.upshift.engine.RunEvent.CapabilityChanged;
import io.upshift.engine.RunEvent.PauseStarted;
import io.upshift.engine.RunEvent.RunFinished;
import io.upshift.engine.RunEvent.RunHalted;
import io.upshift.engine.RunEvent.RunStarted;
import io.upshift.engine.RunEvent.StageFinished;
import io.upshift.engine.RunEvent.StageStarted;
import io.upshift.engine.RunEvent.StepFinished;
import io.upshift.engine.RunEvent.StepStarted;
import io.upshift.inventory.Inventory;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Plan;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The state of a run, rebuilt from its events and nothing else: {@code apply} is the only way it
 * changes. The decider reads it; the engine, observers and (later) the journal's replay feed it.
 */
public final class RunState {
  /** A host that failed, where, and why. */
  public record Failure(
      int host,
      String hostName,
      int stage,
      int step,
      String stepName,
      Phase phase,
      int exitCode,
      String reason,
      String output,
      long at) {}

  private final Plan plan;
  private final FleetState fleet;
  private final BitSet failedHosts;
  private final List<Failure> failures = new ArrayList<>();

  /** The wave groups of the steps' hosts, by group-by key and host array (arrays by identity). */
  private final Map<String, Map<int[], StepProgress.Grouping>> groupings = new HashMap<>();

  /** Where the run stands: changed only by {@link #move}, along {@link RunPhase#TRANSITIONS}. */
  private RunPhase phase = RunPhase.NOT_STARTED;

  /** Told of every change of phase, for tests that hold the table to what runs do; or null. */
  private Consumer<RunPhase.Transition> transitions;

  private int stage = -1;
  private boolean stageActive;
  private int stageFailures;
  private int step = -1;
  private StepProgress progress;
  private int inFlight;
  private String haltReason;
  private String pauseReason;

  /** Failures in the step when the run halted in it (-1: it did not), to complete the count. */
  private int haltFailures = -1;

  private boolean undo;
  private Undo undoing;
  private int undoNext = Integer.MAX_VALUE;
  private final Map<Integer, BitSet> succeededInStage = new HashMap<>();
  private boolean aborted;
  private final List<Approved> approvals = new ArrayList<>();
  private final Map<String, Map<Integer, String>> snapshots = new HashMap<>();
  private final BitSet openActions = new BitSet(); // in flight, of the current step
  private final BitSet openChecks = new BitSet();
  private final BitSet openUndos = new BitSet(); // in flight, of the step being undone
  private boolean autoApprove = true;
  private long stepsSucceeded;
  private long stepsFailed;
  private long stepsSkipped;
  private long stepsTotal;
  private long now;

  public RunState(Plan plan) {
    this.plan = plan;
    this.fleet = new FleetState(plan);
    this.failedHosts = new BitSet(plan.inventory().size());
  }

  private RunState(RunState o) {
    plan = o.plan;
    fleet = o.fleet.copy();
    failedHosts = (BitSet) o.failedHosts.clone();
    stage = o.stage;
    now = o.now;
    phase = o.phase == RunPhase.NOT_STARTED ? RunPhase.NOT_STARTED : RunPhase.RUNNING;
  }

  /**
   * Changes the run's phase as {@code cause} says; a change that is not a row of {@link
   * RunPhase#TRANSITIONS} is a bug, and fails loudly.
   */
  private void move(RunPhase to, RunEvent cause) {
    if (to == phase) {
      return;
    }
    if (!RunPhase.allowed(phase, cause, to)) {
      throw new IllegalStateException(
          "a run cannot go from "
              + phase
              + " to "
              + to
              + " on "
              + cause.getClass().getSimpleName()
              + " (see RunPhase.TRANSITIONS)");
    }
    if (transitions != null) {
      transitions.accept(new RunPhase.Transition(phase, cause.getClass(), to));
    }
    phase = to;
  }

  /** The phase a pause ends in: running again, or still winding down after a halt or an abort. */
  private RunPhase resumed() {
    return aborted ? RunPhase.ABORTING : haltReason != null ? RunPhase.HALTING : RunPhase.RUNNING;
  }

  /** Tells {@code watcher} of every change of phase from now on (for tests of the table). */
  void watchTransitions(Consumer<RunPhase.Transition> watcher) {
    this.transitions = watcher;
  }

  /**
   * The state of this run between two stages, as a separate run that has not failed: for walking
   * the rest of the plan from what was observed. Hosts that failed stay out of later steps.
   */
  public RunState branch() {
    if (stageActive) {
      throw new IllegalStateException("a run branches between stages only");
    }
    return new RunState(this);
  }

  /** Folds one event into the state. */
  public void apply(RunEvent event) {
    now = Math.max(now, event.at());
    // Actions' starts and ends are nearly all of a run's events: they go first, by plain type
    // tests, as the pattern switch below costs more to dispatch than they cost to apply.
    if (event instanceof ActionStarted e && e.phase() != Phase.UNDO) {
      started(e);
      return;
    }
    if (event instanceof ActionFinished e && e.phase() != Phase.UNDO) {
      finished(e);
      return;
    }
    // Type tests rather than a switch on types: such a switch links through a class generated at
    // every start, which the start-up cache cannot keep. Measured with this chain written as an
    // exhaustive switch (JDK 25, the start-up cache, interleaved runs on 2 busy cores): the
    // rehearsal of the CERN example took 0.561 s of CPU against 0.543 s (26 runs each, 3 %), and
    // `verify` 0.445 s against 0.452 s (12 runs each, within noise). The last branch keeps what
    // the switch's exhaustiveness gave: an event type this method does not know fails loudly.
    if (event instanceof BatchStarted e) {
      progress.ready.remove(e.group());
      progress.paused.remove(e.group());
      progress.offset[e.group()] += e.hosts().length;
      progress.batchRemaining[e.group()] = e.hosts().length;
      progress.batches[e.group()]++;
      progress.resumeAt[e.group()] = -1;
      for (int h : e.hosts()) {
        progress.unstarted.set(h);
      }
      progress.unstartedCount += e.hosts().length;
    } else if (event instanceof StepStarted e) {
      step = e.step();
      Step s = currentStage().steps().get(step);
      int[] hosts = eligible(s);
      String key = s.waves().groupBy();
      StepProgress.Grouping grouping =
          groupings
              .computeIfAbsent(key == null ? "" : key, k -> new HashMap<>())
              .computeIfAbsent(hosts, h -> StepProgress.Grouping.of(h, key, plan.inventory()));
      progress = new StepProgress(s, hosts, s.hosts().length - hosts.length, grouping, e.at());
      stepsSkipped += progress.skipped;
      stepsTotal += s.hosts().length;
    } else if (event instanceof StepFinished e) {
      if (haltFailures >= 0 && e.failed() > haltFailures) {
        // the actions under way when the run halted may fail too: the count must add up
        haltReason += " (" + e.failed() + " failed in all, with the actions already under way)";
      }
      haltFailures = -1;
      progress = null;
    } else if (event instanceof PauseStarted e) {
      progress.ready.remove(e.group());
      progress.paused.add(e.group());
      progress.resumeAt[e.group()] = e.until();
    } else if (event instanceof ActionStarted e) { // an undo (the others went first)
      inFlight++;
      undoing.inFlight++;
      if (undoing.redo.get(e.host())) {
        undoing.redo.clear(e.host()); // in doubt, run again: its place in the order was taken
      } else {
        undoing.offset++;
      }
      openUndos.set(e.host());
    } else if (event instanceof ActionFinished e) { // an undo
      undone(e);
    } else if (event instanceof StageStarted e) {
      stage = e.stage();
      stageActive = true;
      stageFailures = 0;
      step = -1;
      succeededInStage.clear();
      succeededHosts = null;
      fleet.forgetPrior();
      undoNext = Integer.MAX_VALUE;
    } else if (event instanceof StageFinished) {
      stageActive = false;
    } else if (event instanceof RunStarted e) {
      move(RunPhase.RUNNING, e);
      autoApprove = e.autoApprove();
    } else if (event instanceof RunFinished e) {
      move(RunPhase.finished(e.status()), e);
    } else if (event instanceof RunHalted e) {
      haltReason = e.reason();
      haltFailures = progress != null ? progress.failed : -1;
      if (phase == RunPhase.RUNNING) {
        move(RunPhase.HALTING, e);
      }
    } else if (event instanceof RunEvent.RunPaused e) {
      move(RunPhase.PAUSED, e);
      pauseReason = e.reason();
    } else if (event instanceof RunEvent.RunResumed e) {
      // a run stays paused while an action in doubt waits for the operator's answer
      if (progress == null || progress.awaiting.isEmpty()) {
        if (phase.paused()) {
          move(resumed(), e);
        }
        pauseReason = null;
      }
    } else if (event instanceof RunEvent.AbortRequested e) {
      aborted = true;
      undo |= e.undo();
      if (haltReason == null) {
        haltReason = "aborted by " + e.by() + (e.comment().isEmpty() ? "" : ": " + e.comment());
      }
      if (!phase.terminal()) {
        move(RunPhase.ABORTING, e); // to wind down: what is in flight finishes, then it ends
      }
    } else if (event instanceof RunEvent.ActionInDoubt e) {
      inDoubt(e);
    } else if (event instanceof RunEvent.UndoStarted e) {
      undoing = new Undo(currentStage().steps().get(e.step()), e.hosts());
      undoNext = e.step() - 1;
    } else if (event instanceof RunEvent.UndoFinished) {
      undoing = null;
    } else if (event instanceof Approved e) {
      if (progress != null && progress.step.kind() == StepKind.APPROVE) {
        progress.approved = true;
        approvals.add(e);
        if (phase.paused()) {
          move(resumed(), e);
          pauseReason = null;
        }
      }
    } else if (event instanceof RunEvent.SnapshotTaken e) {
      snapshots.computeIfAbsent(e.name(), n -> new HashMap<>()).put(e.host(), e.content());
    } else if (!(event instanceof CapabilityChanged
        || event instanceof RunEvent.SnapshotCompared
        || event instanceof RunEvent.BackupTaken
        || event instanceof RunEvent.ProbeChanged
        || event instanceof RunEvent.ProbeTally)) {
      throw new IllegalArgumentException(
          "the run's state does not know events of type " + event.getClass().getSimpleName());
    }
  }

  /**
   * How an action of {@code step} whose end is unknown is settled: a check is run again (checks
   * only look); an action as its step says, {@code check} counting as {@code rerun} where there is
   * nothing to check with (a step without a check, an undo).
   */
  public static InDoubt doubtPolicy(Step step, Phase phase) {
    InDoubt policy = phase == Phase.CHECK ? InDoubt.RERUN : step.inDoubt();
    if (policy == InDoubt.CHECK && (!step.gated() || phase == Phase.UNDO)) {
      policy = InDoubt.RERUN;
    }
    return policy;
  }

  /**
   * Settles an action whose end is unknown: in flight when the orchestrator stopped, or cut off
   * from its host during the run. One that asks the operator during a run stays open (a resume
   * lists it, as after a crash) and pauses the run until the operator answers.
   */
  private void inDoubt(RunEvent.ActionInDoubt e) {
    if (e.phase() == Phase.UNDO) {
      undoInDoubt(e);
      return;
    }
    boolean answered = progress != null && progress.awaiting.remove(e.host());
    if (!answered) {
      inFlight--;
    }
    (e.phase() == Phase.CHECK ? openChecks : openActions).clear(e.host());
    if (e.phase() == Phase.CHECK) {
      progress.checks.add(e.host()); // a check only looks: run it again
      return;
    }
    if (answered && progress.awaiting.isEmpty() && phase == RunPhase.PAUSED_IN_DOUBT) {
      move(resumed(), e);
      pauseReason = null;
    }
    switch (e.resolution()) {
      case ASK -> {
        progress.awaiting.add(e.host());
        openActions.set(e.host()); // still unfinished: a resume asks about it
        if (phase == RunPhase.RUNNING || phase == RunPhase.HALTING || phase == RunPhase.ABORTING) {
          move(RunPhase.PAUSED_IN_DOUBT, e);
          pauseReason =
              "in doubt: "
                  + progress.step.describe()
                  + " on "
                  + plan.inventory().host(e.host()).name()
                  + (e.why().isEmpty() ? "" : " (" + e.why() + ")")
                  + "; look at the host, then resume with --in-doubt done (it ran), rerun or failed";
        }
      }
      case RERUN -> progress.redo.add(e.host());
      case CHECK -> {
        progress.settling.add(e.host());
        progress.checks.add(e.host());
      }
      case DONE, FAILED -> settle(e, settled(e.resolution()));
    }
  }

  /** What the operator said of an action in doubt: it ran (done), or it failed. */
  private static Outcome settled(InDoubt answer) {
    return answer == InDoubt.DONE
        ? Outcome.success(0, "settled as done by the operator")
        : Outcome.failure(-1, "", "in doubt after a restart; settled as failed by the operator");
  }

  /** Settles an undo that was in flight when the orchestrator stopped. */
  private void undoInDoubt(RunEvent.ActionInDoubt e) {
    inFlight--;
    undoing.inFlight--;
    openUndos.clear(e.host());
    switch (e.resolution()) {
      case RERUN, ASK, CHECK -> undoing.redo.set(e.host());
      case DONE, FAILED -> {
        inFlight++; // counted down again by undone()
        undoing.inFlight++;
        undone(
            new ActionFinished(
                e.at(), e.stage(), e.step(), e.host(), Phase.UNDO, settled(e.resolution())));
      }
    }
  }

  private void started(ActionStarted e) {
    inFlight++;
    (e.phase() == Phase.CHECK ? openChecks : openActions).set(e.host());
    if (e.phase() == Phase.CHECK) {
      progress.checks.remove(e.host());
    } else {
      if (progress.unstarted.get(e.host())) {
        progress.unstarted.clear(e.host());
        progress.unstartedCount--;
      } else {
        progress.redo.remove(e.host());
      }
      fleet.started(progress.step, e.host());
    }
  }

  private void finished(ActionFinished e) {
    inFlight--;
    (e.phase() == Phase.CHECK ? openChecks : openActions).clear(e.host());
    Step s = progress.step;
    if (e.phase() == Phase.CHECK && progress.settling.remove(e.host())) {
      // the check that settles an in-doubt action: passed, the action counts as done (and
      // checked); failed, the action runs again
      if (!e.outcome().ok()) {
        progress.redo.add(e.host());
        return;
      }
      fleet.succeeded(s, e.host());
    }
    boolean ok = e.outcome().ok();
    if (e.phase() == Phase.ACTION) {
      if (ok) {
        fleet.succeeded(s, e.host());
      } else {
        fleet.failed(s, e.host());
      }
    }
    if (ok && e.phase() == Phase.ACTION && s.gated()) {
      progress.checks.add(e.host());
      return;
    }
    if (ok) {
      progress.succeeded++;
      stepsSucceeded++;
      succeeded(s.index()).set(e.host());
    } else {
      progress.failed++;
      stepsFailed++;
      stageFailures++;
      failed(e, s);
    }
    int g = progress.groupOfHost[e.host()];
    if (!ok) {
      progress.lastFailedGroup = g;
      progress.lastFailedWave = progress.batches[g];
    }
    if (--progress.batchRemaining[g] == 0) {
      if (progress.offset[g] < progress.groups[g].length) {
        progress.ready.add(g);
      } else {
        progress.openCount--;
        if (progress.nextGroup < progress.groups.length) {
          progress.ready.add(progress.nextGroup++);
          progress.openCount++;
        }
      }
    }
  }

  /** The step whose successes were last recorded, and its set: a batch records many in a row. */
  private int succeededStep = -1;

  private BitSet succeededHosts;

  private BitSet succeeded(int step) {
    if (step != succeededStep || succeededHosts == null) {
      succeededHosts =
          succeededInStage.computeIfAbsent(step, k -> new BitSet(plan.inventory().size()));
      succeededStep = step;
    }
    return succeededHosts;
  }

  /** Ends an in-doubt action as the operator said. */
  private void settle(RunEvent.ActionInDoubt e, Outcome outcome) {
    inFlight++; // counted down again by finished()
    finished(new ActionFinished(e.at(), e.stage(), e.step(), e.host(), Phase.ACTION, outcome));
  }

  /** A host failed an action of a step: it stays out of the rest of the run. */
  private void failed(ActionFinished e, Step s) {
    failedHosts.set(e.host());
    failures.add(
        new Failure(
            e.host(),
            plan.inventory().host(e.host()).name(),
            s.stage(),
            s.index(),
            s.name(),
            e.phase(),
            e.outcome().exitCode(),
            e.outcome().reason(),
            e.outcome().output(),
            e.at()));
  }

  /** An undo ended on a host: on success the host's state goes back to before the step. */
  private void undone(ActionFinished e) {
    openUndos.clear(e.host());
    inFlight--;
    undoing.inFlight--;
    Step s = undoing.step;
    if (e.outcome().ok()) {
      undoing.succeeded++;
      fleet.undone(s, e.host());
      BitSet done = succeededInStage.get(s.index());
      if (done != null) {
        done.clear(e.host());
      }
    } else {
      undoing.failed++;
      failed(e, s);
    }
  }

  /** The undo of one step under way (an abort with undo). */
  public static final class Undo {
    final Step step;
    final int[] hosts;
    int offset;
    int inFlight;
    int succeeded;
    int failed;

    /** Hosts whose undo runs again: in doubt after a restart. */
    final BitSet redo = new BitSet();

    Undo(Step step, int[] hosts) {
      this.step = step;
      this.hosts = hosts;
    }

    public Step step() {
      return step;
    }
  }

  /** Whether an abort asked for the current stage's steps to be undone. */
  public boolean undoRequested() {
    return undo;
  }

  /** The undo under way, or null. */
  public Undo undoing() {
    return undoing;
  }

  /**
   * The next step of the current stage to undo, going backwards from the last one started: one that
   * declares an undo and succeeded on some host; -1 when none is left.
   */
  int nextUndo() {
    for (int i = Math.min(undoNext, step); i >= 0; i--) {
      Step s = currentStage().steps().get(i);
      BitSet done = succeededInStage.get(i);
      if (s.undo() != null && done != null && !done.isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  /** The hosts where a step of the current stage succeeded (and was not undone). */
  int[] succeededInStage(int step) {
    BitSet done = succeededInStage.get(step);
    return done == null ? new int[0] : Inventory.indexes(done);
  }

  /** The step's hosts without those that failed earlier in the run. */
  int[] eligible(Step s) {
    if (failedHosts.isEmpty()) {
      return s.hosts();
    }
    return Arrays.stream(s.hosts()).filter(h -> !failedHosts.get(h)).toArray();
  }

  public Plan plan() {
    return plan;
  }

  public FleetState fleet() {
    return fleet;
  }

  /** The run's status, as summaries and exit codes see it: {@link RunPhase#status}. */
  public RunStatus status() {
    return phase.status();
  }

  /** Where the run stands in its state machine. */
  public RunPhase phase() {
    return phase;
  }

  /** Whether approval gates pass by themselves. */
  public boolean autoApprove() {
    return autoApprove;
  }

  /** Whether the run is halting: nothing new starts, what is in flight finishes. */
  public boolean halted() {
    return haltReason != null;
  }

  public String haltReason() {
    return haltReason;
  }

  /** Whether the run has started (its first event was recorded). */
  public boolean begun() {
    return phase != RunPhase.NOT_STARTED;
  }

  /** Why the run is paused, or null. */
  public String pauseReason() {
    return pauseReason;
  }

  /** Whether an operator asked to abort. */
  public boolean aborted() {
    return aborted;
  }

  /** Every approval given so far, in order. */
  /** The content of snapshot {@code name} taken on {@code host}, or null when none was taken. */
  public String snapshot(String name, int host) {
    Map<Integer, String> byHost = snapshots.get(name);
    return byHost == null ? null : byHost.get(host);
  }

  public List<Approved> approvals() {
    return approvals;
  }

  /**
   * The actions started and not finished, as (stage, step, host, phase): what is in doubt when a
   * run is rebuilt from a journal after its orchestrator died.
   */
  public List<ActionStarted> unfinished() {
    List<ActionStarted> out = new ArrayList<>();
    for (int h = openActions.nextSetBit(0); h >= 0; h = openActions.nextSetBit(h + 1)) {
      out.add(new ActionStarted(now, stage, step, h, Phase.ACTION));
    }
    for (int h = openChecks.nextSetBit(0); h >= 0; h = openChecks.nextSetBit(h + 1)) {
      out.add(new ActionStarted(now, stage, step, h, Phase.CHECK));
    }
    for (int h = openUndos.nextSetBit(0); h >= 0; h = openUndos.nextSetBit(h + 1)) {
      out.add(new ActionStarted(now, stage, undoing.step.index(), h, Phase.UNDO));
    }
    return out;
  }

  /** Index of the current (or last) stage; -1 before the first. */
  public int stage() {
    return stage;
  }

  public boolean stageActive() {
    return stageActive;
  }

  /** Failures in the current stage so far. */
  public int stageFailures() {
    return stageFailures;
  }

  public Stage currentStage() {
    return plan.stages().get(stage);
  }

  /** Index of the current (or last) step in its stage; -1 before the first. */
  public int step() {
    return step;
  }

  /** The progress of the running step, or null between steps. */
  public StepProgress progress() {
    return progress;
  }

  public int inFlight() {
    return inFlight;
  }

  public boolean hasFailed(int host) {
    return failedHosts.get(host);
  }

  public List<Failure> failures() {
    return failures;
  }

  public long stepsTotal() {
    return stepsTotal;
  }

  public long stepsSucceeded() {
    return stepsSucceeded;
  }

  public long stepsFailed() {
    return stepsFailed;
  }

  public long stepsSkipped() {
    return stepsSkipped;
  }

  /** The time of the latest event. */
  public long now() {
    return now;
  }
}
