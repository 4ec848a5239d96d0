package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import io.upshift.source.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loader reports every problem at its place, with a rule id; table of broken steps. */
class PlanLoaderTest {
  @TempDir Path dir;

  private List<Problem> load(String steps) {
    String plan = TestPlans.header("t") + "stages:\n  - name: S\n    steps:\n" + steps;
    Problems problems = new Problems();
    PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(2, 3)), problems);
    return problems.sorted();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // step (YAML, \n for new lines)                         | id                   | line:col
        "- stopp: app                                             | unknown-step-kind    | 12:9",
        "- stop: ap                                               | unknown-component    | 12:15",
        "- stop: app\\n  waves: {batch: 0}                        | out-of-range         | 13:24",
        "- stop: app\\n  waves: {batch: -3}                       | wrong-type           | 13:24",
        "- stop: app\\n  waves: {parallel: lots}                  | wrong-type           | 13:27",
        "- stop: app\\n  waves: {group-by: cel}                   | unknown-selector     | 13:27",
        "- stop: app\\n  duration: 5 minutes                      | wrong-type           | 13:19",
        "- stop: app\\n  duration: 8m..2m                         | wrong-type           | 13:19",
        "- stop: app\\n  on: cell=c09                             | unknown-selector     | 13:13",
        "- stop: app\\n  on: role                                 | selector-syntax      | 13:13",
        "- stop: app\\n  start: app                               | step-kinds           | 12:9",
        "- command: \"true\"                                       | missing-key          | 12:9",
        "- command: \"true\"\\n  on: all\\n  run: \"false\"          | step-run             | 14:14",
        "- command: \"echo {{hots}}\"\\n  on: all                 | unknown-placeholder  | 12:24",
        "- command: \"echo `{{host}}`\"\\n  on: all               | placeholder-place    | 12:25",
        "- command: \"echo {{host}} # {{host}}\"\\n  on: all       | placeholder-place    | 12:35",
        "- command: \"echo ok; echo ${{host}}\"\\n  on: all      | placeholder-place    | 12:34",
        "- approve: {question: x}                                 | wrong-type           | 12:18",
        "- reboot: yes please\\n  on: all                        | wrong-type           | 12:17",
        "- check: {command: x, http: \"http://y\"}\\n  on: all                | check-kind           | 12:16",
        "- check: {command: x, output: \"[\"}\\n  on: all          | bad-regex            | 12:37",
        "- db-sync: appdb                                         | unknown-database     | 12:18",
        "- upgrade: app\\n  version: v3                           | unknown-release      | 13:18",
      })
  void aBrokenStepIsReportedWhereItIs(String step, String id, String lineCol) {
    String yaml = "      " + step.trim().replace("\\n", "\n      ") + "\n";
    List<Problem> problems = load(yaml);
    assertThat(problems).as("one problem, no cascade: %s", problems).hasSize(1);
    assertThat(problems)
        .as(yaml)
        .anySatisfy(
            p -> {
              assertThat(p.id()).isEqualTo(id);
              assertThat(p.position().line() + ":" + p.position().column()).isEqualTo(lineCol);
              assertThat(p.severity()).isEqualTo(Severity.ERROR);
            });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<Problem> problems =
        load(
            "      - stopp: app\n      - stop: ap\n      - restart: app\n        waves: {batch: x}\n");
    assertThat(problems)
        .extracting(Problem::id)
        .containsExactly("unknown-step-kind", "unknown-component", "wrong-type");
  }

  @Test
  void inDoubtIsTheKindsUnlessTheStepSaysOtherwise() {
    String plan =
        TestPlans.header("t")
            + "stages:\n  - name: S\n    steps:\n"
            + "      - upgrade: app\n"
            + "      - command: x\n        in-doubt: rerun\n"
            + "      - command: y\n        check: \"true\"\n        in-doubt: check\n";
    Plan p =
        PlanLoader.load(
            TestPlans.write(
                dir,
                plan.replace("      - db-sync: app\n        on: all\n", ""),
                TestPlans.fleet(1, 2)));
    assertThat(p.steps())
        .extracting(Step::inDoubt)
        .containsExactly(InDoubt.RERUN, InDoubt.RERUN, InDoubt.CHECK);
    assertThat(load("      - command: x\n        on: all\n        in-doubt: maybe\n"))
        .singleElement()
        .satisfies(
            pr -> {
              assertThat(pr.id()).isEqualTo("bad-value");
              assertThat(pr.message()).contains("rerun, check or ask");
            });
    assertThat(load("      - command: x\n        on: all\n        in-doubt: check\n"))
        .extracting(Problem::message)
        .containsExactly("`in-doubt: check` needs the step's `check` to settle it");
  }

  @Test
  void aCheckStepTakesTheDurationOfItsCheck() {
    String plan =
        TestPlans.header("t")
            + "stages:\n  - name: S\n    steps:\n      - check: {command: x, duration: 2m}\n        on: all\n";
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(1, 2)));
    assertThat(p.steps().get(0).duration()).isEqualTo(DurationModel.fixed(120_000));
  }

  @Test
  void aStepWithoutOnRunsWhereItsComponentsRunOrWhereThePreviousStepRan() {
    String plan =
        TestPlans.header("t")
            + "stages:\n  - name: S\n    steps:\n"
            + "      - stop: app\n      - command: x\n      - command: y\n        on: cell=c01\n      - check: z\n";
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(2, 3)));
    assertThat(p.steps()).extracting(s -> s.hosts().length).containsExactly(6, 6, 3, 3);
  }

  @Test
  void databaseStepsRunOnlyWhereTheDatabaseIsEvenWithASelector() {
    String inventory =
        "defaults: {version: v1}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: db1, databases: [appdb]}\n          - {name: \"web-[1:3]\", roles: [node], components: [app]}\n";
    String plan =
        TestPlans.header("t").replace("capabilities:\n  service: {needs: [app]}\n", "")
            + "stages:\n  - name: S\n    steps:\n      - db-backup: appdb\n        on: cell=c\n      - db-sync: appdb\n";
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    assertThat(p.steps()).extracting(s -> s.hosts().length).containsExactly(1, 1);
  }

  @Test
  void syntaxErrorsHaveAPosition() {
    String plan = "upshift: 1\nname: [unclosed\n";
    Problems problems = new Problems();
    PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(1, 1)), problems);
    assertThat(problems.sorted())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("yaml-syntax");
              assertThat(p.position().line()).isEqualTo(3);
            });
  }

  @Test
  void duplicateKeysAndSelfReferencesAreErrorsNotCrashes() {
    Problems problems = new Problems();
    PlanLoader.load(
        TestPlans.write(dir, "upshift: 1\nupshift: 1\nx: &a [*a]\n", TestPlans.fleet(1, 1)),
        problems);
    assertThat(problems.sorted()).extracting(Problem::id).contains("duplicate-key");
  }

  @Test
  void anAliasBombIsRefusedQuickly() {
    StringBuilder yaml = new StringBuilder("upshift: 1\nl0: &l0 [x,x,x,x,x,x,x,x,x,x]\n");
    for (int i = 1; i < 9; i++) {
      yaml.append("l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j > 0 ? "," : "").append("*l").append(i - 1);
      }
      yaml.append("]\n");
    }
    Problems problems = new Problems();
    PlanLoader.load(TestPlans.write(dir, yaml.toString(), TestPlans.fleet(1, 1)), problems);
    assertThat(problems.sorted()).extracting(Problem::id).containsExactly("yaml-too-large");
  }

  @Test
  void inventoryProblemsArePositionedInTheInventory() {
    String inventory =
        "sites:\n  s:\n    cells:\n      c:\n        hosts:\n          - name: a-[5:1]\n          - name: b\n"
            + "            os: solaris\n          - name: b\n          - {name: w, os: windows}\n";
    Problems problems = new Problems();
    PlanLoader.load(
        TestPlans.write(dir, TestPlans.header("t") + "stages: []\n", inventory), problems);
    assertThat(problems.sorted())
        .extracting(p -> p.id() + "@" + p.position().line())
        .contains("host-range@6", "unknown-value@8", "duplicate-host@9", "os-mismatch@10");
    assertThat(problems.sorted())
        .allSatisfy(p -> assertThat(p.position().file().toString()).isNotBlank());
  }

  /**
   * A plan whose steps, capability and rules all lean on the inventory: a label selector, a
   * group-by label, a label placeholder, components and a database.
   */
  private static final String LEANING =
      TestPlans.header("leaning")
          + """
          compatibility:
            - id: app-uniform
              uniform: app
              scope: cell
          stages:
            - name: S
              steps:
                - stop: app
                  on: rack=r1
                  waves: {group-by: rack}
                - command: "echo {{label.rack}}"
                  on: cell=c01
                - db-backup: appdb
          """;

  private static final String LABELLED =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c01:
              hosts:
                - name: h[1:2]
                  roles: [node]
                  components: [app]
                  databases: [appdb]
                  labels: {rack: r1}
      """;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // how the inventory is broken | id                | where
        "a folder                      | file-unreadable   | plan.yaml:3:12",
        "missing                       | file-not-found    | plan.yaml:3:12",
        "a YAML syntax error           | yaml-syntax       | inventory.yaml:13:1",
        "an unknown key                | unknown-key       | inventory.yaml:4:5",
        "a byte that is not UTF-8      | not-utf8          | inventory.yaml:8:21",
      })
  void anInventoryThatDoesNotLoadIsOneErrorWithoutFollowOns(String how, String id, String where)
      throws Exception {
    TestPlans.write(dir, LEANING, LABELLED);
    Path inventory = dir.resolve("inventory.yaml");
    assertThat(PlanLoader.load(dir)).as("the plan loads with its inventory").isNotNull();
    switch (how) {
      case "a folder" -> {
        Files.delete(inventory);
        Files.createDirectory(inventory);
      }
      case "missing" -> Files.delete(inventory);
      case "a YAML syntax error" -> Files.writeString(inventory, LABELLED + "  bad: [\n");
      case "an unknown key" -> Files.writeString(inventory, LABELLED.replace("cells:", "cels:"));
      default -> {
        byte[] bytes = LABELLED.getBytes(StandardCharsets.UTF_8);
        bytes[LABELLED.indexOf("[node]") + 1] = (byte) 0xff; // line 8, column 21
        Files.write(inventory, bytes);
      }
    }
    Problems problems = new Problems();
    PlanLoader.load(dir, problems);
    assertThat(problems.sorted()).as("one error, no follow-on: %s", problems.sorted()).hasSize(1);
    Problem p = problems.sorted().get(0);
    assertThat(p.id()).isEqualTo(id);
    assertThat(p.position().toString()).isEqualTo(dir.resolve(where).toString());
  }
}
