package io.upshift.journal;

import io.upshift.engine.Execution.Phase;
import io.upshift.engine.Outcome;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunStatus;
import io.upshift.plan.InDoubt;
import java.util.List;

/** One event of every type, with awkward text where text goes. */
final class Events {
  private Events() {}

  static List<RunEvent> everyType() {
    return List.of(
        new RunEvent.RunStarted(0, "CERN \"cloud\"", "local", 7, 2164, false),
        new RunEvent.StageStarted(1, 0),
        new RunEvent.StepStarted(2, 0, 1, 10, 2),
        new RunEvent.BatchStarted(3, 0, 1, 2, 1, new int[] {4, 5, 6}),
        new RunEvent.PauseStarted(4, 0, 1, 2, 30_004),
        new RunEvent.ActionStarted(5, 0, 1, 4, Phase.ACTION),
        new RunEvent.ActionFinished(
            6, 0, 1, 4, Phase.ACTION, Outcome.failure(2, "line 1\nl\u00e9gume \u2603", "exit 2")),
        new RunEvent.ActionFinished(7, 0, 1, 5, Phase.CHECK, Outcome.success(0, "")),
        new RunEvent.ActionInDoubt(8, 0, 1, 6, Phase.ACTION, InDoubt.CHECK),
        new RunEvent.Approved(9, 0, 2, "alice", "go; 'quoted' \\ back"),
        new RunEvent.StepFinished(10, 0, 1, 8, 1, 2),
        new RunEvent.StageFinished(11, 0, RunStatus.FAILED),
        new RunEvent.CapabilityChanged(12, "image-api", false),
        new RunEvent.RunHalted(13, "budget exceeded"),
        new RunEvent.RunPaused(14, 1, 0, "paused by bob"),
        new RunEvent.RunResumed(15, "bob", "after a restart"),
        new RunEvent.AbortRequested(16, "carol", "", false),
        new RunEvent.AbortRequested(16, "carol", "and undo", true),
        new RunEvent.UndoStarted(16, 0, 1, new int[] {4, 5}),
        new RunEvent.ActionStarted(16, 0, 1, 4, Phase.UNDO),
        new RunEvent.UndoFinished(16, 0, 1, 2, 0),
        new RunEvent.SnapshotTaken(17, 0, 0, 3, "rows", "1|a\n2|b \u00e9\n"),
        new RunEvent.SnapshotCompared(17, 2, 0, 3, "rows", false, "-2|b\n+2|c\n"),
        new RunEvent.SnapshotCompared(17, 2, 0, 4, "rows", true, ""),
        new RunEvent.BackupTaken(17, 1, 0, 0, "lab", "/var/backups/lab.dump", 12345, "ab12"),
        new RunEvent.ProbeChanged(17, "items", "http://127.0.0.1:8080/", false, "HTTP 503"),
        new RunEvent.ProbeTally(17, "items", "http://127.0.0.1:8080/", 1200, 3),
        new RunEvent.RunFinished(17, RunStatus.ABORTED));
  }
}
