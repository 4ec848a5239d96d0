package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.engine.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every journal does, whatever stores it. */
abstract class JournalContract {
  protected Journal journal;

  /** A new, empty journal. */
  protected abstract Journal open() throws Exception;

  /** The same journal opened again (as after a restart). */
  protected abstract Journal reopen() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    journal = open();
  }

  @AfterEach
  void tearDown() {
    journal.close();
  }

  static RunRecord run(String id, String created) {
    return new RunRecord(
        id,
        created,
        "plan.yaml",
        "test plan",
        "{}",
        "local",
        1,
        "",
        "running",
        "",
        "",
        "1@h",
        0,
        5,
        created);
  }

  @Test
  void runsAreFoundByIdPrefixAndLast() {
    journal.create(run("20261126-100000-aaaa", "2026-11-26T10:00:00Z"));
    journal.create(run("20261126-110000-bbbb", "2026-11-26T11:00:00Z"));
    assertThat(journal.run("20261126-100000-aaaa")).map(RunRecord::planName).hasValue("test plan");
    assertThat(journal.run("20261126-11")).map(RunRecord::id).hasValue("20261126-110000-bbbb");
    assertThat(journal.run("last")).map(RunRecord::id).hasValue("20261126-110000-bbbb");
    assertThat(journal.run("nope")).isEmpty();
    assertThatThrownBy(() -> journal.run("20261126"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("more than one run");
    assertThat(journal.runs(10))
        .extracting(RunRecord::id)
        .first()
        .isEqualTo("20261126-110000-bbbb");
  }

  @Test
  void eventsComeBackInOrderAndSurviveReopening() throws Exception {
    journal.create(run("r1", Instant.now().toString()));
    List<EventCodec.Encoded> encoded = Events.everyType().stream().map(EventCodec::encode).toList();
    journal.append("r1", 1, encoded.subList(0, 5), 100);
    journal.append("r1", 6, encoded.subList(5, encoded.size()), 200);
    journal.close();
    journal = reopen();
    List<RunEvent> back = new ArrayList<>();
    journal.read("r1", 1, s -> back.add(EventCodec.decode(s.type(), s.version(), s.body())));
    assertThat(back).usingRecursiveFieldByFieldElementComparator().isEqualTo(Events.everyType());
    assertThat(journal.lastSeq("r1")).isEqualTo(encoded.size());
    assertThat(journal.run("r1").orElseThrow().heartbeatAt()).isEqualTo(200);
    List<Long> tail = new ArrayList<>();
    journal.read("r1", encoded.size() - 1, s -> tail.add(s.seq()));
    assertThat(tail).containsExactly((long) encoded.size() - 1, (long) encoded.size());
  }

  @Test
  void aTakenNumberIsRefusedAndNothingOfTheBatchIsKept() {
    journal.create(run("r1", Instant.now().toString()));
    EventCodec.Encoded e = EventCodec.encode(new RunEvent.StageStarted(1, 0));
    journal.append("r1", 1, List.of(e, e), 1);
    journal.append("r1", 3, List.of(e, e, e), 1);
    assertThatThrownBy(() -> journal.append("r1", 5, List.of(e, e), 1))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("another process");
    assertThat(journal.lastSeq("r1")).isEqualTo(5);
  }

  @Test
  void operatorRequestsArePendingUntilCarriedOut() {
    journal.create(run("r1", Instant.now().toString()));
    journal.create(run("r2", Instant.now().toString()));
    Control pause = journal.request("r1", Control.Kind.PAUSE, "alice", "lunch", "");
    journal.request("r2", Control.Kind.ABORT, "bob", "", "");
    Control approve = journal.request("r1", Control.Kind.APPROVE, "carol", "ok by CAB-123", "1.2");
    assertThat(journal.pending("r1"))
        .extracting(Control::kind, Control::by, Control::comment, Control::gate)
        .containsExactly(
            Tuple.tuple(Control.Kind.PAUSE, "alice", "lunch", ""),
            Tuple.tuple(Control.Kind.APPROVE, "carol", "ok by CAB-123", "1.2"));
    journal.done(pause.id());
    assertThat(journal.pending("r1")).extracting(Control::id).containsExactly(approve.id());
  }

  @Test
  void statusOwnerAndHeartbeatAreKept() {
    journal.create(run("r1", Instant.now().toString()));
    journal.update("r1", "paused", "approval needed: go?", "2.3", null, 0, 42);
    RunRecord r = journal.run("r1").orElseThrow();
    assertThat(r.status()).isEqualTo("paused");
    assertThat(r.detail()).isEqualTo("approval needed: go?");
    assertThat(r.gate()).isEqualTo("2.3");
    assertThat(r.live(43)).isFalse();
    assertThat(r.owner()).isNull();
    assertThat(r.heartbeatAt()).isEqualTo(42);
    journal.heartbeat("r1", 43);
    assertThat(journal.run("r1").orElseThrow().heartbeatAt()).isEqualTo(43);
    journal.update("r1", "running", "", "", "7@h", 123_456, 44);
    assertThat(journal.run("r1").orElseThrow())
        .extracting(RunRecord::owner, RunRecord::ownerStart)
        .containsExactly("7@h", 123_456L);
    journal.update("r1", "paused", "", "", null, 123_456, 45);
    assertThat(journal.run("r1").orElseThrow().ownerStart()).as("no owner, no start").isZero();
  }

  @Test
  void theWriterCommitsInGroupsAndSyncMeansDurable() throws Exception {
    journal.create(run("r1", Instant.now().toString()));
    try (JournalWriter w = new JournalWriter(journal, "r1", 0)) {
      for (int i = 0; i < 20_000; i++) {
        w.append(new RunEvent.StageStarted(i, 0));
        if (i % 5_000 == 0) {
          w.sync();
          assertThat(journal.lastSeq("r1")).isEqualTo(i + 1);
        }
      }
      w.sync();
      assertThat(w.lastSeq()).isEqualTo(20_000);
    }
    journal.close();
    journal = reopen();
    assertThat(journal.lastSeq("r1")).isEqualTo(20_000);
    // the writer carries on after the last stored event
    try (JournalWriter w = new JournalWriter(journal, "r1", journal.lastSeq("r1"))) {
      assertThat(w.append(new RunEvent.StageStarted(1, 1))).isEqualTo(20_001);
    }
    assertThat(journal.lastSeq("r1")).isEqualTo(20_001);
  }

  @Test
  void aWriterThatCannotWriteSaysSoOnSync() {
    // no such run row: the heartbeat update finds nothing, but a taken number fails the batch
    journal.create(run("r1", Instant.now().toString()));
    EventCodec.Encoded e = EventCodec.encode(new RunEvent.StageStarted(1, 0));
    journal.append("r1", 1, List.of(e), 1);
    JournalWriter w = new JournalWriter(journal, "r1", 0); // wrongly believes the run is empty
    w.append(new RunEvent.StageStarted(2, 0));
    assertThatThrownBy(w::sync).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> w.append(new RunEvent.StageStarted(3, 0)))
        .isInstanceOf(JournalException.class);
  }
}
