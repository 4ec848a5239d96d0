package io.upshift.serve;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.plan.Plan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the run page shows, gathered from a run's events as the journal gives them: each host's
 * state now, the waves of the step in progress, recent failures with their output, the audit trail,
 * capability states and each host's own actions (for the drill-down). Its size follows the fleet
 * and the plan, capped where events accumulate; it is read and written by one watcher thread.
 */
final class LiveRun implements RunListener {
  /** A host's state as the page counts it. */
  enum HostState {
    /** No action of the run has touched it yet. */
    WAITING,
    /** An action runs on it now. */
    RUNNING,
    /** Its last action succeeded. */
    DONE,
    /** An action failed on it. */
    FAILED;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One action on one host: its step, phase, times (run clock) and outcome. */
  record HostAction(
      int stage,
      int step,
      Phase phase,
      long start,
      long end,
      boolean finished,
      boolean ok,
      int exitCode,
      String reason,
      String output) {}

  /** One batch of the step in progress. */
  static final class Wave {
    final String group;
    final int number;
    final int hosts;
    final long start;
    int done;
    int failed;

    Wave(String group, int number, int hosts, long start) {
      this.group = group;
      this.number = number;
      this.hosts = hosts;
      this.start = start;
    }
  }

  /** A failed action, with its output (capped). */
  record Failure(
      long at, int host, int stage, int step, Phase phase, String reason, String output) {}

  /** A line of the audit trail. */
  record Audit(long at, String text) {}

  static final int OUTPUT_CHARS = 4000;
  static final int FAILURES = 50;
  static final int AUDIT = 200;
  static final int ACTIONS_PER_HOST = 64;
  static final int WAVES = 400;

  private final Plan plan;
  private final HostState[] hosts;
  private final int[] counts = new int[HostState.values().length];
  private final List<HostAction>[] actions;
  private final List<Wave> waves = new ArrayList<>();
  private final Map<Integer, Wave> waveOfHost = new HashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Deque<Audit> audit = new ArrayDeque<>();
  private final Map<String, Boolean> capabilities = new LinkedHashMap<>();
  private final List<String> approvals = new ArrayList<>();
  private long actionsSucceeded;
  private long actionsFailed;
  private long lastAt;
  private int wavesDropped;
  private final Consumer<Long> stepDurations;
  private final Map<String, Long> stepStarts = new HashMap<>();

  /**
   * @param stepDurations told each step's length (run clock, milliseconds) when it finishes
   */
  @SuppressWarnings("unchecked")
  LiveRun(Plan plan, Consumer<Long> stepDurations) {
    this.plan = plan;
    this.stepDurations = stepDurations;
    int n = plan.inventory().size();
    hosts = new HostState[n];
    Arrays.fill(hosts, HostState.WAITING);
    counts[HostState.WAITING.ordinal()] = n;
    actions = new List[n];
    plan.capabilities().keySet().forEach(c -> capabilities.put(c, true));
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    lastAt = Math.max(lastAt, event.at());
    switch (event) {
      case RunEvent.StepStarted e -> {
        waves.clear();
        waveOfHost.clear();
        wavesDropped = 0;
        stepStarts.put(e.stage() + "." + e.step(), e.at());
      }
      case RunEvent.StepFinished e -> {
        Long start = stepStarts.remove(e.stage() + "." + e.step());
        if (start != null) {
          stepDurations.accept(e.at() - start);
        }
      }
      case RunEvent.BatchStarted e -> {
        String group =
            state.progress() != null && e.group() < state.progress().groupCount()
                ? state.progress().groupName(e.group())
                : "";
        Wave w = new Wave(group, e.batch(), e.hosts().length, e.at());
        if (waves.size() >= WAVES) {
          waves.remove(0);
          wavesDropped++;
        }
        waves.add(w);
        for (int h : e.hosts()) {
          waveOfHost.put(h, w);
        }
      }
      case RunEvent.ActionStarted e -> {
        set(e.host(), HostState.RUNNING);
        add(
            e.host(),
            new HostAction(e.stage(), e.step(), e.phase(), e.at(), -1, false, false, 0, "", ""));
      }
      case RunEvent.ActionFinished e -> finished(e);
      case RunEvent.CapabilityChanged e -> capabilities.put(e.capability(), e.up());
      case RunEvent.Approved e -> {
        audit(
            e.at(),
            "approved "
                + step(e.stage(), e.step())
                + " by "
                + e.by()
                + (e.comment().isEmpty() ? "" : ": " + e.comment()));
        if (approvals.size() < AUDIT) {
          approvals.add(approval(e));
        }
      }
      case RunEvent.RunPaused e -> audit(e.at(), "paused: " + e.reason());
      case RunEvent.RunResumed e ->
          audit(
              e.at(),
              "resumed by " + e.by() + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")"));
      case RunEvent.AbortRequested e ->
          audit(
              e.at(),
              "abort"
                  + (e.undo() ? " with undo" : "")
                  + " asked by "
                  + e.by()
                  + (e.comment().isEmpty() ? "" : ": " + e.comment()));
      case RunEvent.RunHalted e -> audit(e.at(), "halted: " + e.reason());
      case RunEvent.RunFinished e -> audit(e.at(), "finished: " + e.status().word());
      default -> {}
    }
  }

  private void finished(RunEvent.ActionFinished e) {
    boolean ok = e.outcome().ok();
    if (ok) {
      actionsSucceeded++;
    } else {
      actionsFailed++;
    }
    if (e.phase() != Phase.UNDO) {
      set(
          e.host(),
          ok
              ? (hosts[e.host()] == HostState.FAILED ? HostState.FAILED : HostState.DONE)
              : HostState.FAILED);
      Wave w = waveOfHost.get(e.host());
      if (w != null) {
        if (ok) {
          w.done++;
        } else {
          w.failed++;
        }
      }
    }
    List<HostAction> list = actions[e.host()];
    HostAction started = null;
    if (list != null) {
      for (int i = list.size() - 1; i >= 0; i--) {
        HostAction a = list.get(i);
        if (!a.finished()
            && a.stage() == e.stage()
            && a.step() == e.step()
            && a.phase() == e.phase()) {
          started = list.remove(i);
          break;
        }
      }
    }
    String output = cap(e.outcome().output());
    add(
        e.host(),
        new HostAction(
            e.stage(),
            e.step(),
            e.phase(),
            started == null ? e.at() : started.start(),
            e.at(),
            true,
            ok,
            e.outcome().exitCode(),
            e.outcome().reason() == null ? "" : e.outcome().reason(),
            output));
    if (!ok) {
      if (failures.size() >= FAILURES) {
        failures.removeFirst();
      }
      failures.addLast(
          new Failure(
              e.at(),
              e.host(),
              e.stage(),
              e.step(),
              e.phase(),
              e.outcome().reason() == null ? "" : e.outcome().reason(),
              output));
    }
  }

  private void set(int host, HostState s) {
    if (host < 0 || host >= hosts.length) {
      return;
    }
    counts[hosts[host].ordinal()]--;
    hosts[host] = s;
    counts[s.ordinal()]++;
  }

  private void add(int host, HostAction a) {
    if (host < 0 || host >= actions.length) {
      return;
    }
    List<HostAction> list = actions[host];
    if (list == null) {
      list = actions[host] = new ArrayList<>(4);
    }
    if (list.size() >= ACTIONS_PER_HOST) {
      list.remove(0);
    }
    list.add(a);
  }

  private void audit(long at, String text) {
    if (audit.size() >= AUDIT) {
      audit.removeFirst();
    }
    audit.addLast(new Audit(at, text));
  }

  private static String cap(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= OUTPUT_CHARS ? s : s.substring(0, OUTPUT_CHARS) + "\n[... cut]";
  }

  /** A step named as the page shows it: its stage's name and the step's description. */
  String step(int stage, int step) {
    if (stage < 0 || stage >= plan.stages().size()) {
      return "stage " + (stage + 1) + ", step " + (step + 1);
    }
    var s = plan.stages().get(stage);
    if (step < 0 || step >= s.steps().size()) {
      return s.name() + ", step " + (step + 1);
    }
    return s.name() + ": " + s.steps().get(step).describe();
  }

  Plan plan() {
    return plan;
  }

  HostState host(int index) {
    return hosts[index];
  }

  int count(HostState s) {
    return counts[s.ordinal()];
  }

  List<HostAction> actions(int host) {
    List<HostAction> list = actions[host];
    return list == null ? List.of() : List.copyOf(list);
  }

  List<Wave> waves() {
    return waves;
  }

  int wavesDropped() {
    return wavesDropped;
  }

  Deque<Failure> failures() {
    return failures;
  }

  Deque<Audit> audit() {
    return audit;
  }

  /** An approval as the runs list shows it: the step, who, and the comment. */
  static String approval(RunEvent.Approved a) {
    return "stage "
        + (a.stage() + 1)
        + ", step "
        + (a.step() + 1)
        + " by "
        + a.by()
        + (a.comment().isEmpty() ? "" : " (" + a.comment() + ")");
  }

  List<String> approvals() {
    return List.copyOf(approvals);
  }

  Map<String, Boolean> capabilities() {
    return capabilities;
  }

  long actionsSucceeded() {
    return actionsSucceeded;
  }

  long actionsFailed() {
    return actionsFailed;
  }

  long lastAt() {
    return lastAt;
  }
}
