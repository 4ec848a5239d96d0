package io.upshift.engine;

import io.upshift.clock.RunClock;
import io.upshift.engine.RunEvent.ActionFinished;
import io.upshift.engine.RunEvent.ActionStarted;
import io.upshift.engine.RunEvent.CapabilityChanged;
import io.upshift.engine.RunEvent.PauseStarted;
import io.upshift.engine.RunEvent.RunStarted;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Carries out a plan: asks the {@link Decider} what to do, records the events it returns, hands
 * actions to the target, and waits on the clock for their outcomes. The same loop runs a rehearsal
 * on a virtual clock and a real run on the wall clock.
 */
public final class Engine {
  private final Plan plan;
  private final Target target;
  private final RunClock clock;
  private final long seed;
  private final RunState state;
  private final List<RunListener> listeners = new ArrayList<>();
  private StageGuard guard;
  private boolean autoApprove = true;
  private boolean started;
  private EventLog log;
  private boolean writeAhead;
  private final List<Controls> inputs = new ArrayList<>();
  private boolean inputsClosed;
  private List<RunEvent> prelude = List.of();
  private UnaryOperator<String> mask; // null: nothing to hide
  private List<ActionStarted> toStart = new ArrayList<>();
  private List<ActionStarted> starting = new ArrayList<>();

  /**
   * Where events go to last: the journal. {@link #sync} returns once everything appended is
   * durable.
   */
  public interface EventLog {
    void append(RunEvent event);

    void sync();
  }

  /**
   * Operators' requests from outside (pause, resume, abort, approve), as events to record; asked at
   * every turn of the loop, and every {@link #CONTROL_POLL_MILLIS} while waiting on the clock.
   */
  @FunctionalInterface
  public interface Controls {
    List<RunEvent> poll(RunState state, long now);

    /** Last events, once, just before the run ends or pauses (e.g. probes' tallies). */
    default List<RunEvent> close(RunState state, long now) {
      return List.of();
    }
  }

  /** How often a run on the wall clock looks for operators' requests while it waits. */
  public static final long CONTROL_POLL_MILLIS = 250;

  /**
   * Looks at the rest of the plan before a stage starts, from the run's state; a reason to stop
   * halts the run before the stage.
   */
  @FunctionalInterface
  public interface StageGuard {
    /** Why the run must not start {@code stage} from {@code state}, or null to go on. */
    String beforeStage(RunState state, int stage);
  }

  public Engine(Plan plan, Target target, RunClock clock, long seed) {
    this(plan, target, clock, seed, new RunState(plan));
  }

  /** An engine that carries on from a state between stages (see {@link RunState#branch}). */
  public Engine(Plan plan, Target target, RunClock clock, long seed, RunState state) {
    this.plan = plan;
    this.target = target;
    this.clock = clock;
    this.seed = seed;
    this.state = state;
    this.started = state.begun();
  }

  /** Whether approval gates pass by themselves (the default, for rehearsal) or pause the run. */
  public Engine autoApprove(boolean autoApprove) {
    this.autoApprove = autoApprove;
    return this;
  }

  /**
   * Records every event in {@code log}. With {@code writeAhead}, an action is sent to its host only
   * once the event saying it started is durable (for targets with real effects).
   */
  public Engine log(EventLog log, boolean writeAhead) {
    this.log = log;
    this.writeAhead = writeAhead;
    return this;
  }

  /**
   * Events to record before the loop starts, e.g. on resume: the resumption and how the actions in
   * doubt are settled.
   */
  public Engine prelude(List<RunEvent> events) {
    this.prelude = List.copyOf(events);
    return this;
  }

  /**
   * Applied to every outcome's output and reason before it is recorded: secrets never reach the
   * state, the journal, the summary or the screen. Null (the default): nothing to hide.
   */
  public Engine mask(UnaryOperator<String> mask) {
    this.mask = mask;
    return this;
  }

  /**
   * Adds a source of events from outside the run: operators' requests, probes' measurements. Each
   * is asked at every turn of the loop.
   */
  public Engine controls(Controls controls) {
    this.inputs.add(controls);
    return this;
  }

  public Engine guard(StageGuard guard) {
    this.guard = guard;
    return this;
  }

  public Engine listen(RunListener listener) {
    listeners.add(listener);
    return this;
  }

  public RunState state() {
    return state;
  }

  /** Runs the plan to its end (success, failure or halt) and returns the final state. */
  public RunState run() {
    if (!started) {
      record(
          new RunStarted(
              clock.now(), plan.name(), target.name(), seed, plan.inventory().size(), autoApprove));
    }
    prelude.forEach(this::record);
    wakeForPauses();
    dispatch();
    if (!inputs.isEmpty() && !clock.isVirtual()) {
      tick();
    }
    while (true) {
      for (Controls input : inputs) {
        input.poll(state, clock.now()).forEach(this::record);
      }
      List<RunEvent> decided = Decider.decide(state, clock.now());
      if (guard != null
          && !decided.isEmpty()
          && decided.get(0) instanceof RunEvent.StageStarted next) {
        String reason = guard.beforeStage(state, next.stage());
        if (reason != null) {
          record(new RunEvent.RunHalted(clock.now(), reason));
          continue;
        }
      }
      if (!decided.isEmpty()) {
        if (decided.getLast() instanceof RunEvent.RunFinished) {
          closeInputs();
        }
        decided.forEach(this::record);
        dispatch();
        continue;
      }
      if (state.status().isTerminal()
          || (state.status() == RunStatus.PAUSED && state.inFlight() == 0)) {
        closeInputs();
        if (log != null) {
          log.sync();
        }
        return state;
      }
      if (!clock.runNext(state.inFlight() > 0)) {
        throw new IllegalStateException(
            "the run cannot go on: nothing is in flight and nothing is due (stage "
                + state.stage()
                + ", step "
                + state.step()
                + ")");
      }
    }
  }

  /**
   * A run taken up from its journal may have groups pausing between batches: the clock wakes the
   * loop when each pause ends, as it does for the pauses this engine starts.
   */
  private void wakeForPauses() {
    StepProgress p = state.progress();
    if (p == null) {
      return;
    }
    for (int g : p.paused) {
      clock.at(p.resumeAt[g], () -> {});
    }
  }

  private void closeInputs() {
    if (!inputsClosed) {
      inputsClosed = true;
      for (Controls input : inputs) {
        input.close(state, clock.now()).forEach(this::record);
      }
    }
  }

  /** Wakes the loop regularly on the wall clock, so that requests are seen while it waits. */
  private void tick() {
    clock.at(
        clock.now() + CONTROL_POLL_MILLIS,
        () -> {
          if (!state.status().isTerminal()) {
            tick();
          }
        });
  }

  /** Sends the actions just recorded to the target, once their start is durable. */
  private void dispatch() {
    if (toStart.isEmpty()) {
      return;
    }
    if (log != null && writeAhead) {
      log.sync();
    }
    // Swapped, not copied: starting an action may record events, which fill the other list.
    List<ActionStarted> now = toStart;
    toStart = starting;
    starting = now;
    for (int i = 0; i < now.size(); i++) {
      start(now.get(i));
    }
    now.clear();
  }

  private void record(RunEvent event) {
    if (log != null) {
      log.append(event);
    }
    fold(state, event, listeners);
    if (event instanceof RunEvent.AbortRequested && !clock.isVirtual()) {
      target.abortRunning();
    }
    if (event instanceof ActionStarted e) {
      toStart.add(e);
    } else if (event instanceof PauseStarted e) {
      clock.at(e.until(), () -> {});
    }
  }

  /**
   * Folds one event into a run's state and tells the listeners, then derives the capabilities that
   * changed with it and tells them of each ({@link CapabilityChanged}, never stored: derived again
   * from the fleet's state). The one way a run's state moves forward, in a run and in a replay of
   * its journal alike.
   */
  public static void fold(RunState state, RunEvent event, List<? extends RunListener> listeners) {
    state.apply(event);
    // Indexed loops: this runs for every event, and the quick compiler allocates iterators.
    for (int i = 0; i < listeners.size(); i++) {
      listeners.get(i).onEvent(event, state);
    }
    if (state.fleet().hasChanges()) {
      for (String capability : state.fleet().takeChanges()) {
        RunEvent change =
            new CapabilityChanged(event.at(), capability, state.fleet().isUp(capability));
        for (int i = 0; i < listeners.size(); i++) {
          listeners.get(i).onEvent(change, state);
        }
      }
    }
  }

  /** The outcome with secrets masked in its output and reason (the same one when none show). */
  private Outcome masked(Outcome o) {
    if (mask == null) {
      return o;
    }
    String output = mask.apply(o.output());
    String reason = mask.apply(o.reason());
    return output.equals(o.output()) && reason.equals(o.reason())
        ? o
        : new Outcome(o.ok(), o.exitCode(), output, reason, o.inDoubt());
  }

  /** Records an action's end, after what it captured (a snapshot, a comparison, a backup). */
  private void finished(ActionStarted e, Step step, Outcome outcome) {
    long now = clock.now();
    if (Captures.captures(step, e.phase())) {
      var captured =
          Captures.after(
              step, e.host(), outcome, state, plan.inventory().host(e.host()).name(), now);
      captured.events().forEach(this::record);
      outcome = captured.outcome();
    }
    record(new ActionFinished(now, e.stage(), e.step(), e.host(), e.phase(), outcome));
  }

  /**
   * What a target calls with an action's outcome. A class rather than a lambda: one is made per
   * action, and the quick compiler allocates a class directly but a lambda through a method handle.
   */
  private final class Finish implements Consumer<Outcome> {
    private final ActionStarted started;
    private final Step step;

    Finish(ActionStarted started, Step step) {
      this.started = started;
      this.step = step;
    }

    @Override
    public void accept(Outcome outcome) {
      Outcome o = masked(outcome);
      if (o.inDoubt()) {
        doubted(started, step, o);
      } else {
        finished(started, step, o);
      }
    }
  }

  /** How often one host's action may be in doubt in one step before it counts as failed. */
  static final int MAX_DOUBTS_PER_ACTION = 3;

  private final Map<Long, Integer> doubts = new HashMap<>();

  /**
   * Records an action the target lost track of (its connection dropped while it ran, and the host
   * could not say how it ended), settled by its step's {@code in-doubt} policy as after a crash. A
   * host in doubt again and again fails instead, so that a flapping host cannot hold a step.
   */
  private void doubted(ActionStarted e, Step step, Outcome o) {
    long key = ((long) e.stage() << 48) | ((long) e.step() << 32) | e.host();
    int times = doubts.merge(key, 1, Integer::sum);
    if (times >= MAX_DOUBTS_PER_ACTION) {
      finished(
          e,
          step,
          Outcome.failure(
              -1, o.output(), o.reason() + " (in doubt " + times + " times: counted as failed)"));
      return;
    }
    record(
        new RunEvent.ActionInDoubt(
            clock.now(),
            e.stage(),
            e.step(),
            e.host(),
            e.phase(),
            RunState.doubtPolicy(step, e.phase()),
            o.reason()));
  }

  private void start(ActionStarted e) {
    Step step = plan.stages().get(e.stage()).steps().get(e.step());
    Execution execution = new Execution(step, plan.inventory().host(e.host()), e.phase(), 1);
    try {
      target.start(execution, new Finish(e, step));
    } catch (RuntimeException ex) {
      Outcome failed =
          masked(
              Outcome.failure(
                  -1,
                  "",
                  target.name() + " target could not start the action: " + ex.getMessage()));
      clock.post(
          () ->
              record(
                  new ActionFinished(
                      clock.now(), e.stage(), e.step(), e.host(), e.phase(), failed)));
    }
  }
}
