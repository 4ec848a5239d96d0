package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan of real shell commands on the local target: the files they write prove the order of steps
 * and waves, that a failed check keeps a host from its next step, and that an exceeded budget halts
 * the run before the next step.
 */
class LocalRunTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:4]
                  roles: [node]
                  components: [app]
                  labels: {note: "$(touch pwned); `touch pwned2` 'quoted'"}
      """;

  private static final String PLAN =
      """
      upshift: 1
      name: local ledger
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: One
          steps:
            - command: "echo step1 {{host}} >> ledger.txt"
              on: role=node
              waves: {batch: 2}
            - command: "echo step2 $UPSHIFT_HOST {{label.note}} >> ledger.txt"
              check: "grep -q \\"^step2 $UPSHIFT_HOST \\" ledger.txt"
        - name: Two
          steps:
            - command: "echo step3 {{host}} >> ledger.txt"
              on: role=node
              check: "test {{host}} != h2"
              waves: {max-failures: 1}
            - command: "echo step4 {{host}} >> ledger.txt"
        - name: Three
          steps:
            - check: "test {{host}} != h3"
              on: role=node
            - command: "echo step6 {{host}} >> ledger.txt"
      """;

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
  void realCommandsRunInOrderAndChecksGateTheNextStep() throws IOException {
    Path p = TestPlans.write(dir, PLAN, INVENTORY);
    Cli.Result r =
        runLocal(p, "--progress", "plain", "--summary-json", dir.resolve("s.json").toString());

    List<String> ledger = Files.readAllLines(dir.resolve("ledger.txt"));
    List<String> steps = ledger.stream().map(l -> l.split(" ")[0]).toList();
    // every step-1 line before any step-2 line, and so on: steps run one after another
    assertThat(steps).isSortedAccordingTo(String::compareTo);
    assertThat(ledger.subList(0, 2)).containsExactlyInAnyOrder("step1 h1", "step1 h2");
    assertThat(ledger.subList(2, 4)).containsExactlyInAnyOrder("step1 h3", "step1 h4");
    assertThat(ledger).filteredOn(l -> l.startsWith("step2")).hasSize(4);
    assertThat(ledger).filteredOn(l -> l.startsWith("step3")).hasSize(4);
    // h2 failed its check after step 3: it gets no step 4, the others do
    assertThat(ledger)
        .filteredOn(l -> l.startsWith("step4"))
        .containsExactlyInAnyOrder("step4 h1", "step4 h3", "step4 h4");
    // h3 fails the check of stage Three with no budget: the run halts before step 6
    assertThat(ledger).noneMatch(l -> l.startsWith("step6"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("HALTED")
        .contains("h2  Two › echo step3")
        .contains("h3  Three › check");

    // values in commands are quoted: the payload is written as text and never runs
    assertThat(ledger).contains("step2 h1 $(touch pwned); `touch pwned2` 'quoted'");
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(dir.resolve("pwned2")).doesNotExist();

    String json = Files.readString(dir.resolve("s.json"));
    assertThat(json)
        .contains("\"status\" : \"halted\"")
        .contains("\"host\" : \"h2\"")
        .contains("\"phase\" : \"check\"");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutFailsTheStep() throws IOException {
    String plan =
        """
        upshift: 1
        name: slow
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        stages:
          - name: One
            steps:
              - command: "sleep 30"
                on: host=h1
                timeout: 300ms
        """;
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = runLocal(p, "--progress", "none");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("h1  One › sleep 30: timed out after 300ms");
  }

  @Test
  void builtInStepsWithoutACommandAreRefusedBeforeAnythingRuns() {
    String plan =
        """
        upshift: 1
        name: builtin
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        stages:
          - name: One
            steps:
              - command: "touch ran"
                on: role=node
              - restart: app
        """;
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = runLocal(p, "--progress", "none");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "plan.yaml:12:9: error[target-local]: the local target cannot perform a built-in `restart` step")
        .contains("give the step a `run:` command");
    assertThat(dir.resolve("ran")).doesNotExist();
  }
}
