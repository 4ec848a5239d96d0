package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.engine.RunEvent;
import io.upshift.journal.EventCodec;
import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile text from hosts and plans, through real commands on the local target: labels that try to
 * run code wherever the plan quotes them, output and names full of terminal escape sequences, and a
 * failing step. Nothing runs that the plan did not write; no control character reaches the
 * terminal, the progress lines, the summary, {@code show} or the report, while the journal keeps
 * the output's bytes; and the failure says why, with the end of its output.
 */
class HostileTextTest {
  @TempDir Path dir;

  /** What terminals obey: ESC, BEL, the C1 CSI, a bidi override. */
  private static final List<String> CONTROLS = List.of("\u001b", "\u0007", "\u009b", "\u202e");

  private static final String NOTE = "$(touch pwned) `touch pwned` '; touch pwned; ' \" \\ EOF";

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h1
                  roles: [node]
                  components: [app]
                  labels: {note: "NOTE", title: "\\e]0;pwned\\a\\u202e"}
      """
          .replace("NOTE", NOTE.replace("\\", "\\\\").replace("\"", "\\\""));

  private static final String PLAN =
      """
      upshift: 1
      name: "hostile \\e[2J"
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: "One \\e]0;stage\\a"
          steps:
            - name: "quoted \\e[31m"
              command: |
                printf '%s\\n' {{label.note}} "{{label.note}}" '{{label.note}}' > got.txt
                cat <<EOF >> got.txt
                {{label.note}} "{{label.note}}"
                EOF
                cat <<'EOF' >> got.txt
                {{label.note}}
                EOF
                printf 'out \\033]0;title\\007 \\033[2J \\302\\233 \\342\\200\\256 %s\\n' {{label.title}}
              on: all
            - name: "start \\u202elab-service"
              command: |
                echo starting
                echo 'cannot bind :8080: address in use' >&2
                printf '\\033[31mred\\033[0m\\n'
                exit 1
      """;

  @Test
  void nothingRunsNoEscapeReachesTheScreenAndTheFailureSaysWhy() throws Exception {
    TestPlans.write(dir, PLAN, INVENTORY);
    String journal = dir.resolve("journal.db").toString();
    Path html = dir.resolve("run.html");
    Cli.Result r =
        Cli.run(
            "run",
            dir.toString(),
            "--target",
            "local",
            "--progress",
            "plain",
            "--journal",
            journal,
            "--report",
            html.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);

    // 5: the label arrived as it is, in every place the plan put it, and ran nothing
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(Files.readString(dir.resolve("got.txt")))
        .isEqualTo(String.join("\n", NOTE, NOTE, NOTE, NOTE + " \"" + NOTE + "\"", NOTE, ""));

    // 7: what the terminal shows is escaped, names and output alike
    String screen = r.out() + r.err();
    for (String c : CONTROLS) {
      assertThat(screen).as("U+%04X", (int) c.charAt(0)).doesNotContain(c);
    }
    assertThat(screen)
        .contains("Run of \"hostile \\u001b[2J\"")
        .contains("stage 1/1 One \\u001b]0;stage\\u0007")
        .contains("start \\u202elab-service");

    // 8: the failure's reason and the end of its output, on the progress lines and in the summary
    assertThat(r.err())
        .contains("FAILED h1  One \\u001b]0;stage\\u0007 › start \\u202elab-service: exit status 1")
        .contains("      | cannot bind :8080: address in use")
        .contains("      | \\u001b[31mred\\u001b[0m");
    assertThat(r.out())
        .contains("    h1  One \\u001b]0;stage\\u0007 › start \\u202elab-service: exit status 1")
        .contains("        | starting\n")
        .contains("        | cannot bind :8080: address in use\n");

    // the journal keeps the bytes: the output as the command printed it
    List<String> outputs = new ArrayList<>();
    try (Journal j = JdbcJournal.sqlite(Path.of(journal))) {
      String run = j.run("last").orElseThrow().id();
      j.read(
          run,
          1,
          s -> {
            if (EventCodec.decode(s.type(), s.version(), s.body())
                instanceof RunEvent.ActionFinished f) {
              outputs.add(f.outcome().output());
            }
          });
    }
    assertThat(outputs)
        .anySatisfy(o -> assertThat(o).contains("out \u001b]0;title\u0007 \u001b[2J \u009b \u202e"))
        .anySatisfy(o -> assertThat(o).contains("cannot bind :8080").contains("\u001b[31mred"));

    Cli.Result show = Cli.run("show", "last", "--journal", journal);
    assertThat(show.code()).isZero();
    for (String c : CONTROLS) {
      assertThat(show.out() + show.err()).doesNotContain(c);
    }
    assertThat(show.out()).contains("hostile \\u001b[2J");

    String page = Files.readString(html);
    for (String c : CONTROLS) {
      assertThat(page).as("U+%04X in the report", (int) c.charAt(0)).doesNotContain(c);
    }
    assertThat(page)
        .contains("cannot bind :8080: address in use")
        .contains("\\u001b[31mred\\u001b[0m")
        .contains("start \\u202elab-service");
  }

  @Test
  void execShowsOutputEscapedAndRefusesAValueNoCommandCanCarry() throws Exception {
    Files.writeString(
        dir.resolve("inventory.yaml"),
        INVENTORY.replace("labels: {", "labels: {rack: \"r\\0x\", "));
    String inventory = dir.resolve("inventory.yaml").toString();
    Cli.Result r =
        Cli.run(
            "exec",
            "all",
            "-i",
            inventory,
            "--target",
            "local",
            "--",
            "printf '\\033]0;x\\007[%s]\\n' \"{{label.note}}\"");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 host(s): ok:\n    \\u001b]0;x\\u0007[" + NOTE + "]");
    for (String c : CONTROLS) {
      assertThat(r.out() + r.err()).doesNotContain(c);
    }
    assertThat(dir.resolve("pwned")).doesNotExist();

    Cli.Result nul =
        Cli.run("exec", "all", "-i", inventory, "--target", "local", "--", "echo {{label.rack}}");
    assertThat(nul.code()).isEqualTo(1);
    assertThat(nul.out())
        .contains(
            "1 host(s): not run: label `rack` of host h1 holds a NUL character (U+0000), which"
                + " no command can carry")
        .doesNotContain("Exception");
  }
}
