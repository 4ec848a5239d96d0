package io.upshift.engine;

import io.upshift.clock.RunClock;
import io.upshift.engine.RunEvent.ActionFinished;
import io.upshift.engine.RunEvent.ActionStarted;
import io.upshift.engine.RunEvent.CapabilityChanged;
import io.upshift.engine.RunEvent.PauseStarted;
import io.upshift.engine.RunEvent.RunStarted;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.target.Execution;
import io.upshift.target.Outcome;
import io.upshift.target.Target;
import java.util.ArrayList;
import java.util.List;

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
    this.started = state.stage() >= 0;
  }

  /** Whether approval gates pass by themselves (the default, for rehearsal) or pause the run. */
  public Engine autoApprove(boolean autoApprove) {
    this.autoApprove = autoApprove;
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
    while (true) {
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
        decided.forEach(this::record);
        continue;
      }
      if (state.status().isTerminal() || state.status() == RunStatus.PAUSED) {
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

  private void record(RunEvent event) {
    state.apply(event);
    listeners.forEach(l -> l.onEvent(event, state));
    for (String capability : state.fleet().takeChanges()) {
      RunEvent change =
          new CapabilityChanged(event.at(), capability, state.fleet().isUp(capability));
      listeners.forEach(l -> l.onEvent(change, state));
    }
    switch (event) {
      case ActionStarted e -> start(e);
      case PauseStarted e -> clock.at(e.until(), () -> {});
      default -> {}
    }
  }

  private void start(ActionStarted e) {
    Step step = plan.stages().get(e.stage()).steps().get(e.step());
    Execution execution = new Execution(step, plan.inventory().host(e.host()), e.phase(), 1);
    try {
      target.start(
          execution,
          outcome ->
              record(
                  new ActionFinished(
                      clock.now(), e.stage(), e.step(), e.host(), e.phase(), outcome)));
    } catch (RuntimeException ex) {
      Outcome failed =
          Outcome.failure(
              -1, "", target.name() + " target could not start the action: " + ex.getMessage());
      clock.post(
          () ->
              record(
                  new ActionFinished(
                      clock.now(), e.stage(), e.step(), e.host(), e.phase(), failed)));
    }
  }
}
