package io.upshift.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.source.Problem;
import io.upshift.source.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory's {@code ssh:} block: read when valid, each bad value positioned and explained. */
class SshSettingsTest {
  @TempDir Path dir;

  private static final String HOSTS =
      "sites:\n  s:\n    cells:\n      c:\n        hosts:\n          - name: h1\n";

  private Inventory load(String text, Problems problems) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, text);
    return InventoryLoader.load(file, problems);
  }

  @Test
  void valuesAreReadAndTheRestIsLeftToTheCommandLine() throws Exception {
    Problems problems = new Problems();
    Inventory inv =
        load(
            "ssh: {connect-timeout: 2s, max-connecting: 8, kill-grace: 1m30s}\n" + HOSTS, problems);
    assertThat(problems.hasErrors()).isFalse();
    assertThat(inv.ssh()).isEqualTo(new SshSettings(2_000L, null, 8, null, 90_000L));
    SshSettings cli = new SshSettings(null, 5_000L, 4, null, null);
    assertThat(cli.or(inv.ssh())).isEqualTo(new SshSettings(2_000L, 5_000L, 4, null, 90_000L));
  }

  @Test
  void anInventoryWithoutItSaysNothing() throws Exception {
    Problems problems = new Problems();
    assertThat(load(HOSTS, problems).ssh()).isEqualTo(SshSettings.NONE);
  }

  @Test
  void badValuesArePositioned() throws Exception {
    Problems problems = new Problems();
    load(
        "ssh:\n  connect-timeout: soon\n  max-connecting: 0\n  login-timout: 3s\n" + HOSTS,
        problems);
    assertThat(problems.sorted())
        .extracting(Problem::render)
        .anySatisfy(p -> assertThat(p).contains(":2:").contains("connect-timeout"))
        .anySatisfy(p -> assertThat(p).contains(":3:").contains("max-connecting"))
        .anySatisfy(p -> assertThat(p).contains(":4:").contains("login-timout"));
  }
}
