package io.upshift.engine.sim;

import io.upshift.clock.RunClock;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.Target;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Fault;
import io.upshift.plan.Plan;
import io.upshift.plan.StepKind;
import io.upshift.source.Problems;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A simulated fleet: every action takes a time drawn from the step's duration model and succeeds
 * unless a fault is injected. Nothing runs; outcomes are scheduled on the run clock, so thousands
 * of hosts cost no threads. The draw for an action depends only on the seed and on which action it
 * is (stage, step, host, phase, attempt), so a run is reproducible whatever order things happen in.
 */
public final class SimTarget implements Target {
  private final RunClock clock;
  private final long seed;
  private final List<ActiveFault> faults = new ArrayList<>();

  private record ActiveFault(Fault fault, BitSet hosts) {}

  /**
   * Which duration an action takes: a draw from its model, or the model's mean or 95th percentile.
   */
  public enum Durations {
    DRAWN,
    EXPECTED,
    P95
  }

  private final Durations durations;
  private final Plan plan;

  /**
   * @param faults faults to inject, from the plan's {@code rehearsal:} and the command line
   */
  public SimTarget(Plan plan, RunClock clock, long seed, List<Fault> faults) {
    this(plan, clock, seed, faults, Durations.DRAWN);
  }

  /** A fleet where every action takes its model's mean or 95th percentile, for predictions. */
  public SimTarget(Plan plan, RunClock clock, long seed, List<Fault> faults, Durations durations) {
    this.durations = durations;
    this.plan = plan;
    this.clock = clock;
    this.seed = seed;
    for (Fault f : faults) {
      this.faults.add(
          new ActiveFault(f, f.hosts() == null ? null : plan.inventory().select(f.hosts())));
    }
  }

  @Override
  public String name() {
    return "sim";
  }

  @Override
  public void check(Plan plan, Problems problems) {
    // The simulator can rehearse every step kind.
  }

  @Override
  public void start(Execution execution, Consumer<Outcome> done) {
    // A draw only when there is one to make: a walk at fixed durations has none per action.
    SplittableRandom random =
        durations == Durations.DRAWN || !faults.isEmpty()
            ? new SplittableRandom(key(execution))
            : null;
    boolean check = execution.phase() == Execution.Phase.CHECK;
    DurationModel model = plan.duration(execution.step(), execution.host(), check);
    long duration = millis(model, durations, random);
    StepKind kind = check ? StepKind.CHECK : execution.step().kind();
    Outcome outcome = SUCCEEDED;
    for (ActiveFault f : faults) {
      boolean applies =
          (f.fault().kind() == null || f.fault().kind() == kind)
              && (f.hosts() == null || f.hosts().get(execution.host().index()));
      if (applies && random.nextDouble() < f.fault().probability()) {
        outcome =
            Outcome.failure(1, "", "injected fault (probability " + f.fault().probability() + ")");
        break;
      }
    }
    long timeout = execution.step().timeoutMillis();
    boolean timedOut = duration > timeout;
    if (timedOut) {
      duration = timeout;
      outcome =
          Outcome.failure(
              -1, "", "timed out after " + DurationModel.format(timeout) + " (rehearsal)");
    }
    if (shadow != null) {
      long other = millis(model, shadow, random);
      if (other > timeout != timedOut) {
        shadowClock.breakShadow(); // the action would end otherwise on the second timeline
      }
      other = Math.min(other, timeout);
      shadowClock.at(
          clock.now() + duration, shadowClock.shadowNow() + other, new Done(done, outcome));
      return;
    }
    clock.at(clock.now() + duration, new Done(done, outcome));
  }

  private static long millis(DurationModel model, Durations durations, SplittableRandom random) {
    return switch (durations) {
      case DRAWN -> model.sample(random);
      case EXPECTED -> model.expectedMillis();
      case P95 -> model.p95Millis();
    };
  }

  private Durations shadow;
  private VirtualClock shadowClock;

  /**
   * Also times every action with {@code durations} on a second timeline of the run's clock, a
   * virtual one ({@link VirtualClock#shadowed}): a walk at expected durations then also tells when
   * things would happen at the 95th percentiles, as long as the clock says the timelines agree.
   * Call before the run starts.
   */
  public SimTarget shadow(Durations durations) {
    if (!(clock instanceof VirtualClock virtual) || durations == Durations.DRAWN) {
      throw new IllegalArgumentException(
          "a second timeline needs a virtual clock, fixed durations");
    }
    this.shadowClock = virtual.shadowed();
    this.shadow = durations;
    return this;
  }

  /** The end of an action, due on the clock (a class, not a lambda: one per action). */
  private record Done(Consumer<Outcome> done, Outcome outcome) implements Runnable {
    @Override
    public void run() {
      done.accept(outcome);
    }
  }

  /** What most rehearsed actions end with (an outcome is immutable: one serves them all). */
  private static final Outcome SUCCEEDED = Outcome.success(0, "");

  private long key(Execution e) {
    long h = seed;
    h = mix(h ^ e.step().stage());
    h = mix(h ^ e.step().index());
    h = mix(h ^ e.host().index());
    h = mix(h ^ e.phase().ordinal());
    return mix(h ^ e.attempt());
  }

  /** SplitMix64's finaliser: spreads nearby keys into unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
