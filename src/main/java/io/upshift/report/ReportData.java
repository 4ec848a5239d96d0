package io.upshift.report;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.inventory.Host;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run report and the JUnit export show, gathered from a run's events as they happen or as
 * a journal replays them: the summary, each step's times and batches, failures grouped by cause,
 * operators' actions, checks, snapshots, backups and probes. Everything is aggregated or capped, so
 * that its size follows the plan's shape and not the number of actions.
 */
public final class ReportData implements RunListener {
  /** How many distinct host names a group of failures or snapshots keeps. */
  static final int HOST_NAMES = 50;

  /** How many characters of an action's output, or of a diff, are kept. */
  static final int OUTPUT_CHARS = 4000;

  /** How many distinct outputs a group of failures keeps. */
  static final int OUTPUTS = 3;

  /** How many groups of failures, audit lines, snapshot groups and backups are kept. */
  static final int MAX_ENTRIES = 2000;

  /** How many failed hosts of a check are named in the JUnit export. */
  static final int CHECK_FAILURES = 200;

  /** Who ran what, where and when: the report's header. */
  public record Header(
      String runId, String target, long seed, boolean virtualClock, long wallStart) {}

  /** One batch of a step's wave group: when it ran, on how many hosts, how many failed. */
  public static final class Batch {
    final String group;
    final int number;
    final int hosts;
    final long start;
    long end;
    int failed;

    Batch(String group, int number, int hosts, long start) {
      this.group = group;
      this.number = number;
      this.hosts = hosts;
      this.start = start;
      this.end = start;
    }
  }

  /** One step as it ran: times, counts, batches. */
  public static final class StepRun {
    final Step step;
    long start = -1;
    long end = -1;
    int hosts;
    int skipped;
    int succeeded;
    int failed;
    boolean finished;
    final List<Batch> batches = new ArrayList<>();

    /** Hosts whose check (or check step) passed last, and failed last. */
    final BitSet checkPassed = new BitSet();

    final BitSet checkFailed = new BitSet();
    final Map<Integer, String> checkReasons = new LinkedHashMap<>();

    StepRun(Step step) {
      this.step = step;
    }
  }

  /** Failures of one step with the same phase, exit code and reason. */
  public static final class FailureGroup {
    final int stage;
    final int step;
    final Phase phase;
    final int exitCode;
    final String reason;
    long count;
    final List<String> hosts = new ArrayList<>();
    final Map<String, Integer> cells = new LinkedHashMap<>();

    /** Distinct outputs (capped), each with the first host that gave it. */
    final Map<String, String> outputs = new LinkedHashMap<>();

    FailureGroup(int stage, int step, Phase phase, int exitCode, String reason) {
      this.stage = stage;
      this.step = step;
      this.phase = phase;
      this.exitCode = exitCode;
      this.reason = reason;
    }
  }

  /** A line of the audit trail: an operator's action, a gate, a pause, a halt, a doubt. */
  public record AuditLine(long at, String kind, String text) {}

  /** Snapshot comparisons of one step and name with the same result, over several hosts. */
  public static final class SnapshotGroup {
    final int stage;
    final int step;
    final String name;
    final boolean equal;
    final String diff;
    long count;
    final List<String> hosts = new ArrayList<>();

    SnapshotGroup(int stage, int step, String name, boolean equal, String diff) {
      this.stage = stage;
      this.step = step;
      this.name = name;
      this.equal = equal;
      this.diff = diff;
    }
  }

  /** What one probe of a capability measured: its down windows and its tally. */
  public static final class ProbeRun {
    final String capability;
    final String probe;
    final List<RunSummary.Window> windows = new ArrayList<>();
    long downSince = -1;
    String lastDetail = "";
    long samples = -1;
    long failedSamples;

    ProbeRun(String capability, String probe) {
      this.capability = capability;
      this.probe = probe;
    }
  }

  private final Plan plan;
  private final Header header;
  private final RunSummary summary;
  private final StepRun[][] steps;
  private final Map<Integer, Batch> batchOfHost = new HashMap<>();
  private final Map<String, FailureGroup> failures = new LinkedHashMap<>();
  private long failuresDropped;
  private final List<AuditLine> audit = new ArrayList<>();
  private final Map<String, SnapshotGroup> snapshots = new LinkedHashMap<>();
  private final List<RunEvent.BackupTaken> backups = new ArrayList<>();
  private final Map<String, ProbeRun> probes = new LinkedHashMap<>();

  /** Per stage, per cell: actions that succeeded, actions that failed, checks that failed. */
  private final List<Map<String, long[]>> cells = new ArrayList<>();

  private String haltReason;
  private long lastAt;

  public ReportData(Plan plan, Header header) {
    this.plan = plan;
    this.header = header;
    this.summary = new RunSummary(plan, header.target(), header.seed());
    steps = new StepRun[plan.stages().size()][];
    for (var stage : plan.stages()) {
      steps[stage.index()] = stage.steps().stream().map(StepRun::new).toArray(StepRun[]::new);
      cells.add(new LinkedHashMap<>());
    }
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    summary.onEvent(event, state);
    lastAt = Math.max(lastAt, event.at());
    switch (event) {
      case RunEvent.StepStarted e -> {
        StepRun s = steps[e.stage()][e.step()];
        s.start = e.at();
        s.end = e.at();
        s.hosts = e.hosts();
        s.skipped = e.skipped();
        batchOfHost.clear();
      }
      case RunEvent.BatchStarted e -> {
        String group =
            state.progress() != null && e.group() < state.progress().groupCount()
                ? state.progress().groupName(e.group())
                : "";
        Batch b = new Batch(group, e.batch(), e.hosts().length, e.at());
        steps[e.stage()][e.step()].batches.add(b);
        for (int h : e.hosts()) {
          batchOfHost.put(h, b);
        }
      }
      case RunEvent.ActionFinished e when e.phase() != Phase.UNDO -> finished(e);
      case RunEvent.StepFinished e -> {
        StepRun s = steps[e.stage()][e.step()];
        s.end = e.at();
        s.succeeded = e.succeeded();
        s.failed = e.failed();
        s.skipped = e.skipped();
        s.finished = true;
      }
      case RunEvent.Approved e ->
          audit(
              e.at(), "approval", Names.step(plan, e.stage(), e.step()) + " approved by " + by(e));
      case RunEvent.RunResumed e ->
          audit(
              e.at(),
              "resume",
              "resumed by " + e.by() + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")"));
      case RunEvent.AbortRequested e ->
          audit(
              e.at(),
              "abort",
              "abort"
                  + (e.undo() ? " with undo" : "")
                  + " asked by "
                  + e.by()
                  + (e.comment().isEmpty() ? "" : ": " + e.comment()));
      case RunEvent.ActionInDoubt e ->
          audit(
              e.at(),
              "in-doubt",
              Names.host(plan, e.host())
                  + ", "
                  + Names.step(plan, e.stage(), e.step())
                  + " ("
                  + e.phase().word()
                  + (e.why().isEmpty()
                      ? ") was in doubt after a restart: "
                      : ") was in doubt (" + e.why() + "): ")
                  + e.resolution().word());
      case RunEvent.UndoStarted e ->
          audit(
              e.at(),
              "undo",
              "undoing " + Names.step(plan, e.stage(), e.step()) + " on " + e.hosts().length);
      case RunEvent.UndoFinished e ->
          audit(
              e.at(),
              "undo",
              "undid "
                  + Names.step(plan, e.stage(), e.step())
                  + ": "
                  + e.succeeded()
                  + " host(s)"
                  + (e.failed() > 0 ? ", " + e.failed() + " failed" : ""));
      case RunEvent.RunHalted e -> {
        haltReason = e.reason();
        audit(e.at(), "halt", "halted: " + e.reason());
      }
      case RunEvent.SnapshotCompared e -> snapshot(e);
      case RunEvent.BackupTaken e -> {
        if (backups.size() < MAX_ENTRIES) {
          backups.add(e);
        }
      }
      case RunEvent.ProbeChanged e -> {
        ProbeRun p = probe(e.capability(), e.probe());
        if (!e.up() && p.downSince < 0) {
          p.downSince = e.at();
          p.lastDetail = e.detail();
        } else if (e.up() && p.downSince >= 0) {
          p.windows.add(new RunSummary.Window(p.downSince, e.at(), false));
          p.downSince = -1;
        }
      }
      case RunEvent.ProbeTally e -> {
        ProbeRun p = probe(e.capability(), e.probe());
        p.samples = e.samples();
        p.failedSamples = e.failed();
      }
      case RunEvent.RunPaused e -> {
        closeProbes(e.at());
        audit(e.at(), "pause", "paused: " + e.reason());
      }
      case RunEvent.RunFinished e -> closeProbes(e.at());
      case RunEvent.RunStarted ignored -> {}
      case RunEvent.StageStarted ignored -> {}
      case RunEvent.PauseStarted ignored -> {}
      case RunEvent.ActionStarted ignored -> {}
      case RunEvent.ActionFinished ignored -> {}
      case RunEvent.StageFinished ignored -> {}
      case RunEvent.CapabilityChanged ignored -> {}
      case RunEvent.SnapshotTaken ignored -> {}
    }
  }

  private static String by(RunEvent.Approved e) {
    return e.by() + (e.comment().isEmpty() ? "" : ": " + e.comment());
  }

  private void finished(RunEvent.ActionFinished e) {
    StepRun s = steps[e.stage()][e.step()];
    s.end = Math.max(s.end, e.at());
    Batch b = batchOfHost.get(e.host());
    boolean ok = e.outcome().ok();
    if (b != null) {
      b.end = Math.max(b.end, e.at());
      if (!ok) {
        b.failed++;
      }
    }
    Host host = plan.inventory().host(e.host());
    long[] c =
        cells.get(e.stage()).computeIfAbsent(host.site() + "/" + host.cell(), k -> new long[3]);
    if (e.phase() == Phase.ACTION) {
      c[ok ? 0 : 1]++;
    } else if (!ok) {
      c[2]++;
    }
    boolean checkResult = e.phase() == Phase.CHECK || s.step.kind() == StepKind.CHECK;
    if (checkResult) {
      if (ok) {
        s.checkPassed.set(e.host());
        s.checkFailed.clear(e.host());
        s.checkReasons.remove(e.host());
      } else {
        s.checkFailed.set(e.host());
        s.checkPassed.clear(e.host());
        if (s.checkReasons.size() < CHECK_FAILURES) {
          s.checkReasons.put(e.host(), reason(e));
        }
      }
    }
    if (!ok) {
      failure(e, host);
    }
  }

  private static String reason(RunEvent.ActionFinished e) {
    String r = e.outcome().reason().isEmpty() ? "failed" : e.outcome().reason();
    return e.outcome().exitCode() >= 0 && !r.contains("exit")
        ? r + " (exit " + e.outcome().exitCode() + ")"
        : r;
  }

  private void failure(RunEvent.ActionFinished e, Host host) {
    String key =
        e.stage()
            + "\u0000"
            + e.step()
            + "\u0000"
            + e.phase()
            + "\u0000"
            + e.outcome().exitCode()
            + "\u0000"
            + e.outcome().reason();
    FailureGroup g = failures.get(key);
    if (g == null) {
      if (failures.size() >= MAX_ENTRIES) {
        failuresDropped++;
        return;
      }
      g =
          new FailureGroup(
              e.stage(), e.step(), e.phase(), e.outcome().exitCode(), e.outcome().reason());
      failures.put(key, g);
    }
    g.count++;
    if (g.hosts.size() < HOST_NAMES) {
      g.hosts.add(host.name());
    }
    g.cells.merge(host.cell(), 1, Integer::sum);
    String output = e.outcome().output();
    if (output != null
        && !output.isBlank()
        && g.outputs.size() < OUTPUTS
        && !g.outputs.containsKey(cap(output))) {
      g.outputs.put(cap(output), host.name());
    }
  }

  private void snapshot(RunEvent.SnapshotCompared e) {
    String diff = cap(e.diff());
    String key = e.stage() + "\u0000" + e.step() + "\u0000" + e.name() + "\u0000" + diff;
    SnapshotGroup g = snapshots.get(key);
    if (g == null) {
      if (snapshots.size() >= MAX_ENTRIES) {
        return;
      }
      g = new SnapshotGroup(e.stage(), e.step(), e.name(), e.equal(), diff);
      snapshots.put(key, g);
    }
    g.count++;
    if (g.hosts.size() < HOST_NAMES) {
      g.hosts.add(plan.inventory().host(e.host()).name());
    }
  }

  private ProbeRun probe(String capability, String probe) {
    return probes.computeIfAbsent(
        capability + "\u0000" + probe, k -> new ProbeRun(capability, probe));
  }

  private void closeProbes(long at) {
    for (ProbeRun p : probes.values()) {
      if (p.downSince >= 0) {
        p.windows.add(new RunSummary.Window(p.downSince, at, true));
        p.downSince = -1;
      }
    }
  }

  /**
   * How long the run went: to its end or pause, or to its latest event when it is still going (or
   * its driver died).
   */
  public long makespan() {
    return Math.max(summary.makespan(), lastAt);
  }

  private void audit(long at, String kind, String text) {
    if (audit.size() < MAX_ENTRIES) {
      audit.add(new AuditLine(at, kind, text));
    }
  }

  static String cap(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= OUTPUT_CHARS
        ? s
        : s.substring(0, OUTPUT_CHARS / 2)
            + "\n[... "
            + (s.length() - OUTPUT_CHARS)
            + " characters left out ...]\n"
            + s.substring(s.length() - OUTPUT_CHARS / 2);
  }

  public Plan plan() {
    return plan;
  }

  public Header header() {
    return header;
  }

  /** The run's summary: status, stage times, measured capability windows, counts. */
  public RunSummary summary() {
    return summary;
  }

  StepRun step(int stage, int step) {
    return steps[stage][step];
  }

  List<FailureGroup> failures() {
    return List.copyOf(failures.values());
  }

  long failuresDropped() {
    return failuresDropped;
  }

  List<AuditLine> audit() {
    return audit;
  }

  List<SnapshotGroup> snapshots() {
    return List.copyOf(snapshots.values());
  }

  List<RunEvent.BackupTaken> backups() {
    return backups;
  }

  List<ProbeRun> probes() {
    return List.copyOf(probes.values());
  }

  Map<String, long[]> cells(int stage) {
    return cells.get(stage);
  }

  String haltReason() {
    return haltReason;
  }
}
