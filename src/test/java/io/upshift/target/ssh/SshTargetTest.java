package io.upshift.target.ssh;

import io.upshift.clock.RunClock;
import io.upshift.clock.WallClock;
import io.upshift.engine.Target;
import io.upshift.inventory.SshSettings;
import io.upshift.plan.Plan;
import io.upshift.target.TargetContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Real hosts over SSH (OpenSSH's sshd on loopback) keep the target contract. */
class SshTargetTest extends TargetContract {
  private static Sshd sshd;
  private final WallClock clock = new WallClock();

  @BeforeAll
  static void startSshd() throws Exception {
    sshd = Sshd.start();
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Override
  protected RunClock clock() {
    return clock;
  }

  @Override
  protected String inventory() {
    return super.inventory()
        .replace(
            "defaults: {version: v1}",
            "defaults: {version: v1, port: " + sshd.port() + ", user: " + Sshd.user() + "}")
        .replace(
            "            roles: [node]",
            "            address: 127.0.0.1\n            roles: [node]");
  }

  @Override
  protected Target target(Plan plan, RunClock clock) {
    var d = SshTarget.Settings.defaults();
    return new SshTarget(
        plan,
        clock,
        new SshTarget.Settings(
            sshd.knownHosts(),
            false,
            List.of(sshd.clientKey()),
            true,
            null,
            null,
            SshSettings.NONE,
            d.outputCap(),
            true));
  }

  @Override
  protected String steps() {
    return "      - command: \"echo {{host}} >> ran.txt\"\n        on: role=node\n"
        + "      - command: \"echo failing on {{host}}; exit 3\"\n"
        + "      - check: \"test -n {{host}}\"\n";
  }
}
