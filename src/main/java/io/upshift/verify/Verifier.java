package io.upshift.verify;

import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.engine.sim.SimTarget;
import io.upshift.engine.sim.SimTarget.Durations;
import io.upshift.plan.Capability;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.source.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Proves a plan safe before it runs: walks every intermediate state with the engine's own decision
 * code (on a simulated fleet where every step succeeds and takes its expected time, then its
 * 95th-percentile time) and checks the compatibility rules, the built-in safety rules and the
 * capabilities' downtime budgets on each.
 */
public final class Verifier {
  private Verifier() {}

  /** What the verifier found and what it predicts. */
  public record Report(
      Plan plan,
      List<Finding> findings,
      RunSummary expected,
      RunSummary p95,
      List<NoReturn> pointsOfNoReturn) {
    public boolean safe() {
      return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }
  }

  /** A step after which going back means restoring a backup: a schema migration. */
  public record NoReturn(Stage stage, Step step, long atMillis) {}

  public static Report verify(Plan plan) {
    return verify(plan, true);
  }

  /**
   * Whether any capability has a downtime budget: the only finding the 95th-percentile walk can
   * give, so a check that prints findings alone needs that walk only then.
   */
  public static boolean hasBudgets(Plan plan) {
    for (Capability cap : plan.capabilities().values()) {
      if (cap.maxDowntimeMillis() >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Verifies a plan; without {@code withP95} it skips the second walk (95th-percentile durations),
   * so that only expected downtime is held against the budgets: quicker, for a check before a run.
   */
  public static Report verify(Plan plan, boolean withP95) {
    Findings findings = new Findings();
    backupBeforeSync(plan, findings);
    RunSummary expected;
    RunSummary p95;
    if (withP95 && followsExpected(plan)) {
      // One walk, with the 95th percentiles on its second timeline; walked again at them only if
      // the timelines came apart after all.
      RunSummary[] both = walkBoth(plan, findings);
      expected = both[0];
      p95 = both[1] != null ? both[1] : walk(plan, Durations.P95, null);
    } else {
      // The two walks share nothing but the plan, which is read only: the second one runs beside.
      FutureTask<RunSummary> second = new FutureTask<>(() -> walk(plan, Durations.P95, null));
      if (withP95) {
        Thread.ofPlatform().daemon().name("upshift-p95-walk").start(second);
      }
      expected = walk(plan, Durations.EXPECTED, findings);
      p95 = withP95 ? result(second) : expected;
    }
    budgets(plan, expected, p95, findings);
    List<NoReturn> noReturn = new ArrayList<>();
    for (Stage stage : plan.stages()) {
      for (Step step : stage.steps()) {
        if (step.kind() == StepKind.DB_SYNC) {
          noReturn.add(new NoReturn(stage, step, expected.stepStart(stage.index(), step.index())));
        }
      }
    }
    return new Report(plan, RequiresCycles.fold(plan, findings.list()), expected, p95, noReturn);
  }

  private static RunSummary result(FutureTask<RunSummary> walk) {
    try {
      return walk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while walking the plan", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Walks the rest of a run's plan from its state between stages, as observed (failed hosts stay
   * behind at the versions they reached), and returns what breaks a rule.
   */
  public static List<Finding> recheck(Plan plan, RunState state) {
    Findings findings = new Findings();
    RunState branch = state.branch();
    RuleWatch watch = new RuleWatch(plan, findings);
    watch.initial(branch.fleet());
    VirtualClock clock = new VirtualClock();
    new Engine(plan, new SimTarget(plan, clock, 0, List.of(), Durations.EXPECTED), clock, 0, branch)
        .listen(watch)
        .run();
    return findings.list().stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  /**
   * A guard for the engine: before each stage, if hosts failed since the last look, re-walk the
   * rest of the plan from what was observed and stop at the first finding.
   */
  public static Engine.StageGuard guard(Plan plan) {
    int[] seen = {0};
    return (state, stage) -> {
      if (state.failures().size() == seen[0]) {
        return null;
      }
      seen[0] = state.failures().size();
      List<Finding> findings = recheck(plan, state);
      if (findings.isEmpty()) {
        return null;
      }
      Finding f = findings.get(0);
      return "before stage `"
          + plan.stages().get(stage).name()
          + "`, the rest of the plan is no longer safe after the failures so far: "
          + f.rule()
          + ": "
          + f.message()
          + " ("
          + f.at()
          + (f.step() == null ? "" : ", " + f.stage() + ", " + f.step())
          + ")"
          + (findings.size() > 1 ? " and " + (findings.size() - 1) + " more finding(s)" : "")
          + "; hint: "
          + f.hint();
    };
  }

  /**
   * Whether a walk at the 95th percentiles is likely to make the decisions of the walk at expected
   * durations in the same order (the clock checks that it does): no step pauses between batches
   * while some of its groups wait for others to finish. A pause is as long on both timelines while
   * the batches around it are not, so a group that starts late could pass another one.
   */
  static boolean followsExpected(Plan plan) {
    for (Step step : plan.steps()) {
      var waves = step.waves();
      if (waves.pauseMillis() > 0
          && waves.groupBy() != null
          && waves.parallel() < plan.inventory().valuesOf(waves.groupBy()).size()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Walks at expected durations with the 95th percentiles on the clock's second timeline: the
   * summaries of both walks, the second null when the timelines came apart (an action would time
   * out at one and not the other, or tasks would come in another order).
   */
  static RunSummary[] walkBoth(Plan plan, Findings findings) {
    VirtualClock clock = new VirtualClock();
    SimTarget target =
        new SimTarget(plan, clock, 0, List.of(), Durations.EXPECTED).shadow(Durations.P95);
    RunSummary expected = new RunSummary(plan, "sim", 0);
    RunSummary p95 = new RunSummary(plan, "sim", 0).timedBy(clock::shadowNow);
    Engine engine = new Engine(plan, target, clock, 0).listen(expected).listen(p95);
    if (findings != null) {
      engine.listen(new RuleWatch(plan, findings));
    }
    engine.run();
    return new RunSummary[] {expected, clock.shadowHolds() ? p95 : null};
  }

  static RunSummary walk(Plan plan, Durations durations, Findings findings) {
    VirtualClock clock = new VirtualClock();
    RunSummary summary = new RunSummary(plan, "sim", 0);
    Engine engine =
        new Engine(plan, new SimTarget(plan, clock, 0, List.of(), durations), clock, 0)
            .listen(summary);
    if (findings != null) {
      engine.listen(new RuleWatch(plan, findings));
    }
    engine.run();
    return summary;
  }

  /** A db-sync of a database needs a db-backup of it on the same host earlier in the stage. */
  private static void backupBeforeSync(Plan plan, Findings findings) {
    for (Stage stage : plan.stages()) {
      Map<String, Set<Integer>> backedUp = new HashMap<>();
      for (Step step : stage.steps()) {
        if (step.kind() == StepKind.DB_BACKUP) {
          for (String db : step.subjects()) {
            Set<Integer> hosts = backedUp.computeIfAbsent(db, k -> new HashSet<>());
            for (int h : step.hosts()) {
              hosts.add(h);
            }
          }
        }
        if (step.kind() != StepKind.DB_SYNC) {
          continue;
        }
        for (String db : step.subjects()) {
          List<String> missing = new ArrayList<>();
          for (int h : step.hosts()) {
            if (plan.inventory().host(h).databases().containsKey(db)
                && !backedUp.getOrDefault(db, Set.of()).contains(h)) {
              missing.add(plan.inventory().host(h).name());
            }
          }
          if (!missing.isEmpty()) {
            findings.add(
                "backup-before-sync",
                Severity.ERROR,
                stage.name(),
                step.describe(),
                "",
                step.at(),
                "`db-sync` of `" + db + "` without a `db-backup` of it earlier in the stage",
                "a schema migration has no undo: the backup is the way back",
                "add `- db-backup: " + db + "` before this step in stage `" + stage.name() + "`",
                missing);
          }
        }
      }
    }
  }

  private static void budgets(Plan plan, RunSummary expected, RunSummary p95, Findings findings) {
    for (Capability cap : plan.capabilities().values()) {
      if (cap.maxDowntimeMillis() < 0) {
        continue;
      }
      long e = expected.downtime(cap.name());
      long p = p95.downtime(cap.name());
      String budget = DurationModel.format(cap.maxDowntimeMillis());
      if (e > cap.maxDowntimeMillis()) {
        findings.add(
            "capability-budget",
            Severity.ERROR,
            null,
            null,
            "",
            cap.at(),
            "`"
                + cap.name()
                + "` would be down "
                + DurationModel.format(e)
                + " (expected), over its budget of "
                + budget,
            "the plan sets `max-downtime: " + budget + "`",
            "shorten or split the steps inside its windows, or raise the budget",
            List.of());
      } else if (p > cap.maxDowntimeMillis()) {
        findings.add(
            "capability-budget",
            Severity.WARNING,
            null,
            null,
            "",
            cap.at(),
            "`"
                + cap.name()
                + "` may be down "
                + DurationModel.format(p)
                + " with every step at its 95th percentile, over its budget of "
                + budget,
            "the plan sets `max-downtime: " + budget + "`",
            "shorten the slowest steps inside its windows, or raise the budget",
            List.of());
      }
    }
  }
}
