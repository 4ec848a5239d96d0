package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a real run must never do: leave processes behind, pass a gate unasked, hang. */
class LocalSafetyTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      "sites:\n  s:\n    cells:\n      c:\n        hosts:\n          - {name: h1, components: [app], version: v1}\n";

  private Path plan(String steps) {
    String plan =
        "upshift: 1\nname: safety\ninventory: inventory.yaml\nreleases: [v1, v2]\nfrom: v1\nto: v2\nstages:\n  - name: S\n    steps:\n"
            + steps;
    return TestPlans.write(dir, plan, INVENTORY);
  }

  private static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .count();
  }

  /** {@code upshift run PLAN --target local}, journaled in the test's folder, and more options. */
  private Cli.Result runLocal(Path plan, String... options) {
    String[] args = {
      "run", plan.toString(), "--target", "local", "--journal", dir.resolve("journal.db").toString()
    };
    String[] all = Arrays.copyOf(args, args.length + options.length);
    System.arraycopy(options, 0, all, args.length, options.length);
    return Cli.run(all);
  }

  @Test
  void aTimeoutKillsEverythingTheCommandStartedEvenDetachedChildren() {
    Path p =
        plan(
            "      - command: \"(sleep 31.4159 &) ; sleep 27.1828\"\n        on: all\n        timeout: 500ms\n");
    Cli.Result r = runLocal(p, "--progress", "none");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("timed out after 500ms");
    assertThat(running("sleep 31.4159")).as("the detached child").isZero();
    assertThat(running("sleep 27.1828")).as("the command itself").isZero();
  }

  @Test
  void anApprovalGatePausesARealRunUnlessAutoApproved() {
    Path p =
        plan(
            "      - command: \"touch before\"\n        on: all\n      - approve: \"go on?\"\n      - command: \"touch after\"\n        on: all\n");
    Cli.Result paused = runLocal(p, "--progress", "none");
    assertThat(paused.code()).isEqualTo(3);
    assertThat(paused.err())
        .contains("paused: approval needed: go on?")
        .contains("upshift approve ");
    assertThat(dir.resolve("before")).exists();
    assertThat(dir.resolve("after")).doesNotExist();
    assertThat(runLocal(p, "--progress", "none", "--auto-approve").code()).isZero();
    assertThat(dir.resolve("after")).exists();
  }

  @Test
  void aStepSlowerThanItsTimeoutFailsInRehearsalToo() {
    Path p = plan("      - restart: app\n        duration: 2h\n        timeout: 1m\n");
    Cli.Result r = Cli.run("run", p.toString(), "--progress", "none");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("timed out after 1m (rehearsal)");
  }

  @Test
  void anHttpCheckThatNeverAnswersFailsAtItsTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path p =
          plan(
              "      - check: {http: \"http://127.0.0.1:"
                  + silent.getLocalPort()
                  + "/\"}\n        on: all\n        timeout: 700ms\n");
      Cli.Result r = runLocal(p, "--progress", "none");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).containsAnyOf("within the timeout", "timed out");
    }
  }
}
