package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a run is still driven, when its driver was killed: the process id it recorded may now
 * belong to a zombie or to another process. Resume judges by the id, the process's start time and
 * the heartbeat, and takes the run over at once when the driver is gone.
 */
class ResumeLivenessTest {
  @TempDir Path dir;

  private Process other;

  @AfterEach
  void stopTheOtherProcess() {
    if (other != null) {
      other.destroyForcibly();
    }
  }

  private static final String PLAN =
      """
      upshift: 1
      name: liveness
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: One
          steps:
            - approve: "go?"
            - command: "echo done {{host}} >> ledger.txt"
              on: all
      """;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:2]
                  roles: [node]
                  components: [app]
      """;

  private String journal() {
    return dir.resolve("journal.db").toString();
  }

  /**
   * A run that stopped at its gate and was approved; then its record is made to say that {@code
   * owner} drives it, as if a driver had been killed there without a word.
   */
  private String runOwnedBy(String owner, long ownerStart, long heartbeatAt) throws Exception {
    TestPlans.write(dir, PLAN, INVENTORY);
    Cli.Result paused =
        Cli.run(
            "run",
            dir.toString(),
            "--target",
            "local",
            "--progress",
            "none",
            "--journal",
            journal());
    assertThat(paused.code()).as(paused.err()).isEqualTo(3);
    assertThat(Cli.run("approve", "last", "--journal", journal()).code()).isZero();
    try (Journal j = JdbcJournal.sqlite(Path.of(journal()))) {
      RunRecord r = j.run("last").orElseThrow();
      j.update(r.id(), "running", "", "", owner, ownerStart, heartbeatAt);
      return r.id();
    }
  }

  /** Another process of this host, as {@code pid@host}: a sleeping shell. */
  private String otherProcess() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    return other.pid() + Owner.self().substring(Owner.self().indexOf('@'));
  }

  private Cli.Result resume() {
    return Cli.run("resume", "last", "--progress", "none", "--journal", journal());
  }

  private void resumedAndFinished(Cli.Result r) throws Exception {
    assertThat(r.err()).doesNotContain("asked it to resume");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).hasSize(2);
    assertThat(Cli.run("show", "last", "--journal", journal()).out())
        .contains("status   succeeded");
  }

  @Test
  void aDriverWhoseIdWasGivenToAnotherProcessIsGoneAndTheRunResumesAtOnce() throws Exception {
    String owner = otherProcess();
    long start = Owner.start(other.pid());
    assertThat(start).as("the other process's start time").isPositive();
    // the killed driver started earlier than the process that has its id now
    runOwnedBy(owner, start - 1, System.currentTimeMillis());
    resumedAndFinished(resume());
  }

  @Test
  void aDriverThatIsAZombieIsGone() throws Exception {
    // the shell's background child exits; its parent (the shell, now `sleep`) never reaps it
    other =
        new ProcessBuilder("sh", "-c", "sleep 0.05 & echo $!; exec sleep 60")
            .redirectErrorStream(true)
            .start();
    long zombie;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      zombie = Long.parseLong(out.readLine().trim());
    }
    long start = Owner.see(zombie).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Owner.see(zombie).state() != Owner.State.GONE && System.nanoTime() < deadline) {
      Thread.sleep(20); // a real process exiting, not a clock the test could drive
    }
    String stat = Files.readString(Path.of("/proc/" + zombie + "/stat"));
    assertThat(Owner.parseStat(stat).state()).as(stat).isEqualTo(Owner.State.GONE);
    assertThat(stat).as("still listed, as a zombie").contains(") Z ");
    String owner = zombie + Owner.self().substring(Owner.self().indexOf('@'));
    runOwnedBy(owner, start, System.currentTimeMillis());
    resumedAndFinished(resume());
  }

  @Test
  void theDriverItselfIsAlive() throws Exception {
    String owner = otherProcess();
    String id = runOwnedBy(owner, Owner.start(other.pid()), System.currentTimeMillis() - 60_000);
    Cli.Result r = resume();
    assertThat(r.code()).isZero();
    assertThat(r.err())
        .as("the same process, though silent a minute: it drives the run")
        .contains("run " + id + " is driven by " + owner + "; asked it to resume");
    assertThat(dir.resolve("ledger.txt")).doesNotExist();
  }

  @Test
  void aRecordWithoutStartTimeIsJudgedByItsHeartbeatToo() throws Exception {
    String owner = otherProcess();
    // a journal written before start times: the id runs, but the heartbeat is a minute old
    runOwnedBy(owner, 0, System.currentTimeMillis() - 60_000);
    resumedAndFinished(resume());
  }

  @Test
  void aRecordWithoutStartTimeAndAFreshHeartbeatIsDriven() throws Exception {
    String owner = otherProcess();
    runOwnedBy(owner, 0, System.currentTimeMillis());
    Cli.Result r = resume();
    assertThat(r.err()).contains("is driven by " + owner);
  }

  @Test
  void aStatLineIsReadFromTheLastParenthesis() {
    String fields = " 1 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 1 1";
    Owner.Seen seen = Owner.parseStat("4242 (a) b (c) S" + fields);
    assertThat(seen.state()).isEqualTo(Owner.State.RUNNING);
    assertThat(seen.start()).isEqualTo(123456);
    assertThat(Owner.parseStat("4242 (x) Z" + fields).state()).isEqualTo(Owner.State.GONE);
  }
}
