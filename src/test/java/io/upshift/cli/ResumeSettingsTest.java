package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a resumed run keeps of the SSH settings it started with. */
class ResumeSettingsTest {
  @TempDir Path dir;

  @Test
  void theAgentAndConfigurationARunStartedWithAreKept() throws Exception {
    Path socket = Files.createFile(dir.resolve("agent.sock"));
    Path config = dir.resolve("ssh_config");
    var kept =
        RunDriver.Settings.ssh(
            "known-hosts="
                + dir.resolve("kh")
                + "\nssh-agent="
                + socket
                + "\nssh-config="
                + config
                + "\n");
    assertThat(kept.agent()).isEqualTo(socket);
    assertThat(kept.config()).isEqualTo(config);
    assertThat(kept.knownHosts()).isEqualTo(dir.resolve("kh"));
  }

  @Test
  void aRunStartedWithoutAnAgentOrConfigurationResumesWithout() {
    var kept = RunDriver.Settings.ssh("ssh-agent=none\nssh-config=none\n");
    assertThat(kept.agent()).isNull();
    assertThat(kept.config()).isNull();
  }

  @Test
  void anAgentThatIsGoneGivesWayToTheCurrentOne() {
    var kept = RunDriver.Settings.ssh("ssh-agent=" + dir.resolve("gone.sock") + "\n");
    String env = System.getenv("SSH_AUTH_SOCK");
    Path current = env == null || !Files.exists(Path.of(env)) ? null : Path.of(env);
    assertThat(kept.agent()).isEqualTo(current);
  }
}
