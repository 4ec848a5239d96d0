package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that try to drive the terminal: written as YAML escapes they are legal, and every command
 * shows them escaped; written raw in the file they are an error at their line and column, as is a
 * byte that is not UTF-8.
 */
class HostileNamesTest {
  @TempDir Path dir;

  /** ESC, BEL, the C1 CSI, a bidi override, a line break. */
  private static final List<String> RAW = List.of("\u001b", "\u0007", "\u009b", "\u202e");

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        "s\\e]0;site\\a":
          cells:
            "c\\x9b2J":
              hosts:
                - name: "h\\e(0\\a1"
                  roles: [node]
                  components: ["app\\u202e"]
                  labels: {rack: "r\\e[5m"}
      """;

  private static final String PLAN =
      """
      upshift: 1
      name: "plan \\e]0;title\\a"
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      capabilities:
        "cap\\e[5m": {needs: ["app\\u202e"], max-downtime: 1s}
      stages:
        - name: "stage \\x1b[2J"
          steps:
            - name: "step \\e]0;x\\a\\nFORGED line"
              stop: ["app\\u202e"]
              on: "rack=r\\e[5m"
            - upgrade: ["app\\u202e"]
              on: all
            - start: ["app\\u202e"]
              on: all
      """;

  private static void noRawControl(Cli.Result r, String what) {
    String all = r.out() + r.err();
    for (String c : RAW) {
      assertThat(all).as("%s: U+%04X", what, (int) c.charAt(0)).doesNotContain(c);
    }
    assertThat(all).as("%s: a name cannot start a line", what).doesNotContain("\nFORGED");
  }

  @Test
  void escapedNamesAreShownEscapedByEveryCommand() {
    TestPlans.write(dir, PLAN, INVENTORY);
    String journal = dir.resolve("journal.db").toString();
    Cli.Result validate = Cli.run("validate", dir.toString());
    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.out()).contains("ok: \"plan \\u001b]0;title\\u0007\"");
    noRawControl(validate, "validate");

    Cli.Result verify = Cli.run("verify", dir.toString());
    assertThat(verify.code()).as(verify.err()).isEqualTo(1); // the downtime budget is broken
    assertThat(verify.out()).contains("`cap\\u001b[5m` would be down");
    noRawControl(verify, "verify");

    Cli.Result plan = Cli.run("plan", dir.toString(), "--samples", "2");
    assertThat(plan.out()).contains("stage \\u001b[2J").contains("cap\\u001b[5m");
    noRawControl(plan, "plan");

    Cli.Result run =
        Cli.run("run", dir.toString(), "--progress", "plain", "--unsafe", "--journal", journal);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("step \\u001b]0;x\\u0007\\nFORGED line");
    assertThat(run.out()).contains("Run of \"plan \\u001b]0;title\\u0007\"");
    noRawControl(run, "run");

    for (String[] args :
        List.of(
            new String[] {"show", "last", "--journal", journal},
            new String[] {"runs", "--journal", journal})) {
      Cli.Result r = Cli.run(args);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("plan \\u001b]0;title\\u0007");
      noRawControl(r, args[0]);
    }
  }

  @Test
  void rawControlCharactersAreErrorsAtTheirLineAndColumn() throws Exception {
    TestPlans.write(
        dir,
        PLAN.replace("\"stage \\x1b[2J\"", "stage \u001b[2J")
            .replace("from: v1", "from: v1 # \u202e comment"),
        INVENTORY);
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    String plan = dir.resolve("plan.yaml").toString();
    assertThat(r.err())
        .contains(plan + ":5:12: error[control-character]: a raw control character, U+202E")
        .contains(plan + ":10:17: error[control-character]: a raw control character, U+001B (ESC")
        .contains("hint: remove it; if it is meant, write it as an escape")
        .contains("2 error(s)");
    noRawControl(r, "validate");

    TestPlans.write(dir, PLAN, INVENTORY.replace("\"c\\x9b2J\"", "c\u009b2J"));
    Cli.Result inventory = Cli.run("validate", dir.toString());
    assertThat(inventory.code()).isEqualTo(1);
    assertThat(inventory.err())
        .contains(
            dir.resolve("inventory.yaml")
                + ":5:8: error[control-character]: a raw control character, U+009B (CSI")
        .contains("1 error(s)");
    noRawControl(inventory, "validate");
  }

  @Test
  void aFileThatIsNotUtf8IsAnErrorWhereTheBadByteIs() throws Exception {
    TestPlans.write(dir, PLAN, INVENTORY);
    byte[] bytes = Files.readAllBytes(dir.resolve("plan.yaml"));
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("to: v2") + 4; // line 6, column 5
    bytes[at] = (byte) 0xe9; // Latin-1 é
    Files.write(dir.resolve("plan.yaml"), bytes);
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            dir.resolve("plan.yaml")
                + ":6:5: error[not-utf8]: the file is not UTF-8 text: byte 0xE9 here")
        .contains("1 error(s)");
  }

  @Test
  void aLargeFileIsCheckedAsItStreams() throws Exception {
    StringBuilder inventory =
        new StringBuilder("defaults: {version: v1}\nsites:\n  s1:\n    cells:\n");
    for (int c = 0; c < 40_000; c++) {
      inventory.append("      c").append(c).append(":\n        hosts: []\n");
    }
    int line = 4 + 2 * 40_000 + 1;
    inventory.append("      last\u0007:\n        hosts: [{name: h1, roles: [node]}]\n");
    assertThat(inventory.length()).isGreaterThan(1 << 20); // past the size read whole
    TestPlans.write(dir, TestPlans.header("big") + "stages: []\n", inventory.toString());
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            dir.resolve("inventory.yaml")
                + ":"
                + line
                + ":11: error[control-character]: a raw control character, U+0007 (BEL");

    byte[] latin1 =
        inventory
            .toString()
            .replace("last\u0007", "last\u00e9")
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve("inventory.yaml"), latin1);
    Cli.Result notUtf8 = Cli.run("validate", dir.toString());
    assertThat(notUtf8.err())
        .contains(
            dir.resolve("inventory.yaml")
                + ":"
                + line
                + ":11: error[not-utf8]: the file is not UTF-8 text: byte 0xE9 here");
  }
}
