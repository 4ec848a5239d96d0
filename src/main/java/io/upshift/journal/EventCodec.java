package io.upshift.journal;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.Outcome;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunStatus;
import io.upshift.plan.InDoubt;
import java.util.Locale;

/**
 * Turns run events into journal records and back: a stable type tag, a format version, and a small
 * JSON body whose field names are part of the journal format (see docs/internals.md). Tags and
 * field names never change meaning; a new field gets a default when an older record lacks it, and a
 * changed meaning gets a new version, decoded side by side with the old one.
 */
public final class EventCodec {
  /** The format version written today. */
  public static final int VERSION = 1;

  private EventCodec() {}

  /**
   * One event as stored: a JSON line that starts with its type tag and format version, {@code
   * {"type":"action-started","v":1,"at":...}}.
   */
  public record Encoded(String type, int version, long at, String line) {
    /** The same as {@link #line}: the body fields are read from the whole line. */
    public String body() {
      return line;
    }
  }

  private static final String PREFIX = "{\"type\":\"";

  /**
   * A stored line with its type and version read from its start, the body left to decode (so that a
   * reader can skip the types it does not want cheaply).
   */
  static Journal.Stored stored(long seq, String line) {
    int typeEnd = line.indexOf('"', PREFIX.length());
    int v = line.indexOf("\"v\":", typeEnd);
    if (!line.startsWith(PREFIX) || typeEnd < 0 || v != typeEnd + 2) {
      throw new JournalException("event " + seq + " is damaged: " + abbreviate(line));
    }
    int version = 0;
    int i = v + 4;
    while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
      version = version * 10 + line.charAt(i++) - '0';
    }
    return new Journal.Stored(seq, tag(line, PREFIX.length(), typeEnd), version, line);
  }

  private static final String[] TAGS = {
    "action-started",
    "action-finished",
    "batch-started",
    "step-started",
    "step-finished",
    "pause-started",
    "stage-started",
    "stage-finished",
    "run-started",
    "run-finished",
    "run-halted",
    "run-paused",
    "run-resumed",
    "approved",
    "abort-requested",
    "action-in-doubt",
    "undo-started",
    "undo-finished",
    "capability-changed",
    "snapshot-taken",
    "snapshot-compared",
    "backup-taken",
    "probe-changed",
    "probe-tally"
  };

  /** The type tag between {@code from} and {@code to}: the shared constant when known. */
  private static String tag(String line, int from, int to) {
    int length = to - from;
    for (String t : TAGS) {
      if (t.length() == length && line.regionMatches(from, t, 0, length)) {
        return t;
      }
    }
    return line.substring(from, to);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  /** The stable tag of an event type, as stored in the journal. */
  public static String type(RunEvent e) {
    return switch (e) {
      case RunEvent.RunStarted x -> "run-started";
      case RunEvent.StageStarted x -> "stage-started";
      case RunEvent.StepStarted x -> "step-started";
      case RunEvent.BatchStarted x -> "batch-started";
      case RunEvent.PauseStarted x -> "pause-started";
      case RunEvent.ActionStarted x -> "action-started";
      case RunEvent.ActionFinished x -> "action-finished";
      case RunEvent.ActionInDoubt x -> "action-in-doubt";
      case RunEvent.Approved x -> "approved";
      case RunEvent.StepFinished x -> "step-finished";
      case RunEvent.StageFinished x -> "stage-finished";
      case RunEvent.CapabilityChanged x -> "capability-changed";
      case RunEvent.RunHalted x -> "run-halted";
      case RunEvent.RunPaused x -> "run-paused";
      case RunEvent.RunResumed x -> "run-resumed";
      case RunEvent.AbortRequested x -> "abort-requested";
      case RunEvent.UndoStarted x -> "undo-started";
      case RunEvent.UndoFinished x -> "undo-finished";
      case RunEvent.SnapshotTaken x -> "snapshot-taken";
      case RunEvent.SnapshotCompared x -> "snapshot-compared";
      case RunEvent.BackupTaken x -> "backup-taken";
      case RunEvent.ProbeChanged x -> "probe-changed";
      case RunEvent.ProbeTally x -> "probe-tally";
      case RunEvent.RunFinished x -> "run-finished";
    };
  }

  public static Encoded encode(RunEvent event) {
    String type = type(event);
    FlatJson.Writer w = new FlatJson.Writer().text("type", type).number("v", VERSION);
    {
      w.number("at", event.at());
      switch (event) {
        case RunEvent.RunStarted e -> {
          w.text("plan", e.plan());
          w.text("target", e.target());
          w.number("seed", e.seed());
          w.number("hosts", e.hosts());
          w.bool("auto_approve", e.autoApprove());
        }
        case RunEvent.StageStarted e -> w.number("stage", e.stage());
        case RunEvent.StepStarted e -> {
          step(w, e.stage(), e.step());
          w.number("hosts", e.hosts());
          w.number("skipped", e.skipped());
        }
        case RunEvent.BatchStarted e -> {
          step(w, e.stage(), e.step());
          w.number("group", e.group());
          w.number("batch", e.batch());
          w.numbers("hosts", e.hosts());
        }
        case RunEvent.PauseStarted e -> {
          step(w, e.stage(), e.step());
          w.number("group", e.group());
          w.number("until", e.until());
        }
        case RunEvent.ActionStarted e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("phase", e.phase().word());
        }
        case RunEvent.ActionFinished e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("phase", e.phase().word());
          w.bool("ok", e.outcome().ok());
          w.number("exit", e.outcome().exitCode());
          if (!e.outcome().output().isEmpty()) {
            w.text("output", e.outcome().output());
          }
          if (!e.outcome().reason().isEmpty()) {
            w.text("reason", e.outcome().reason());
          }
        }
        case RunEvent.ActionInDoubt e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("phase", e.phase().word());
          w.text("resolution", e.resolution().word());
          if (!e.why().isEmpty()) {
            w.text("why", e.why());
          }
        }
        case RunEvent.Approved e -> {
          step(w, e.stage(), e.step());
          w.text("by", e.by());
          w.text("comment", e.comment());
        }
        case RunEvent.StepFinished e -> {
          step(w, e.stage(), e.step());
          w.number("succeeded", e.succeeded());
          w.number("failed", e.failed());
          w.number("skipped", e.skipped());
        }
        case RunEvent.StageFinished e -> {
          w.number("stage", e.stage());
          w.text("status", e.status().word());
        }
        case RunEvent.CapabilityChanged e -> {
          w.text("capability", e.capability());
          w.bool("up", e.up());
        }
        case RunEvent.RunHalted e -> w.text("reason", e.reason());
        case RunEvent.RunPaused e -> {
          step(w, e.stage(), e.step());
          w.text("reason", e.reason());
        }
        case RunEvent.RunResumed e -> {
          w.text("by", e.by());
          w.text("reason", e.reason());
        }
        case RunEvent.AbortRequested e -> {
          w.text("by", e.by());
          w.text("comment", e.comment());
          if (e.undo()) {
            w.bool("undo", true);
          }
        }
        case RunEvent.UndoStarted e -> {
          step(w, e.stage(), e.step());
          w.numbers("hosts", e.hosts());
        }
        case RunEvent.UndoFinished e -> {
          step(w, e.stage(), e.step());
          w.number("succeeded", e.succeeded());
          w.number("failed", e.failed());
        }
        case RunEvent.SnapshotTaken e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("name", e.name());
          w.text("content", e.content());
        }
        case RunEvent.SnapshotCompared e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("name", e.name());
          w.bool("equal", e.equal());
          w.text("diff", e.diff());
        }
        case RunEvent.BackupTaken e -> {
          step(w, e.stage(), e.step());
          w.number("host", e.host());
          w.text("database", e.database());
          w.text("path", e.path());
          w.number("bytes", e.bytes());
          w.text("sha256", e.sha256());
        }
        case RunEvent.ProbeChanged e -> {
          w.text("capability", e.capability());
          w.text("probe", e.probe());
          w.bool("up", e.up());
          w.text("detail", e.detail());
        }
        case RunEvent.ProbeTally e -> {
          w.text("capability", e.capability());
          w.text("probe", e.probe());
          w.number("samples", e.samples());
          w.number("failed", e.failed());
        }
        case RunEvent.RunFinished e -> w.text("status", e.status().word());
      }
    }
    return new Encoded(type, VERSION, event.at(), w.end());
  }

  private static void step(FlatJson.Writer w, int stage, int step) {
    w.number("stage", stage);
    w.number("step", step);
  }

  /**
   * Reads a stored event back.
   *
   * @throws JournalException when the type or version is unknown (a journal written by a newer
   *     Upshift) or the body is damaged
   */
  public static RunEvent decode(String type, int version, String body) {
    if (version < 1 || version > VERSION) {
      throw new JournalException(
          "event of type `"
              + type
              + "` has format version "
              + version
              + "; this Upshift reads versions 1 to "
              + VERSION
              + " (was the journal written by a newer Upshift?)");
    }
    Body b = Body.parse(type, body);
    return switch (type) {
      case "run-started" ->
          new RunEvent.RunStarted(
              b.at(),
              b.text("plan"),
              b.text("target"),
              b.number("seed"),
              b.integer("hosts"),
              b.bool("auto_approve", true));
      case "stage-started" -> new RunEvent.StageStarted(b.at(), b.integer("stage"));
      case "step-started" ->
          new RunEvent.StepStarted(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("hosts"),
              b.integer("skipped"));
      case "batch-started" ->
          new RunEvent.BatchStarted(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("group"),
              b.integer("batch"),
              b.hosts());
      case "pause-started" ->
          new RunEvent.PauseStarted(
              b.at(), b.integer("stage"), b.integer("step"), b.integer("group"), b.number("until"));
      case "action-started" ->
          new RunEvent.ActionStarted(
              b.at(), b.integer("stage"), b.integer("step"), b.integer("host"), b.phase());
      case "action-finished" ->
          new RunEvent.ActionFinished(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.phase(),
              new Outcome(
                  b.bool("ok", false),
                  b.integer("exit"),
                  b.text("output", ""),
                  b.text("reason", "")));
      case "action-in-doubt" ->
          new RunEvent.ActionInDoubt(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.phase(),
              InDoubt.of(b.text("resolution")),
              b.text("why", ""));
      case "approved" ->
          new RunEvent.Approved(
              b.at(), b.integer("stage"), b.integer("step"), b.text("by"), b.text("comment", ""));
      case "step-finished" ->
          new RunEvent.StepFinished(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("succeeded"),
              b.integer("failed"),
              b.integer("skipped"));
      case "stage-finished" -> new RunEvent.StageFinished(b.at(), b.integer("stage"), b.status());
      case "capability-changed" ->
          new RunEvent.CapabilityChanged(b.at(), b.text("capability"), b.bool("up", false));
      case "run-halted" -> new RunEvent.RunHalted(b.at(), b.text("reason"));
      case "run-paused" ->
          new RunEvent.RunPaused(b.at(), b.integer("stage"), b.integer("step"), b.text("reason"));
      case "run-resumed" -> new RunEvent.RunResumed(b.at(), b.text("by"), b.text("reason", ""));
      case "abort-requested" ->
          new RunEvent.AbortRequested(
              b.at(), b.text("by"), b.text("comment", ""), b.bool("undo", false));
      case "undo-started" ->
          new RunEvent.UndoStarted(b.at(), b.integer("stage"), b.integer("step"), b.hosts());
      case "undo-finished" ->
          new RunEvent.UndoFinished(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("succeeded"),
              b.integer("failed"));
      case "snapshot-taken" ->
          new RunEvent.SnapshotTaken(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.text("name"),
              b.text("content"));
      case "snapshot-compared" ->
          new RunEvent.SnapshotCompared(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.text("name"),
              b.bool("equal", false),
              b.text("diff", ""));
      case "backup-taken" ->
          new RunEvent.BackupTaken(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.text("database"),
              b.text("path"),
              b.number("bytes"),
              b.text("sha256"));
      case "probe-changed" ->
          new RunEvent.ProbeChanged(
              b.at(),
              b.text("capability"),
              b.text("probe"),
              b.bool("up", false),
              b.text("detail", ""));
      case "probe-tally" ->
          new RunEvent.ProbeTally(
              b.at(),
              b.text("capability"),
              b.text("probe"),
              b.number("samples"),
              b.number("failed"));
      case "run-finished" -> new RunEvent.RunFinished(b.at(), b.status());
      default ->
          throw new JournalException(
              "unknown event type `" + type + "` (was the journal written by a newer Upshift?)");
    };
  }

  /** The fields of one body, read in one pass. */
  private record Body(String type, FlatJson.Fields fields) {
    static Body parse(String type, String json) {
      try {
        return new Body(type, FlatJson.parse(json));
      } catch (FlatJson.Malformed e) {
        throw new JournalException(
            "event of type `" + type + "` has a damaged body: " + e.getMessage());
      }
    }

    private Object field(String name) {
      Object v = fields.get(name);
      if (v == null) {
        throw new JournalException("event of type `" + type + "` lacks its field `" + name + "`");
      }
      return v;
    }

    long at() {
      return number("at");
    }

    long number(String name) {
      long v = fields.number(name);
      if (v != FlatJson.NOT_A_NUMBER) {
        return v;
      }
      field(name);
      throw new JournalException("event of type `" + type + "`: `" + name + "` is not a number");
    }

    int integer(String name) {
      return Math.toIntExact(number(name));
    }

    String text(String name) {
      if (field(name) instanceof String s) {
        return s;
      }
      throw new JournalException("event of type `" + type + "`: `" + name + "` is not text");
    }

    String text(String name, String absent) {
      return fields.has(name) ? text(name) : absent;
    }

    boolean bool(String name, boolean absent) {
      Object v = fields.get(name);
      return v instanceof Boolean b ? b : absent;
    }

    int[] hosts() {
      if (field("hosts") instanceof int[] a) {
        return a;
      }
      throw new JournalException("event of type `" + type + "`: `hosts` is not a list");
    }

    Phase phase() {
      return switch (text("phase")) {
        case "action" -> Phase.ACTION;
        case "check" -> Phase.CHECK;
        case "undo" -> Phase.UNDO;
        default -> throw new JournalException("event of type `" + type + "`: unknown phase");
      };
    }

    RunStatus status() {
      try {
        return RunStatus.valueOf(text("status").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new JournalException("event of type `" + type + "`: unknown status");
      }
    }
  }
}
