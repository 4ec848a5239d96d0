package io.upshift.engine;

import io.upshift.engine.Execution.Phase;
import io.upshift.plan.Snapshot;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.snapshot.Diff;
import io.upshift.snapshot.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the orchestrator records from the outcome of a step that captures something: a snapshot's
 * content, a comparison with the snapshot taken before (a difference fails the host), the file,
 * size and sha256 of a database backup. The engine calls it as each action's outcome arrives,
 * before recording the action's end, so a replay of the journal sees the same events.
 */
public final class Captures {
  private Captures() {}

  /**
   * The line a built-in backup prints last: {@code upshift-backup PATH BYTES SHA256} (the targets'
   * backup commands print it).
   */
  public static final String BACKUP_LINE = "upshift-backup ";

  /** The events to record before the action's end, and the outcome to record for it. */
  public record Result(List<RunEvent> events, Outcome outcome) {}

  /** Whether actions of {@code step} in {@code phase} capture something. */
  public static boolean captures(Step step, Phase phase) {
    return phase == Phase.ACTION && (step.snapshot() != null || step.kind() == StepKind.DB_BACKUP);
  }

  public static Result after(
      Step step, int host, Outcome outcome, RunState state, String hostName, long now) {
    if (!outcome.ok()) {
      return new Result(List.of(), outcome);
    }
    return switch (step.kind()) {
      case SNAPSHOT -> taken(step, host, outcome, now);
      case COMPARE -> compared(step, host, outcome, state, hostName, now);
      case DB_BACKUP -> backup(step, host, outcome, now);
      default -> new Result(List.of(), outcome);
    };
  }

  /** The content a capture is kept and compared as: JSON normalised, line ends unified. */
  static String content(Snapshot snapshot, String output) {
    String text = output.replace("\r\n", "\n");
    if (snapshot.http() != null) {
      text = Json.normalise(text);
    }
    return text;
  }

  private static Result taken(Step step, int host, Outcome o, long now) {
    Snapshot s = step.snapshot();
    if (o.output().contains("\n[... ") && o.output().contains(" bytes not kept ...]")) {
      return new Result(
          List.of(),
          Outcome.failure(
              o.exitCode(),
              "",
              "snapshot `"
                  + s.name()
                  + "` is larger than the output kept per action (64 KiB): capture less, e.g."
                  + " a checksum per row (md5 of the columns) or fewer columns"));
    }
    String content = content(s, o.output());
    return new Result(
        List.of(
            new RunEvent.SnapshotTaken(now, step.stage(), step.index(), host, s.name(), content)),
        Outcome.success(o.exitCode(), summary(content)));
  }

  private static Result compared(
      Step step, int host, Outcome o, RunState state, String hostName, long now) {
    Snapshot s = step.snapshot();
    String before = state.snapshot(s.name(), host);
    if (before == null) {
      return new Result(
          List.of(),
          Outcome.failure(
              o.exitCode(),
              "",
              "no snapshot `"
                  + s.name()
                  + "` was taken on "
                  + hostName
                  + " (its snapshot step did not run there), so there is nothing to compare"));
    }
    String after = content(s, o.output());
    String diff = Diff.unified(before, after, s.name() + " (before)", s.name() + " (now)");
    RunEvent event =
        new RunEvent.SnapshotCompared(
            now, step.stage(), step.index(), host, s.name(), diff.isEmpty(), diff);
    if (diff.isEmpty()) {
      return new Result(List.of(event), Outcome.success(o.exitCode(), "same: " + summary(after)));
    }
    int[] counts = Diff.counts(diff);
    return new Result(
        List.of(event),
        Outcome.failure(
            o.exitCode(),
            diff,
            "snapshot `"
                + s.name()
                + "` differs: "
                + counts[0]
                + " line(s) gone, "
                + counts[1]
                + " line(s) new"));
  }

  /** One {@link RunEvent.BackupTaken} per {@code upshift-backup PATH BYTES SHA256} line. */
  private static Result backup(Step step, int host, Outcome o, long now) {
    List<RunEvent> events = new ArrayList<>();
    int n = 0;
    for (String line : o.output().split("\n")) {
      if (!line.startsWith(BACKUP_LINE)) {
        continue;
      }
      // PATH BYTES SHA256, split from the right: the path may hold spaces
      String rest = line.substring(BACKUP_LINE.length()).trim();
      int shaAt = rest.lastIndexOf(' ');
      int bytesAt = shaAt < 0 ? -1 : rest.lastIndexOf(' ', shaAt - 1);
      if (bytesAt <= 0) {
        continue;
      }
      String[] parts = {
        rest.substring(0, bytesAt), rest.substring(bytesAt + 1, shaAt), rest.substring(shaAt + 1)
      };
      long bytes;
      try {
        bytes = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        continue;
      }
      String database =
          n < step.subjects().size() ? step.subjects().get(n) : step.subjects().getLast();
      n++;
      events.add(
          new RunEvent.BackupTaken(
              now, step.stage(), step.index(), host, database, parts[0], bytes, parts[2]));
    }
    if (step.run() == null && n < step.subjects().size() && !o.output().isBlank()) {
      return new Result(
          events,
          Outcome.failure(
              o.exitCode(),
              o.output(),
              "the backup did not report its file, size and checksum for every database"));
    }
    return new Result(events, o);
  }

  /** "500 lines, sha256 1a2b3c4d5e6f" */
  static String summary(String content) {
    long lines = content.isEmpty() ? 0 : content.chars().filter(c -> c == '\n').count();
    if (!content.isEmpty() && !content.endsWith("\n")) {
      lines++;
    }
    return lines + " line(s), sha256 " + sha256(content).substring(0, 12);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
