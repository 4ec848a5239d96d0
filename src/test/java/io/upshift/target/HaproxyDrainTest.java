package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.DebianPackages;
import io.upshift.TestPlans;
import io.upshift.engine.Outcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in drain and undrain through a real HAProxy's runtime API (Debian's haproxy, started in a
 * temporary folder on 127.0.0.1, stopped by PID).
 */
class HaproxyDrainTest {
  @TempDir Path dir;
  private int api;
  private long pid;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void startHaproxy() throws Exception {
    start("web");
  }

  private void start(String frontend) throws Exception {
    Path haproxy = Path.of("/usr/sbin/haproxy");
    if (!Files.isExecutable(haproxy)) {
      throw DebianPackages.missing("HAProxy", "haproxy");
    }
    api = freePort();
    Files.writeString(
        dir.resolve("haproxy.cfg"),
        String.join(
            "\n",
            "global",
            "  stats socket ipv4@127.0.0.1:" + api + " level admin",
            "defaults",
            "  mode http",
            "  timeout connect 1s",
            "  timeout client 5s",
            "  timeout server 5s",
            "frontend " + frontend,
            "  bind 127.0.0.1:" + freePort(),
            "  default_backend app",
            "backend app",
            "  server h1 127.0.0.1:1",
            "  server h2 127.0.0.1:2",
            "  server h3 127.0.0.1:3 check inter 100 fall 1",
            ""));
    Process p =
        new ProcessBuilder(
                haproxy.toString(),
                "-D",
                "-p",
                dir.resolve("haproxy.pid").toString(),
                "-f",
                dir.resolve("haproxy.cfg").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("haproxy.log"))).isZero();
    pid = Long.parseLong(Files.readString(dir.resolve("haproxy.pid")).trim());
  }

  @AfterEach
  void stopHaproxy() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  /** Each server's admin state: 8 is drained, 0 is ready. */
  private List<String> adminStates() {
    Outcome o = Haproxy.send("127.0.0.1:" + api, "show servers state app", 5_000);
    // "show" answers with text: the failure carries it
    return Arrays.stream(o.output().split("\n"))
        .filter(l -> l.startsWith("3 app") || l.matches("^\\d+ app .*"))
        .map(l -> l.split(" ")[3] + "=" + l.split(" ")[6])
        .toList();
  }

  private Path plan(String steps, String server) {
    String plan =
        """
        upshift: 1
        name: drain
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        components:
          app: {service: app, balancer: {haproxy: "127.0.0.1:API", backend: app, server: "SERVER"}}
        stages:
          - name: Roll
            steps:
        """
                .replace("API", Integer.toString(api))
                .replace("SERVER", server)
            + steps;
    String inventory =
        "defaults: {version: v1}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n"
            + "          - name: h[1:3]\n            roles: [node]\n            components: [app]\n";
    return TestPlans.write(dir.resolve("plan"), plan, inventory);
  }

  private Cli.Result run(Path plan) {
    return Cli.run(
        "run", plan.toString(), "--target", "local", "--progress", "none", "--no-journal");
  }

  @Test
  void drainAndUndrainSetTheServersStateInHaproxy() {
    assertThat(adminStates()).containsExactly("h1=0", "h2=0", "h3=0");
    Cli.Result drained =
        run(plan("          - drain: app\n            on: host=h1|h2\n", "{{host}}"));
    assertThat(drained.code()).as(drained.out() + drained.err()).isZero();
    assertThat(adminStates()).containsExactly("h1=8", "h2=8", "h3=0");
    Cli.Result undrained =
        run(plan("          - undrain: app\n            on: host=h1\n", "{{host}}"));
    assertThat(undrained.code()).isZero();
    assertThat(adminStates()).containsExactly("h1=0", "h2=8", "h3=0");
  }

  @Test
  void aDrainWhoseStatisticsListNoSuchServerFailsInsteadOfPassingUnwaited() throws Exception {
    // a frontend named like the backend: `show stat app` answers for the frontend, no servers
    stopHaproxy();
    start("app");
    Cli.Result r = run(plan("          - drain: app\n            on: host=h1\n", "{{host}}"));
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .contains("HAProxy's statistics for `app` list no server `h1`")
        .contains("frontend");
  }

  @Test
  void aServerHaproxyDoesNotKnowFailsTheHostWithHaproxysAnswer() {
    Cli.Result r = run(plan("          - drain: app\n            on: all\n", "web-{{host}}"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("HAProxy refused `set server app/web-h1 state drain`: No such server.");
    assertThat(adminStates()).containsExactly("h1=0", "h2=0", "h3=0");
  }

  @Test
  void anUndrainWaitsForTheServerToBeUpAndFailsWhenItsHealthCheckFails() {
    Cli.Result r =
        run(
            plan(
                "          - undrain: app\n            on: host=h3\n            timeout: 1s\n",
                "{{host}}"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("app/h3 did not come back UP in time: status DOWN")
        .contains("(its health check fails)");
  }
}
