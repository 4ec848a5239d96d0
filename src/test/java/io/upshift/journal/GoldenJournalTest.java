package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.engine.RunStatus;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by the first release of the format (src/test/resources/journal/format1): three
 * runs of a real local plan, one killed and resumed with actions in doubt, approved and failed on
 * one host; one aborted at its gate; one left paused at its gate. It must keep loading, replaying
 * and resuming as it did.
 */
class GoldenJournalTest {
  @TempDir Path dir;

  private Path copy() throws Exception {
    for (String f : List.of("journal.db", "plan.yaml", "inventory.yaml")) {
      try (var in = getClass().getResourceAsStream("/journal/format1/" + f)) {
        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir.resolve("journal.db");
  }

  @Test
  void theFirstFormatStillReplays() throws Exception {
    Path db = copy();
    Plan plan = PlanLoader.load(dir);
    try (Journal j = JdbcJournal.sqlite(db)) {
      List<RunRecord> runs = j.runs(10);
      assertThat(runs).extracting(RunRecord::status).containsExactly("paused", "aborted", "failed");
      assertThat(runs)
          .as("written before drivers' start times were recorded")
          .extracting(RunRecord::ownerStart)
          .containsOnly(0L);

      Resumption failed = Resumption.replay(j, runs.get(2).id(), plan, List.of());
      assertThat(failed.state().status()).isEqualTo(RunStatus.FAILED);
      assertThat(failed.state().failures()).extracting(f -> f.hostName()).containsExactly("h4");
      assertThat(failed.state().approvals())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.by()).isEqualTo("alice");
                assertThat(a.comment()).isEqualTo("CAB-42 approved");
              });
      assertThat(failed.state().fleet().version("app", 0)).isEqualTo("v2");
      assertThat(Fingerprint.compare(runs.get(2).fingerprint(), plan, failed.state()).none())
          .isTrue();
      int[] inDoubt = {0};
      j.read(runs.get(2).id(), 1, Set.of("action-in-doubt"), s -> inDoubt[0]++);
      assertThat(inDoubt[0]).isEqualTo(2);

      Resumption aborted = Resumption.replay(j, runs.get(1).id(), plan, List.of());
      assertThat(aborted.state().status()).isEqualTo(RunStatus.ABORTED);
      assertThat(aborted.state().haltReason()).isEqualTo("aborted by carol: window closed");

      Resumption paused = Resumption.replay(j, runs.get(0).id(), plan, List.of());
      assertThat(paused.state().status()).isEqualTo(RunStatus.PAUSED);
      assertThat(paused.doubts()).isEmpty();
      assertThat(runs.get(0).gate()).isEqualTo("0.1");
    }
  }

  @Test
  void aRunLeftPausedInTheFirstFormatGoesOn() throws Exception {
    Path db = copy();
    String journal = db.toString();
    assertThat(Cli.run("show", "last", "--journal", journal).out())
        .contains("waits    for approval of stage 1, step 2");
    assertThat(Cli.run("approve", "last", "--by", "erin", "--journal", journal).code()).isZero();
    // the plan's commands run in the folder of the plan: this copy
    Cli.Result resumed =
        Cli.run(
            "resume", "last", "--progress", "none", "--journal", journal, "--plan", dir.toString());
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(1); // h4 fails its restart, as before
    assertThat(Files.readAllLines(dir.resolve("ledger.txt")))
        .containsExactlyInAnyOrder("restart h1", "restart h2", "restart h3", "restart h4");
    assertThat(Cli.run("show", "last", "--journal", journal).out())
        .contains("stage 1, step 2 approved by erin");
  }
}
