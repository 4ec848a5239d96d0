package io.upshift.cli;

import io.upshift.engine.RunEvent;
import io.upshift.engine.RunPhase;
import io.upshift.journal.EventCodec;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Problems;
import io.upshift.source.Terminal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift show RUN}: a run's status and audit trail, read from the journal. What the journal
 * holds from plans, hosts and operators (names, reasons, comments) is shown escaped ({@link
 * Terminal}).
 */
final class ShowCommand implements Callable<Integer> {
  /** The events that make the audit trail: what operators and the run's guards did. */
  static final Set<String> AUDIT =
      Set.of(
          "run-started",
          "approved",
          "run-paused",
          "run-resumed",
          "abort-requested",
          "action-in-doubt",
          "undo-started",
          "undo-finished",
          "backup-taken",
          "snapshot-compared",
          "run-halted",
          "stage-finished",
          "run-finished");

  String run;
  final JournalOptions journalOptions = new JournalOptions();

  CommandSpec spec() {
    CommandSpec spec =
        Args.command(
                "show",
                "Show a run from the journal: status, who drives it, and its audit trail.",
                this)
            .addPositional(RecordedRun.parameter(v -> run = v));
    return journalOptions.addTo(spec);
  }

  static RunRecord find(Journal journal, String id) {
    return journal
        .run(id)
        .orElseThrow(
            () ->
                new JournalException(
                    "no run `"
                        + id
                        + "` in the journal "
                        + journal.describe()
                        + " (`upshift runs` lists them)"));
  }

  @Override
  public Integer call() {
    PrintStream out = System.out;
    try (Journal journal = journalOptions.openExisting()) {
      RunRecord r = find(journal, run);
      long now = System.currentTimeMillis();
      out.println("run      " + Terminal.safe(r.id()));
      out.println("plan     " + Terminal.safe(r.planName() + " (" + r.planFile() + ")"));
      out.println(
          "target   "
              + Terminal.safe(r.target())
              + (r.target().equals("sim") ? ", seed " + r.seed() : ""));
      out.println(
          "status   "
              + Terminal.safe(
                  RunPhase.ofRecord(r.status()).word()
                      + (r.detail().isEmpty() ? "" : ": " + r.detail())));
      if (!r.gate().isEmpty()) {
        out.println(
            "waits    for approval of "
                + Terminal.safe(step(r.gate()))
                + " (upshift approve "
                + Terminal.safe(r.id())
                + ")");
      }
      out.println(
          "driver   "
              + Terminal.safe(
                  r.live(now)
                      ? r.owner() + ", alive " + (now - r.heartbeatAt()) / 1000 + " s ago"
                      : r.owner() == null
                          ? "none"
                          : r.owner() + ", silent since " + Instant.ofEpochMilli(r.heartbeatAt())));
      out.println("created  " + Terminal.safe(r.createdAt()));
      out.println("updated  " + Terminal.safe(r.updatedAt()));
      out.println("events   " + journal.lastSeq(r.id()));
      out.println();
      out.println("audit trail (times since the run began, and by the clock):");
      long began = began(r);
      Plan plan = plan(r);
      journal.read(
          r.id(),
          1,
          AUDIT,
          s -> {
            RunEvent e = EventCodec.decode(s.type(), s.version(), s.body());
            String line = audit(e, plan);
            if (line != null) {
              out.println(
                  "  " + clock(e.at()) + "  " + wall(began, e.at()) + "  " + Terminal.safe(line));
            }
          });
      journal
          .pending(r.id())
          .forEach(
              c ->
                  out.println(
                      "  pending  "
                          + Terminal.safe(
                              c.kind().word()
                                  + " by "
                                  + c.by()
                                  + " at "
                                  + c.at()
                                  + (c.comment().isEmpty() ? "" : ": " + c.comment()))));
      return ExitCode.OK;
    }
  }

  private static String audit(RunEvent e, Plan plan) {
    return switch (e) {
      case RunEvent.RunStarted x -> "started on " + x.target() + ", " + x.hosts() + " hosts";
      case RunEvent.Approved x ->
          step(x.stage(), x.step())
              + " approved by "
              + x.by()
              + (x.comment().isEmpty() ? "" : ": " + x.comment());
      case RunEvent.RunPaused x -> "paused: " + x.reason();
      case RunEvent.RunResumed x ->
          "resumed by " + x.by() + (x.reason().isEmpty() ? "" : " (" + x.reason() + ")");
      case RunEvent.AbortRequested x ->
          "abort"
              + (x.undo() ? " with undo" : "")
              + " asked by "
              + x.by()
              + (x.comment().isEmpty() ? "" : ": " + x.comment());
      case RunEvent.ActionInDoubt x ->
          hostName(plan, x.host())
              + ", "
              + step(x.stage(), x.step())
              + " ("
              + x.phase().word()
              + ") was in doubt"
              + (x.why().isEmpty() ? "" : " (" + x.why() + ")")
              + ": "
              + x.resolution().word();
      case RunEvent.UndoStarted x ->
          "undoing " + step(x.stage(), x.step()) + " on " + x.hosts().length + " host(s)";
      case RunEvent.UndoFinished x ->
          "undid "
              + step(x.stage(), x.step())
              + ": "
              + x.succeeded()
              + " host(s)"
              + (x.failed() > 0 ? ", " + x.failed() + " failed" : "");
      case RunEvent.RunHalted x -> "halted: " + x.reason();
      case RunEvent.StageFinished x -> "stage " + (x.stage() + 1) + " " + x.status().word();
      case RunEvent.BackupTaken x ->
          hostName(plan, x.host())
              + ": backup of "
              + x.database()
              + " kept at "
              + x.path()
              + " ("
              + x.bytes()
              + " bytes, sha256 "
              + x.sha256()
              + ")";
      case RunEvent.SnapshotCompared x when !x.equal() ->
          hostName(plan, x.host()) + ": snapshot " + x.name() + " differs";
      case RunEvent.RunFinished x -> "finished: " + x.status().word();
      case RunEvent.StageStarted ignored -> null;
      case RunEvent.StepStarted ignored -> null;
      case RunEvent.BatchStarted ignored -> null;
      case RunEvent.PauseStarted ignored -> null;
      case RunEvent.ActionStarted ignored -> null;
      case RunEvent.ActionFinished ignored -> null;
      case RunEvent.StepFinished ignored -> null;
      case RunEvent.CapabilityChanged ignored -> null;
      case RunEvent.SnapshotTaken ignored -> null;
      case RunEvent.SnapshotCompared ignored -> null;
      case RunEvent.ProbeChanged ignored -> null;
      case RunEvent.ProbeTally ignored -> null;
    };
  }

  private static long began(RunRecord r) {
    try {
      return Instant.parse(r.createdAt()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** The time of day (UTC) of a moment of the run. */
  private static String wall(long began, long at) {
    if (began < 0) {
      return "";
    }
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(began + at));
  }

  /** A host's name from the plan's inventory, or its place when the plan cannot be read. */
  private static String hostName(Plan plan, int host) {
    if (plan != null && host < plan.inventory().size()) {
      return "host " + plan.inventory().host(host).name();
    }
    return "host #" + (host + 1) + " of the inventory";
  }

  /** The run's plan, if it can still be read where it was (for names); else null. */
  private static Plan plan(RunRecord r) {
    try {
      Problems problems = new Problems();
      Plan p = PlanLoader.load(Path.of(r.planFile()), problems);
      return problems.hasErrors() ? null : p;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A step by its place, counted from 1: "stage 2, step 3". */
  static String step(int stage, int step) {
    return "stage " + (stage + 1) + ", step " + (step + 1);
  }

  /** The same from an id {@code 1.2} (counted from 0). */
  static String step(String id) {
    String[] parts = id.split("\\.");
    try {
      return step(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (RuntimeException e) {
      return "step " + id;
    }
  }

  /** Milliseconds as h:mm:ss. */
  static String clock(long millis) {
    long s = millis / 1000;
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
