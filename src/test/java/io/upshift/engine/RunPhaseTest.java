package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each phase of a run means, and how a journal's run record names one. */
class RunPhaseTest {
  @Test
  void eachPhaseCarriesItsMeaning() {
    for (RunPhase p : RunPhase.values()) {
      assertThat(p.terminal()).as("%s terminal", p).isEqualTo(p.status().isTerminal());
      assertThat(p.successful()).as("%s successful", p).isEqualTo(p == RunPhase.SUCCEEDED);
      assertThat(p.acceptsBatches()).as("%s accepts batches", p).isEqualTo(p == RunPhase.RUNNING);
      assertThat(p.paused())
          .as("%s paused", p)
          .isEqualTo(p == RunPhase.PAUSED || p == RunPhase.PAUSED_IN_DOUBT);
    }
  }

  @Test
  void aRecordNamesAPhaseOrAWordOfOlderJournals() {
    for (RunPhase p : RunPhase.values()) {
      assertThat(RunPhase.ofRecord(p.name())).isEqualTo(p);
    }
    assertThat(RunPhase.ofRecord("running")).isEqualTo(RunPhase.RUNNING);
    assertThat(RunPhase.ofRecord("paused")).isEqualTo(RunPhase.PAUSED);
    assertThat(RunPhase.ofRecord("halting")).isEqualTo(RunPhase.HALTING);
    assertThat(RunPhase.ofRecord("aborting")).isEqualTo(RunPhase.ABORTING);
    assertThat(RunPhase.ofRecord("succeeded")).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(RunPhase.ofRecord("failed")).isEqualTo(RunPhase.FAILED);
    assertThat(RunPhase.ofRecord("halted")).isEqualTo(RunPhase.HALTED);
    assertThat(RunPhase.ofRecord("aborted")).isEqualTo(RunPhase.ABORTED);
  }

  @Test
  void peopleSeeTheWordsTheyAlwaysSaw() {
    assertThat(RunPhase.PAUSED_IN_DOUBT.word()).isEqualTo("paused");
    assertThat(RunPhase.HALTING.word()).isEqualTo("halting");
    assertThat(RunPhase.SUCCEEDED.word()).isEqualTo("succeeded");
  }
}
