package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary secret reaches the commands that name it and nothing else: not the output on screen, the
 * summary, the journal (its file bytes), `show`, nor the commands' environment.
 */
class SecretsTest {
  private static final String CANARY = "canary-7f3a9c-s3cr3t";

  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:3]
                  roles: [node]
                  components: [app]
      """;

  @Test
  void aCanarySecretIsUsedButNeverShown() throws Exception {
    Files.writeString(dir.resolve("token.txt"), CANARY + "\n");
    String plan =
        """
        upshift: 1
        name: secrets
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        secrets:
          token: {file: token.txt}
        stages:
          - name: One
            steps:
              - command: "echo {{secret.token}} > got-{{host}}.txt; env > env-{{host}}.txt; tr '\\\\0' ' ' < /proc/$$/cmdline > argv-{{host}}.txt"
                on: all
              - command: "echo using {{secret.token}}; echo it is {{secret.token}} >&2; exit 3"
                waves: {max-failures: 100%}
        """;
    TestPlans.write(dir, plan, INVENTORY);
    String journal = dir.resolve("journal.db").toString();
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
            "--summary-json",
            dir.resolve("summary.json").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("got-h1.txt")).trim())
        .as("the command got the secret")
        .isEqualTo(CANARY);
    assertThat(Files.readString(dir.resolve("argv-h1.txt")))
        .as("nor on the command's line, which every local user can read in the process list")
        .doesNotContain(CANARY)
        .contains("UPSHIFT_SECRET_1");
    assertThat(Files.readString(dir.resolve("env-h1.txt")))
        .as("not exported to the environment")
        .doesNotContain(CANARY)
        .contains("UPSHIFT_HOST=h1");
    assertThat(r.out()).contains("exit status 3").doesNotContain(CANARY);
    assertThat(r.err()).doesNotContain(CANARY);
    assertThat(Files.readString(dir.resolve("summary.json"))).doesNotContain(CANARY);
    Cli.Result show = Cli.run("show", "last", "--journal", journal);
    assertThat(show.out() + show.err()).doesNotContain(CANARY);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("journal.db")).toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(CANARY);
      }
    }
  }

  @Test
  void aMissingSecretStopsTheRunWhereItIsDeclared() throws Exception {
    String plan =
        """
        upshift: 1
        name: secrets
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        secrets:
          token: {env: UPSHIFT_TEST_SURELY_UNSET_VARIABLE}
          other: {env: X, file: y}
        stages:
          - name: One
            steps:
              - command: "echo {{secret.token}} {{secret.nope}}"
                on: all
        """;
    TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("error[secret-source]: secret `other` needs one of `env` or `file`")
        .contains("error[unknown-placeholder]: unknown placeholder `{{secret.nope}}`");
    TestPlans.write(
        dir,
        plan.replace("  other: {env: X, file: y}\n", "").replace(" {{secret.nope}}", ""),
        INVENTORY);
    Cli.Result run =
        Cli.run("run", dir.toString(), "--target", "local", "--progress", "none", "--no-journal");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("plan.yaml:8:3: error[secret-missing]")
        .contains("UPSHIFT_TEST_SURELY_UNSET_VARIABLE is not set");
    assertThat(dir.resolve("got.txt")).doesNotExist();
  }
}
