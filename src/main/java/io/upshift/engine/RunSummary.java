package io.upshift.engine;

import io.upshift.plan.Plan;
import io.upshift.plan.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The outcome of a run as the summary JSON and the closing table show it: stages with their times,
 * capability downtime windows, step counts and failed hosts. Built by listening to the run's
 * events.
 */
public final class RunSummary implements RunListener {
  /**
   * A stretch of time in milliseconds from the run's start; {@code open} when the capability was
   * still down when the run ended.
   */
  public record Window(long start, long end, boolean open) {
    public long length() {
      return end - start;
    }
  }

  /** One stage's result. */
  public static final class StageResult {
    final Stage stage;
    RunStatus status = RunStatus.RUNNING;
    long start = -1;
    long end = -1;
    long succeeded;
    long failed;
    long skipped;

    StageResult(Stage stage) {
      this.stage = stage;
    }

    public String name() {
      return stage.name();
    }

    public RunStatus status() {
      return status;
    }

    /** Start in milliseconds, or -1 when the stage did not start. */
    public long start() {
      return start;
    }

    public long end() {
      return end;
    }

    public long succeeded() {
      return succeeded;
    }

    public long failed() {
      return failed;
    }

    public long skipped() {
      return skipped;
    }
  }

  private final Plan plan;
  private final String target;
  private final long seed;
  private final List<StageResult> stages = new ArrayList<>();
  private final Map<String, List<Window>> windows = new LinkedHashMap<>();
  private final Map<String, Long> downSince = new LinkedHashMap<>();
  private final Map<String, Long> stepStarts = new HashMap<>();
  private final Map<String, List<Window>> measured = new LinkedHashMap<>();
  private final Map<String, Set<String>> probesDown = new LinkedHashMap<>();
  private final Map<String, Long> measuredDownSince = new LinkedHashMap<>();
  private final Map<String, long[]> tallies = new LinkedHashMap<>();
  private RunState state;
  private LongSupplier times;
  private RunStatus status = RunStatus.RUNNING;
  private long makespan;

  public RunSummary(Plan plan, String target, long seed) {
    this.plan = plan;
    this.target = target;
    this.seed = seed;
    plan.stages().forEach(s -> stages.add(new StageResult(s)));
    plan.capabilities().keySet().forEach(c -> windows.put(c, new ArrayList<>()));
    plan.capabilities()
        .values()
        .forEach(
            c -> {
              if (!c.probes().isEmpty()) {
                measured.put(c.name(), new ArrayList<>());
                probesDown.put(c.name(), new HashSet<>());
                tallies.put(c.name(), new long[2]);
              }
            });
  }

  /**
   * Takes the time of each event from {@code times} rather than from the event: a walk's second
   * timeline (the 95th percentiles of a walk at expected durations; see VirtualClock#shadowed).
   */
  public RunSummary timedBy(LongSupplier times) {
    this.times = times;
    return this;
  }

  private long at(RunEvent e) {
    return times == null ? e.at() : times.getAsLong();
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    this.state = state;
    if (event instanceof RunEvent.ActionStarted || event instanceof RunEvent.ActionFinished) {
      return; // most events by far, and none the summary follows: spare them the switch below
    }
    // Type tests rather than a switch on types: such a switch links through a class generated at
    // every start, which the start-up cache cannot keep.
    if (event instanceof RunEvent.CapabilityChanged e) {
      if (!e.up()) {
        downSince.putIfAbsent(e.capability(), at(e));
      } else {
        Long since = downSince.remove(e.capability());
        if (since != null && at(e) > since) {
          windows.get(e.capability()).add(new Window(since, at(e), false));
        }
      }
    } else if (event instanceof RunEvent.StepStarted e) {
      stepStarts.put(e.stage() + "." + e.step(), at(e));
    } else if (event instanceof RunEvent.StepFinished e) {
      StageResult r = stages.get(e.stage());
      r.succeeded += e.succeeded();
      r.failed += e.failed();
      r.skipped += e.skipped();
    } else if (event instanceof RunEvent.StageStarted e) {
      stages.get(e.stage()).start = at(e);
    } else if (event instanceof RunEvent.StageFinished e) {
      stages.get(e.stage()).end = at(e);
      stages.get(e.stage()).status = e.status();
    } else if (event instanceof RunEvent.RunStarted e) {
      state
          .fleet()
          .capabilityStates()
          .forEach(
              (c, up) -> {
                if (!up) {
                  downSince.put(c, at(e));
                }
              });
    } else if (event instanceof RunEvent.ProbeChanged e && probesDown.containsKey(e.capability())) {
      Set<String> down = probesDown.get(e.capability());
      if (!e.up()) {
        down.add(e.probe());
        measuredDownSince.putIfAbsent(e.capability(), at(e));
      } else if (down.remove(e.probe()) && down.isEmpty()) {
        Long since = measuredDownSince.remove(e.capability());
        if (since != null) {
          measured.get(e.capability()).add(new Window(since, Math.max(since, at(e)), false));
        }
      }
    } else if (event instanceof RunEvent.ProbeTally e && tallies.containsKey(e.capability())) {
      tallies.get(e.capability())[0] += e.samples();
      tallies.get(e.capability())[1] += e.failed();
    } else if (event instanceof RunEvent.RunPaused e) {
      status = RunStatus.PAUSED;
      closeAll(at(e));
    } else if (event instanceof RunEvent.RunFinished e) {
      status = e.status();
      closeAll(at(e));
    }
  }

  /** A pause or the end: the makespan so far, and every window still open closes there. */
  private void closeAll(long at) {
    makespan = at;
    closeMeasured(at);
    downSince.forEach((c, since) -> windows.get(c).add(new Window(since, at, true)));
    downSince.clear();
  }

  /** Windows still open at a pause or the end: measured down until then. */
  private void closeMeasured(long at) {
    measuredDownSince.forEach(
        (c, since) -> measured.get(c).add(new Window(since, Math.max(since, at), true)));
    measuredDownSince.clear();
    probesDown.values().forEach(Set::clear);
  }

  /**
   * Downtime windows per capability as its probes measured them, for the capabilities that have
   * probes, in plan order.
   */
  public Map<String, List<Window>> measured() {
    return measured;
  }

  /** Measured downtime of a capability with probes, in milliseconds. */
  public long measuredDowntime(String capability) {
    return measured.get(capability).stream().mapToLong(Window::length).sum();
  }

  /** Samples taken and samples failed by a capability's probes: {@code {samples, failed}}. */
  public long[] probeTally(String capability) {
    return tallies.get(capability);
  }

  public Plan plan() {
    return plan;
  }

  public String target() {
    return target;
  }

  public long seed() {
    return seed;
  }

  public RunStatus status() {
    return status;
  }

  public long makespan() {
    return makespan;
  }

  public List<StageResult> stages() {
    return stages;
  }

  /** Downtime windows per capability, in plan order. */
  public Map<String, List<Window>> windows() {
    return windows;
  }

  /** When a step started, in milliseconds, or -1 when it did not. */
  public long stepStart(int stage, int step) {
    return stepStarts.getOrDefault(stage + "." + step, -1L);
  }

  public long downtime(String capability) {
    return windows.get(capability).stream().mapToLong(Window::length).sum();
  }

  /** The final state of the run (failures, counts), or null before the first event. */
  public RunState state() {
    return state;
  }
}
