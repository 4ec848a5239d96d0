package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.Upshift;
import io.upshift.plan.ComponentState;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators control real runs through the journal: approval gates, pause and abort from another
 * terminal (a separate process), resume, and plans that changed under a run.
 */
class JournalRunTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:6]
                  roles: [node]
                  components: [app]
      """;

  private Path plan(String steps) {
    String plan =
        """
        upshift: 1
        name: journaled
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        stages:
          - name: One
            steps:
        """
            + steps;
    return TestPlans.write(dir, plan, INVENTORY);
  }

  private String journal() {
    return dir.resolve("journal.db").toString();
  }

  private Cli.Result cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--journal";
    all[args.length + 1] = journal();
    return Cli.run(all);
  }

  private List<String> ledger() throws Exception {
    Path f = dir.resolve("ledger.txt");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  @Test
  void anApprovalIsJournaledWithWhoWhenAndWhy() throws Exception {
    Path p =
        plan(
            """
                  - command: "echo one {{host}} >> ledger.txt"
                    on: all
                  - approve: "CAB approval for stage two?"
                  - command: "echo two {{host}} >> ledger.txt"
            """);
    Cli.Result paused = cli("run", p.toString(), "--target", "local", "--progress", "none");
    assertThat(paused.code()).isEqualTo(3);
    assertThat(ledger()).hasSize(6);
    try (Journal j = JdbcJournal.sqlite(Path.of(journal()))) {
      assertThat(j.run("last").orElseThrow().status())
          .as("the record names the run's phase")
          .isEqualTo("PAUSED");
    }
    assertThat(cli("resume", "last", "--progress", "none").code())
        .as("resuming without the approval stops at the gate again")
        .isEqualTo(3);
    Cli.Result approve = cli("approve", "last", "--by", "alice", "--comment", "CAB-42 ok");
    assertThat(approve.code()).isZero();
    assertThat(approve.err()).contains("carried out when the run is resumed");
    assertThat(cli("approve", "last").err())
        .as("one request is enough; a second is kept too, and used only at this gate")
        .contains("recorded");
    Cli.Result resumed = cli("resume", "last", "--progress", "none", "--by", "bob");
    assertThat(resumed.code()).isZero();
    assertThat(ledger()).hasSize(12);
    Cli.Result show = cli("show", "last");
    assertThat(show.out())
        .contains("status   succeeded")
        .contains("approved by alice: CAB-42 ok")
        .contains("resumed by bob")
        .doesNotContain("pending");
    assertThat(cli("runs").out()).contains("succeeded").contains("journaled");
    try (Journal j = JdbcJournal.sqlite(Path.of(journal()))) {
      assertThat(j.run("last").orElseThrow().status()).isEqualTo("SUCCEEDED");
    }
    assertThat(cli("approve", "last").code()).as("the run has ended").isEqualTo(1);
  }

  /** Starts a run in another process and waits until its first batch is under way. */
  private Process startSlowRun(Path p) throws Exception {
    Process run =
        Upshift.start(
            dir,
            "run",
            "run",
            p.toString(),
            "--target",
            "local",
            "--progress",
            "none",
            "--journal",
            journal());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(dir.resolve("started-h1"))) {
      assertThat(run.isAlive()).as("the run is under way").isTrue();
      assertThat(System.nanoTime()).as("the first batch started").isLessThan(deadline);
      Thread.sleep(20);
    }
    return run;
  }

  /**
   * Once the driver has taken the operators' requests, lets the first batch end: its commands wait
   * for that, so that a loaded machine cannot end the batch before the request is seen.
   */
  private void letTheFirstBatchEnd() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Journal j = JdbcJournal.sqlite(Path.of(journal()))) {
      String run = j.run("last").orElseThrow().id();
      while (!j.pending(run).isEmpty()) {
        assertThat(System.nanoTime()).as("the driver took the request").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
    Files.createFile(dir.resolve("go"));
  }

  /** A first batch that goes on only when the test lets it ({@link #letTheFirstBatchEnd}). */
  private static final String SLOW =
      """
            - command: "touch started-{{host}}; for i in $(seq 600); do [ -e go ] && break; sleep 0.05; done; echo one {{host}} >> ledger.txt"
              on: all
              waves: {batch: 2}
            - command: "echo two {{host}} >> ledger.txt"
      """;

  @Test
  void aRunPausedMidWaveFinishesTheWaveHoldsAndGoesOnWhenResumed() throws Exception {
    Path p = plan(SLOW);
    Process run = startSlowRun(p);
    assertThat(cli("pause", "last", "--by", "carol", "--comment", "lunch").code()).isZero();
    letTheFirstBatchEnd();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as("paused").isEqualTo(3);
    assertThat(ledger()).containsExactlyInAnyOrder("one h1", "one h2");
    assertThat(dir.resolve("started-h3")).as("no new batch started").doesNotExist();
    assertThat(cli("show", "last").out())
        .contains("status   paused: paused by carol: lunch")
        .contains("driver   none");

    assertThat(cli("resume", "last", "--progress", "none").code()).isZero();
    assertThat(ledger()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void anAbortEndsWhatIsInFlightAndEndsTheRun() throws Exception {
    Path p = plan(SLOW);
    Process run = startSlowRun(p);
    assertThat(cli("abort", "last", "--by", "dave", "--comment", "wrong window").code()).isZero();
    // the batch is never let go on: the abort ends its commands, and the run ends without them
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).isEqualTo(1);
    assertThat(dir.resolve("ledger.txt")).as("the commands in flight were ended").doesNotExist();
    assertThat(cli("show", "last").out())
        .contains("status   aborted: aborted by dave: wrong window")
        .contains("abort asked by dave: wrong window");
    assertThat(cli("resume", "last").code()).as("an aborted run has ended").isEqualTo(1);
  }

  @Test
  void aPlanChangedInStepsAlreadyDoneIsRefusedUnlessAccepted() throws Exception {
    Path p =
        plan(
            """
                  - command: "echo one {{host}} >> ledger.txt"
                    on: all
                  - approve: "go?"
                  - command: "echo two {{host}} >> ledger.txt"
            """);
    assertThat(cli("run", p.toString(), "--target", "local", "--progress", "none").code())
        .isEqualTo(3);
    cli("approve", "last");
    Path planFile = p.resolve("plan.yaml");
    Files.writeString(
        planFile,
        Files.readString(planFile)
            .replace("echo two", "echo TWO") // not started yet: may change
            .replace("echo one {{host}}", "echo ONE {{host}}")); // done: may not
    Cli.Result refused = cli("resume", "last", "--progress", "none");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("changed since run")
        .contains("step 1 `echo ONE {{host}} >> ledger.txt`")
        .contains("which the run has done")
        .doesNotContain("TWO")
        .contains("--accept-plan-changes");
    Cli.Result accepted = cli("resume", "last", "--progress", "none", "--accept-plan-changes");
    assertThat(accepted.code()).isZero();
    assertThat(ledger()).filteredOn(l -> l.startsWith("TWO")).hasSize(6);
    assertThat(ledger()).filteredOn(l -> l.startsWith("ONE")).isEmpty();
  }

  @Test
  void anAbortWithUndoTakesBackTheStageLastStepFirst() throws Exception {
    Path p =
        plan(
            """
                  - drain: app
                    run: "echo drain {{host}} >> ledger.txt"
                    undo: "echo undrain {{host}} >> ledger.txt"
                  - upgrade: app
                    run: "echo upgrade {{host}} >> ledger.txt"
                    undo: "echo downgrade {{host}} >> ledger.txt"
                    waves: {batch: 4}
                  - command: "echo note {{host}} >> ledger.txt"
                    on: all
                  - approve: "go on?"
                  - undrain: app
                    run: "echo undrain {{host}} >> ledger.txt"
            """);
    assertThat(cli("run", p.toString(), "--target", "local", "--progress", "none").code())
        .isEqualTo(3);
    assertThat(cli("abort", "last", "--undo", "--by", "erin").code()).isZero();
    Cli.Result resumed = cli("resume", "last", "--progress", "none");
    assertThat(resumed.code()).isEqualTo(1);
    List<String> ledger = ledger();
    assertThat(ledger.subList(18, ledger.size()))
        .as("the upgrade is undone first, then the drain; the command has no undo")
        .hasSize(12)
        .allMatch(l -> l.startsWith("downgrade") || l.startsWith("undrain"));
    assertThat(ledger.subList(18, 24)).allMatch(l -> l.startsWith("downgrade"));
    assertThat(ledger.subList(24, 30)).allMatch(l -> l.startsWith("undrain"));
    assertThat(cli("show", "last").out())
        .contains("status   aborted")
        .contains("abort with undo asked by erin")
        .contains("undid stage 1, step 2: 6 host(s)")
        .contains("undid stage 1, step 1: 6 host(s)");
    Plan plan = PlanLoader.load(p);
    try (Journal j = JdbcJournal.sqlite(Path.of(journal()))) {
      Resumption r = Resumption.replay(j, j.run("last").orElseThrow().id(), plan, List.of());
      assertThat(r.state().fleet().version("app", 0)).as("back at the old release").isEqualTo("v1");
      assertThat(r.state().fleet().state("app", 0))
          .as("back in rotation")
          .isEqualTo(ComponentState.SERVING);
    }
  }
}
