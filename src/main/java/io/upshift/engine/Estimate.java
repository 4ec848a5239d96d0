package io.upshift.engine;

import io.upshift.inventory.Host;
import io.upshift.plan.Plan;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected durations of a plan's steps from their duration models (means) and wave arithmetic, for
 * the ETA shown while a run goes. A step of {@code n} hosts in one group with batch {@code b} runs
 * {@code ceil(n/b)} batches, each as long as one host's action and check, with the pause between
 * batches; groups running {@code parallel} at a time share the step's time.
 */
public final class Estimate {
  private final long[][] expected;

  public Estimate(Plan plan) {
    expected = new long[plan.stages().size()][];
    for (Stage stage : plan.stages()) {
      expected[stage.index()] =
          stage.steps().stream().mapToLong(s -> expectedMillis(plan, s)).toArray();
    }
  }

  /** The expected duration of one step over all its hosts. */
  public static long expectedMillis(Plan plan, Step step) {
    List<Host> inventory = plan.inventory().hosts();
    if (!step.kind().runsOnHosts() || step.hosts().length == 0) {
      return 0;
    }
    long perHost;
    if (plan.learned().isEmpty()) {
      perHost =
          step.duration().expectedMillis()
              + (step.gated() ? step.check().duration().expectedMillis() : 0);
    } else {
      // learned by host class: the mean over the step's hosts
      long sum = 0;
      for (int h : step.hosts()) {
        Host host = inventory.get(h);
        sum +=
            plan.duration(step, host, false).expectedMillis()
                + (step.gated() ? plan.duration(step, host, true).expectedMillis() : 0);
      }
      perHost = sum / step.hosts().length;
    }
    Map<String, Integer> sizes = new HashMap<>();
    String key = step.waves().groupBy();
    for (int h : step.hosts()) {
      List<String> v = key == null ? List.of("") : inventory.get(h).values(key);
      sizes.merge(v.isEmpty() ? "" : v.get(0), 1, Integer::sum);
    }
    long total = 0;
    long longest = 0;
    for (int size : sizes.values()) {
      int batch = step.waves().batch().batchOf(size);
      long batches = (size + batch - 1) / batch;
      long t = batches * perHost + (batches - 1) * step.waves().pauseMillis();
      total += t;
      longest = Math.max(longest, t);
    }
    int parallel = Math.min(step.waves().parallel(), sizes.size());
    return Math.max(longest, total / parallel);
  }

  /**
   * The expected time left in the run from its current state: the steps to come by their models,
   * and the current step by its model, or by its own pace once it has outlived the model.
   */
  public long remainingMillis(RunState state) {
    long left = 0;
    int nextStage = state.stage() + 1;
    if (state.stageActive()) {
      long[] steps = expected[state.stage()];
      StepProgress p = state.progress();
      if (p != null) {
        long elapsed = state.now() - p.startedAt();
        long expectedLeft = Math.max(0, steps[state.step()] - elapsed);
        // a step that outlives its models: its own pace so far (hosts done against time taken)
        if (elapsed > steps[state.step()] && p.done() > 0 && p.done() < p.total()) {
          expectedLeft = elapsed * (p.total() - p.done()) / p.done();
        }
        left += expectedLeft;
      }
      for (int i = state.step() + 1; i < steps.length; i++) {
        left += steps[i];
      }
    }
    for (int s = nextStage; s < expected.length; s++) {
      for (long e : expected[s]) {
        left += e;
      }
    }
    return left;
  }
}
