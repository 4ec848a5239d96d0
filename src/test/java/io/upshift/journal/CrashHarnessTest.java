package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twenty SIGKILLs at random moments of a real run; each resume goes on exactly. */
class CrashHarnessTest {
  @TempDir Path dir;

  @Test
  void twentyKillsAndResumesEndAsAnUninterruptedRun() throws Exception {
    CrashHarness.Result r = CrashHarness.run(dir, 20261126L, 20);
    assertThat(r.kills()).isEqualTo(20);
    // after each kill comes a resume, or a new start when the kill came before the run was recorded
    assertThat(r.resumes()).as("resumes").isGreaterThanOrEqualTo(10);
    assertThat(r.journalProblems()).as("the journal opens cleanly after each kill").isEmpty();
    assertThat(r.repeatedOnceOnly()).as("steps that may not run twice").isEmpty();
    assertThat(r.sameAsUninterrupted())
        .as("the ledger has what an uninterrupted run wrote")
        .isTrue();
  }
}
