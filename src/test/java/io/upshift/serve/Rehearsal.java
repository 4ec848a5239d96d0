package io.upshift.serve;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.engine.sim.SimTarget;
import io.upshift.journal.Fingerprint;
import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import io.upshift.journal.Owner;
import io.upshift.journal.Recorder;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A rehearsal on the simulated fleet recorded in a journal as the command line records it (the
 * engine with the journal's recorder, which also carries out operators' requests), slowed down by a
 * pause at each batch so that a browser can watch it progress.
 */
final class Rehearsal implements AutoCloseable {
  final Path dir;
  final Path journalFile;
  final Journal journal;
  final String id;
  final Plan plan;
  private final Thread thread;
  private final AtomicReference<RunState> end = new AtomicReference<>();

  /**
   * @param batchPauseMillis wall time spent at each batch's start
   */
  Rehearsal(Path dir, String id, String planYaml, int cells, int perCell, long batchPauseMillis) {
    this(dir, dir.resolve("journal.db"), id, planYaml, cells, perCell, batchPauseMillis);
  }

  /** The same, recorded in the journal {@code journalFile} (which several runs may share). */
  Rehearsal(
      Path dir,
      Path journalFile,
      String id,
      String planYaml,
      int cells,
      int perCell,
      long batchPauseMillis) {
    this.dir = TestPlans.write(dir, planYaml, TestPlans.fleet(cells, perCell));
    this.journalFile = journalFile;
    this.journal = JdbcJournal.sqlite(journalFile);
    this.id = id;
    this.plan = PlanLoader.load(this.dir);
    String now = Instant.now().toString();
    journal.create(
        new RunRecord(
            id,
            now,
            this.dir.resolve("plan.yaml").toString(),
            plan.name(),
            Fingerprint.of(plan),
            "sim",
            1,
            "target=sim",
            "running",
            "",
            "",
            Owner.self(),
            Owner.selfStart(),
            System.currentTimeMillis(),
            now));
    thread =
        Thread.ofPlatform()
            .name("rehearsal-" + id)
            .unstarted(
                () -> {
                  VirtualClock clock = new VirtualClock();
                  try (Recorder r = new Recorder(journal, id, 0)) {
                    end.set(
                        new Engine(plan, new SimTarget(plan, clock, 1, plan.faults()), clock, 1)
                            .autoApprove(false)
                            .log(r, false)
                            .controls(r)
                            .listen(r)
                            .listen(
                                (RunEvent e, RunState s) -> {
                                  if (e instanceof RunEvent.BatchStarted && batchPauseMillis > 0) {
                                    r.sync(); // on disk before the pause: the page can show it
                                    try {
                                      Thread.sleep(batchPauseMillis);
                                    } catch (InterruptedException x) {
                                      Thread.currentThread().interrupt();
                                    }
                                  }
                                })
                            .run());
                  }
                });
  }

  /** A plan of {@code stages} rolling stages over the generated fleet, with names as given. */
  static String plan(String name, String... stageNames) {
    StringBuilder b = new StringBuilder(TestPlans.header(name)).append("stages:\n");
    for (String stage : stageNames) {
      b.append("  - name: '").append(stage.replace("'", "''")).append("'\n    steps:\n");
      if (stage.startsWith("Gate")) {
        b.append("      - approve: Go on with the upgrade?\n");
      }
      b.append(
          "      - upgrade: app\n        duration: 2m..4m\n"
              + "        waves: {batch: 10%, group-by: cell, parallel: 2}\n");
    }
    return b.toString();
  }

  Rehearsal start() {
    thread.start();
    return this;
  }

  /** Waits for the engine to return (ended, or paused); its state then. */
  RunState await(long millis) throws InterruptedException {
    thread.join(millis);
    return end.get();
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
    journal.close();
  }
}
