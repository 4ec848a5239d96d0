package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.engine.Outcome;
import io.upshift.plan.RenderException;
import io.upshift.plan.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets leave a command's line for its input, and the shell still sees the same words: checked by
 * running the rendered commands in a real /bin/sh.
 */
class SecretInputTest {
  private static final Map<String, String> VALUES =
      Map.of("host", "h1", "secret.pw", "it's a s3cret", "secret.other", "unused");

  private Outcome sh(SecretInput.Command c) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", c.text()).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        in.write(c.input());
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      return exit == 0 ? Outcome.success(0, out) : Outcome.failure(exit, out, "exit " + exit);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private SecretInput.Command render(String text, Map<String, String> values) {
    SecretInput hidden = new SecretInput(values);
    return hidden.finish(Template.shell(text, hidden.values(), n -> n));
  }

  @Test
  void theSecretIsOnTheInputAndTheCommandStillGetsIt() throws Exception {
    SecretInput.Command c = render("printf '[%s]' {{secret.pw}} {{host}}", VALUES);
    assertThat(c.text()).doesNotContain("s3cret").contains("'\"$UPSHIFT_SECRET_1\"'");
    assertThat(new String(c.input(), StandardCharsets.UTF_8)).isEqualTo("it's a s3cret\n");
    assertThat(sh(c).output()).isEqualTo("[it's a s3cret][h1]");
  }

  @Test
  void insideTheUsersOwnSingleQuotesOrAQuotedQueryTheWordsAreTheSame() throws Exception {
    SecretInput.Command c = render("printf '%s|' 'Bearer {{secret.pw}}!' x", VALUES);
    assertThat(sh(c).output()).isEqualTo("Bearer it's a s3cret!|x|");
    // an SQL query is rendered as it is, then quoted whole
    SecretInput hidden = new SecretInput(VALUES);
    String sql = Template.render("select '{{secret.pw}}'", hidden.values(), v -> v);
    SecretInput.Command q = hidden.finish("printf '%s' " + Template.shellQuote(sql));
    assertThat(q.text()).doesNotContain("s3cret");
    assertThat(sh(q).output()).isEqualTo("select 'it's a s3cret'");
  }

  @Test
  void insideDoubleQuotesOrAfterEscapesTheShellStillSeesTheSameWords() throws Exception {
    // in the plan's own double quotes the value is the text, as it is
    SecretInput.Command c = render("printf '%s|' \"v={{secret.pw}}\" \\' {{secret.pw}}", VALUES);
    assertThat(c.text()).doesNotContain("s3cret");
    assertThat(sh(c).output()).isEqualTo("v=it's a s3cret|'|it's a s3cret|");
  }

  @Test
  void aSecretArrivesAsItIsWhereverItStandsAndNeverOnTheLine() throws Exception {
    String payload = "$(touch pwned)`x` '\"\\ \n\tEOF\n}\n";
    for (String[] place :
        new String[][] {
          {"printf '[%s]' {{secret.x}}", "[%s]"},
          {"printf '[%s]' \"a {{secret.x}}\"", "[a %s]"},
          {"printf '[%s]' 'a {{secret.x}}'", "[a %s]"},
          {"cat <<EOF\n[{{secret.x}}]\nEOF", "[%s]\n"},
          {"x=$(cat <<-EOF\n\t[{{secret.x}}]\n\tEOF\n); printf '%s' \"$x\"", "[%s]"},
        }) {
      SecretInput.Command c = render(place[0], Map.of("secret.x", payload));
      assertThat(c.text()).as(place[0]).doesNotContain("pwned");
      assertThat(sh(c).output()).as(place[0]).isEqualTo(place[1].replace("%s", payload));
    }
  }

  @Test
  void aSecretInAQuotedHereDocumentIsRefusedRatherThanPutOnTheLine() {
    assertThatThrownBy(() -> render("cat <<'EOF'\n{{secret.pw}}\nEOF", VALUES))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("secret `pw` stands in a quoted here-document")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aSecretOnSeveralLinesTravelsInBase64() throws Exception {
    SecretInput.Command c =
        render("printf '%s' {{secret.key}}", Map.of("secret.key", "line one\nline two\n\n"));
    assertThat(new String(c.input(), StandardCharsets.UTF_8)).doesNotContain("line");
    assertThat(sh(c).output()).as("to its last line break").isEqualTo("line one\nline two\n\n");
  }

  @Test
  void anInjectionPayloadInASecretIsOnlyText() throws Exception {
    String payload = "$(echo pwned)`echo pwned`'; echo pwned; '\" \\ *";
    SecretInput.Command c = render("printf '%s' {{secret.x}}", Map.of("secret.x", payload));
    assertThat(sh(c).output()).isEqualTo(payload);
  }

  @Test
  void aCommandWithoutSecretsIsLeftAsItIs() {
    SecretInput.Command c = render("echo {{host}}", VALUES);
    assertThat(c.text()).isEqualTo("echo 'h1'");
    assertThat(c.hasInput()).isFalse();
  }
}
