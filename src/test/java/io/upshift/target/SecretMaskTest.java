package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret is masked whole, line by line when it spans lines, and in base64 (standard and URL-safe,
 * with and without padding, and inside a longer encoded text); ordinary output is left alone.
 */
class SecretMaskTest {
  @TempDir Path dir;

  private static final String KEY =
      "-----BEGIN TEST KEY-----\n"
          + "MIIEowIBAAKCAQEAx7f3kq9Lm2pQ\n"
          + "}\n"
          + "ab\n"
          + "   \n"
          + "Zr8tY2WvN0cJd4hXy6Qe1Ps5uB\n"
          + "-----END TEST KEY-----";

  private static final Secrets SECRETS = Secrets.of(Map.of("key", KEY, "pw", "s3cret-pa55word!"));

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String url64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyLineOfAMultiLineSecretIsMaskedOnItsOwn() {
    String out = "line: MIIEowIBAAKCAQEAx7f3kq9Lm2pQ\nlast: Zr8tY2WvN0cJd4hXy6Qe1Ps5uB\n";
    assertThat(SECRETS.mask(out))
        .isEqualTo("line: " + Secrets.MASK + "\nlast: " + Secrets.MASK + "\n");
    assertThat(SECRETS.mask(KEY)).isEqualTo(Secrets.MASK);
  }

  @Test
  void trivialLinesAndOrdinaryOutputAreLeftAlone() {
    String ordinary = "ab\n}\n   \nok: 3 services restarted {\n}\n";
    assertThat(SECRETS.mask(ordinary)).isEqualTo(ordinary);
  }

  @Test
  void theBase64FormsAreMaskedInBothAlphabetsWithAndWithoutPadding() {
    for (String secret : List.of(KEY, "s3cret-pa55word!")) {
      for (String form :
          List.of(
              b64(secret),
              b64(secret).replace("=", ""),
              url64(secret),
              Base64.getUrlEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
              b64(secret + "\n"))) { // `echo "$SECRET" | base64 -w0`
        String masked = SECRETS.mask("token " + form + " end");
        assertThat(masked).as(form).contains(Secrets.MASK).startsWith("token ").endsWith(" end");
        assertThat(masked).as(form).doesNotContain(form.substring(0, 12));
      }
    }
  }

  @Test
  void insideALongerEncodedTextTheSecretsStablePartIsMasked() {
    for (String prefix : List.of("", "u:", "user:", "admin:")) {
      String header = "Authorization: Basic " + b64(prefix + "s3cret-pa55word!");
      String masked = SECRETS.mask(header);
      assertThat(masked).as(prefix).contains(Secrets.MASK);
      // what is left cannot be decoded back to the secret, nor to most of it
      String left = masked.replace("Authorization: Basic ", "").replace(Secrets.MASK, "");
      assertThat(left.length()).as(prefix).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void aMultiLineSecretLineAndItsBase64NeverReachTheTerminalOrTheJournal() throws Exception {
    Files.writeString(dir.resolve("key.pem"), KEY + "\n");
    String plan =
        """
        upshift: 1
        name: masked
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        secrets:
          key: {file: key.pem}
        stages:
          - name: One
            steps:
              - command: |
                  printf '%s\\n' {{secret.key}} | sed -n 2p
                  printf '%s' {{secret.key}} | base64 -w0; echo
                  printf 'user:%s' {{secret.key}} | base64 -w0; echo
                  exit 3
                on: all
        """;
    TestPlans.write(
        dir,
        plan,
        """
        defaults: {version: v1}
        sites:
          s1:
            cells:
              c1:
                hosts:
                  - {name: h1, roles: [node], components: [app]}
        """);
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
            journal);
    assertThat(r.code()).isEqualTo(1);
    String line = "MIIEowIBAAKCAQEAx7f3kq9Lm2pQ";
    String encoded = b64(KEY).substring(8, 40);
    String inUser = b64("user:" + KEY).substring(12, 40);
    assertThat(r.out() + r.err())
        .contains("exit status 3")
        .contains(Secrets.MASK)
        .doesNotContain(line)
        .doesNotContain(encoded)
        .doesNotContain(inUser);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("journal.db")).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(f.toString()).doesNotContain(line, encoded, inUser);
      }
    }
  }
}
