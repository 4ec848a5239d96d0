package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upshift validate} refuses, at the placeholder's line and column, what could not be filled
 * in safely: a place where no quoting is safe, a secret in a quoted here-document, a placeholder in
 * quotes on a Windows host, and an inventory value no command can carry (at the host). A plan whose
 * placeholders stand in its own quotes or here-documents is fine: they are quoted for where they
 * stand.
 */
class PlaceholderCheckTest {
  @TempDir Path dir;

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
                  labels: {note: "fine", rack: "r\\0x"}
                - name: w1
                  os: windows
                  service-manager: windows
                  roles: [win]
                  components: [app]
                  labels: {note: "ok", rack: "r2"}
      """;

  private static final String HEAD =
      """
      upshift: 1
      name: places
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      secrets:
        token: {env: UPSHIFT_TEST_TOKEN}
      stages:
        - name: One
          steps:
      """;

  private Cli.Result validate(String steps) {
    Path p = TestPlans.write(dir, HEAD + steps, INVENTORY);
    return Cli.run("validate", p.toString());
  }

  @Test
  void placeholdersInThePlansOwnQuotesAndHereDocumentsAreFine() {
    Cli.Result r =
        validate(
            """
                - command: |
                    echo "{{label.note}}" '{{label.note}}' {{host}}
                    cat <<EOF > /tmp/x
                    note: "{{label.note}}" $(date) {{secret.token}}
                    EOF
                    cat <<'EOF'
                    {{label.note}}
                    EOF
                  on: role=node
            """);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void eachUnsafePlaceIsReportedAtItsPlaceholderWithAHint() {
    Cli.Result r =
        validate(
            """
                - command: |
                    echo `hostname {{host}}`
                    cat <<'EOF'
                    token={{secret.token}}
                    EOF
                    echo ${NOTE:-{{label.note}}}
                  on: role=node
                - command: "Restart-Service \\"{{label.note}}\\""
                  on: role=win
            """);
    String file = dir.resolve("plan.yaml").toString();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            file
                + ":13:24: error[placeholder-place]: `{{host}}` stands inside backquotes `...`,"
                + " where no value can be quoted safely")
        .contains("hint: write $(...) instead of backquotes")
        .contains(file + ":15:15: error[secret-place]: secret `token` stands in a quoted here-doc")
        .contains("hint: unquote the delimiter (<<EOF)")
        .contains(file + ":17:22: error[placeholder-place]: `{{label.note}}` stands inside ${...}")
        .contains("hint: use its variable instead, e.g. \"${UPSHIFT_LABEL_NOTE:-none}\"")
        .contains(
            file
                + ":19:35: error[placeholder-place]: `{{label.note}}` stands inside double"
                + " quotes; on a Windows host (w1) a placeholder must stand outside quotes")
        .contains("4 error(s)");
  }

  @Test
  void aNulInALabelThatACommandUsesIsReportedAtTheHost() {
    Cli.Result r =
        validate(
            """
                - command: "echo {{label.rack}}"
                  on: role=node
            """);
    String inventory = dir.resolve("inventory.yaml").toString();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            inventory
                + ":7:19: error[value-unsafe]: label `rack` of host h1 holds a NUL character"
                + " (U+0000), which no command can carry; `{{label.rack}}` uses it at ")
        .contains("plan.yaml:12:22")
        .contains("1 error(s)");
  }
}
