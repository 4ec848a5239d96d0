package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, and positioned errors without stack traces. */
class CliTest {
  @TempDir Path dir;

  static Cli.Result cli(String... args) {
    return Cli.run(args);
  }

  @Test
  void aTypoAWrongTypeAndAnUnknownSelectorAreThreePositionedErrors() {
    String plan =
        TestPlans.header("broken")
            + "stages:\n"
            + "  - name: Roll\n"
            + "    steps:\n"
            + "      - command: \"true\"\n"
            + "        on: role=node\n"
            + "        duraton: 5m\n" // line 14: typo
            + "        waves: {batch: many}\n" // line 15: wrong type
            + "      - command: \"true\"\n"
            + "        on: rol=node\n"; // line 17: unknown selector key
    Path p = TestPlans.write(dir, plan, TestPlans.fleet(1, 3));
    Cli.Result r = cli("validate", p.toString());
    assertThat(r.code()).isEqualTo(1);
    String file = p.resolve("plan.yaml").toString();
    assertThat(r.err())
        .contains(file + ":14:9: error[unknown-key]: unknown key `duraton` in a `command` step")
        .contains("hint: did you mean `duration`?")
        .contains(
            file + ":15:24: error[wrong-type]: `batch` must be a number of hosts or a percentage")
        .contains(file + ":17:13: error[unknown-selector]: unknown selector key `rol`")
        .contains("hint: did you mean `role`?")
        .contains("3 error(s)")
        .doesNotContain("no-hosts")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void aValidPlanValidates() {
    String plan =
        TestPlans.header("fine") + "stages:\n  - name: A\n    steps:\n      - restart: app\n";
    Cli.Result r = cli("validate", TestPlans.write(dir, plan, TestPlans.fleet(2, 5)).toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("ok: \"fine\": 1 stages, 1 steps, 10 hosts");
  }

  @Test
  void aMissingPlanIsAnErrorNotATrace() {
    Cli.Result r = cli("run", dir.resolve("nowhere").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("nowhere: error[file-not-found]")
        .contains("a folder holding plan.yaml")
        .doesNotContain("Exception");
  }

  @Test
  void wrongUsageExitsWithTwo() {
    assertThat(cli("run").code()).isEqualTo(2);
    assertThat(cli("frobnicate").code()).isEqualTo(2);
    assertThat(cli("run", "x", "--target", "moon").code()).isEqualTo(2);
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithOrWithoutHelp() {
    for (String[] args :
        List.of(
            new String[] {"valdate", "--help"},
            new String[] {"valdate"},
            new String[] {"help", "valdate"},
            new String[] {"--debug", "valdate", "-h"})) {
      Cli.Result r = cli(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .isEqualTo(
              "upshift: unknown command `valdate`\n"
                  + "  hint: did you mean `upshift validate`? `upshift --help` lists the commands\n");
    }
    assertThat(cli("help", "validate").code()).isZero();
    assertThat(cli("help").code()).isZero();
    Cli.Result far = cli("NO-SUCH-COMMAND", "--help");
    assertThat(far.code()).isEqualTo(2);
    assertThat(far.err()).contains("unknown command `NO-SUCH-COMMAND`").contains("did you mean");
    Cli.Result hostile = cli("x\u001b]0;t\u0007", "--help");
    assertThat(hostile.code()).isEqualTo(2);
    assertThat(hostile.err()).contains("`x\\u001b]0;t\\u0007`").doesNotContain("\u001b");
  }

  @Test
  void helpDocumentsTheExitCodes() {
    Cli.Result r = cli("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Exit codes:").contains("3    the run is paused");
  }

  @Test
  void aBadFaultSpecIsAUsageError() {
    String plan =
        TestPlans.header("fine") + "stages:\n  - name: A\n    steps:\n      - restart: app\n";
    Path p = TestPlans.write(dir, plan, TestPlans.fleet(1, 5));
    Cli.Result r = cli("run", p.toString(), "--fault", "restrat=0.5", "--progress", "none");
    assertThat(r.code()).as("a usage error").isEqualTo(2);
    assertThat(r.err())
        .contains("no fault can be injected into `restrat` steps")
        .contains("did you mean `restart`?");
  }

  @Test
  void aHaltedRunExitsWithOneAndAFinishedOneWithZero() {
    String plan =
        TestPlans.header("fine") + "stages:\n  - name: A\n    steps:\n      - restart: app\n";
    Path p = TestPlans.write(dir, plan, TestPlans.fleet(1, 5));
    assertThat(cli("run", p.toString(), "--progress", "none").code()).isZero();
    Cli.Result halted = cli("run", p.toString(), "--progress", "none", "--fault", "restart=1");
    assertThat(halted.code()).isEqualTo(1);
    assertThat(halted.out()).contains("HALTED").contains("Failed hosts");
  }
}
