package io.upshift.verify;

import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunSummary;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The 95th percentile of a plan's times measured over many rehearsals, each drawing every action's
 * duration from its step's model with its own seed (and no faults): what a run will take, and how
 * long each capability will be down, in 19 runs out of 20. Unlike the walk with every step at its
 * 95th percentile (a pessimistic bound: no real run is slow everywhere at once), this counts how
 * slow steps and fast ones mix, batch by batch.
 *
 * @param samples how many rehearsals
 * @param makespan the makespans' 95th percentile, in milliseconds
 * @param stageDurations each stage's duration at its 95th percentile, in plan order
 * @param downtime each capability's total downtime at its 95th percentile, in plan order
 */
public record Sampling(
    int samples, long makespan, long[] stageDurations, Map<String, Long> downtime) {

  /** Rehearses {@code plan} {@code samples} times (seeds 1, 2, ...) on every core. */
  public static Sampling of(Plan plan, int samples) {
    int threads = Math.max(1, Math.min(samples, Runtime.getRuntime().availableProcessors()));
    List<RunSummary> runs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<RunSummary>> futures = new ArrayList<>();
      for (int i = 1; i <= samples; i++) {
        long seed = i;
        futures.add(pool.submit(() -> rehearse(plan, seed)));
      }
      for (Future<RunSummary> f : futures) {
        runs.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sampling rehearsals", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a sampled rehearsal failed", e.getCause());
    }
    long makespan = p95(runs.stream().mapToLong(RunSummary::makespan).toArray());
    long[] stages = new long[plan.stages().size()];
    for (int s = 0; s < stages.length; s++) {
      int stage = s;
      stages[s] =
          p95(
              runs.stream()
                  .mapToLong(
                      r -> {
                        RunSummary.StageResult x = r.stages().get(stage);
                        return x.start() < 0 || x.end() < 0 ? 0 : x.end() - x.start();
                      })
                  .toArray());
    }
    Map<String, Long> downtime = new LinkedHashMap<>();
    for (String c : plan.capabilities().keySet()) {
      downtime.put(c, p95(runs.stream().mapToLong(r -> r.downtime(c)).toArray()));
    }
    return new Sampling(samples, makespan, stages, downtime);
  }

  private static RunSummary rehearse(Plan plan, long seed) {
    VirtualClock clock = new VirtualClock();
    RunSummary summary = new RunSummary(plan, "sim", seed);
    new Engine(plan, new SimTarget(plan, clock, seed, List.of()), clock, seed)
        .listen(summary)
        .run();
    return summary;
  }

  /** The nearest-rank 95th percentile. */
  static long p95(long[] values) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(0.95 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
