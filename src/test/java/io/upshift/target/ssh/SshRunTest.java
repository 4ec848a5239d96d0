package io.upshift.target.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.upshift.Cli;
import io.upshift.TestPlans;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans run over real SSH (OpenSSH's sshd on loopback), with host keys checked strictly. */
class SshRunTest {
  private static Sshd sshd;

  @TempDir Path dir;

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

  private String inventory(int hosts) {
    return "defaults: {version: v1, port: "
        + sshd.port()
        + ", user: "
        + Sshd.user()
        + "}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n"
        + "          - name: h[1:"
        + hosts
        + "]\n            address: 127.0.0.1\n            roles: [node]\n            components: [app]\n"
        + "            labels: {note: \"$(touch pwned); `touch pwned2` 'q'\"}\n";
  }

  private static final String PLAN =
      """
      upshift: 1
      name: over ssh
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: Roll
          steps:
            - stop: app
              run: "echo stop {{host}} >> {{label.note}}-$UPSHIFT_HOST.ignored; echo stop {{host}} >> LEDGER"
              waves: {batch: 2}
            - upgrade: app
              run: "echo upgrade {{host}} {{version}} >> LEDGER"
            - start: app
              run: "echo start $UPSHIFT_HOST >> LEDGER"
              check: "grep -qx \\"start $UPSHIFT_HOST\\" LEDGER"
            - command: "test {{host}} != h3"
              waves: {max-failures: 1}
      """;

  private Cli.Result run(String plan, String... extra) {
    TestPlans.write(
        dir, plan.replace("LEDGER", dir.resolve("ledger.txt").toString()), inventory(3));
    String[] base = {
      "run",
      dir.toString(),
      "--target",
      "ssh",
      "--progress",
      "none",
      "--identity",
      sshd.clientKey().toString(),
      "--journal",
      dir.resolve("journal.db").toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  /** Writes PLAN with the ledger in the test's folder, over this inventory. */
  private void write(String inventory) {
    TestPlans.write(dir, PLAN.replace("LEDGER", dir.resolve("ledger.txt").toString()), inventory);
  }

  /** {@code upshift run} of the plan in the test's folder over SSH, unjournaled, with options. */
  private Cli.Result runWritten(String... options) {
    String[] base = {
      "run", dir.toString(), "--target", "ssh", "--progress", "none", "--no-journal"
    };
    return Cli.run(concat(base, options));
  }

  @Test
  void aPlanRunsOverSshAndDoesWhatItsFilesSay() throws Exception {
    long before = sshd.logins();
    Cli.Result r = run(PLAN, "--known-hosts", sshd.knownHosts().toString());
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1); // h3 fails the last step, in budget
    List<String> ledger = Files.readAllLines(dir.resolve("ledger.txt"));
    assertThat(ledger.subList(0, 6))
        .as("stop in two waves, then the upgrade")
        .containsExactlyInAnyOrder(
            "stop h1", "stop h2", "stop h3", "upgrade h1 v2", "upgrade h2 v2", "upgrade h3 v2");
    assertThat(ledger.subList(0, 2)).containsExactlyInAnyOrder("stop h1", "stop h2");
    assertThat(ledger).contains("start h1", "start h2", "start h3");
    assertThat(r.out()).contains("h3").contains("exit status 1");
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(Path.of(System.getProperty("user.home")).resolve("pwned")).doesNotExist();
    assertThat(Path.of(System.getProperty("user.home")).resolve("pwned2")).doesNotExist();
    assertThat(sshd.logins() - before)
        .as("one connection per host, kept across steps")
        .isEqualTo(3);
  }

  @Test
  void anUnknownHostKeyIsRefusedByDefault() throws Exception {
    Path empty = dir.resolve("empty_known_hosts");
    Files.writeString(empty, "");
    Cli.Result r = run(PLAN, "--known-hosts", empty.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("unknown host key").contains("--accept-new-host-keys");
    assertThat(dir.resolve("ledger.txt")).doesNotExist();
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWhenNewOnesAreAccepted() throws Exception {
    Path other = dir.resolve("other_key");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
        .start()
        .waitFor();
    String[] key = Files.readString(dir.resolve("other_key.pub")).trim().split(" ");
    Path wrong = dir.resolve("wrong_known_hosts");
    Files.writeString(wrong, "[127.0.0.1]:" + sshd.port() + " " + key[0] + " " + key[1] + "\n");
    Cli.Result r = run(PLAN, "--known-hosts", wrong.toString(), "--accept-new-host-keys");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("host key mismatch");
    assertThat(dir.resolve("ledger.txt")).doesNotExist();
  }

  @Test
  void acceptingNewHostKeysRecordsThem() throws Exception {
    Path fresh = dir.resolve("fresh_known_hosts");
    Files.writeString(fresh, "");
    Cli.Result r = run(PLAN, "--known-hosts", fresh.toString(), "--accept-new-host-keys");
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(Files.readString(fresh)).contains("ssh-ed25519");
  }

  @Test
  void anUnreachableHostFailsWithTheReasonNotAHang() throws Exception {
    write(inventory(3).replace("port: " + sshd.port(), "port: 1"));
    Cli.Result r =
        runWritten(
            "--identity",
            sshd.clientKey().toString(),
            "--known-hosts",
            sshd.knownHosts().toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("cannot reach").contains("connection refused");
  }

  @Test
  void execGroupsHostsByWhatCameBack() throws Exception {
    TestPlans.write(dir, PLAN, inventory(3));
    String[] common = {
      "-i",
      dir.resolve("inventory.yaml").toString(),
      "--identity",
      sshd.clientKey().toString(),
      "--known-hosts",
      sshd.knownHosts().toString()
    };
    Cli.Result r =
        Cli.run(
            concat(
                new String[] {"exec", "all"},
                common,
                new String[] {"--", "echo hi; echo {{label.note}}; test {{host}} != h2"}));
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("2 host(s): ok:\n    hi\n    $(touch pwned); `touch pwned2` 'q'\n  h1, h3")
        .contains("1 host(s): exit status 1:")
        .contains("  h2")
        .contains("3 host(s), 1 failed");
    assertThat(Path.of(System.getProperty("user.home")).resolve("pwned")).doesNotExist();

    // a command that reads its input gets the end of it at once, as with ssh -n
    Cli.Result reads =
        Cli.run(
            concat(
                new String[] {"exec", "host=h1", "--timeout", "20s"},
                common,
                new String[] {"--", "cat; echo read-to-the-end"}));
    assertThat(reads.code()).as(reads.err()).isZero();
    assertThat(reads.out()).contains("read-to-the-end");

    Cli.Result json =
        Cli.run(
            concat(
                new String[] {"exec", "role=node", "--json", "-f", "2"},
                common,
                new String[] {"--", "true"}));
    assertThat(json.code()).isZero();
    assertThat(json.out()).contains("\"count\" : 3").contains("\"failed\" : 0");
    assertThat(
            Cli.run(concat(new String[] {"exec", "rol=node"}, common, new String[] {"--", "true"}))
                .err())
        .contains("error[unknown-selector]")
        .contains("did you mean");
    assertThat(
            Cli.run(concat(new String[] {"exec", "role=nope"}, common, new String[] {"--", "true"}))
                .err())
        .contains("`role=nope` selects no host");
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  @Test
  void httpChecksAndSecretsWorkOverSsh() throws Exception {
    String canary = "canary-ssh-91c2";
    Files.writeString(dir.resolve("token.txt"), canary);
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/health",
        ex -> {
          byte[] body = "ok".getBytes();
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    try {
      String plan =
          """
          upshift: 1
          name: http over ssh
          inventory: inventory.yaml
          releases: [v1, v2]
          from: v1
          to: v2
          secrets:
            token: {file: token.txt}
          stages:
            - name: One
              steps:
                - command: "echo {{secret.token}} >> LEDGER; tr '\\\\0' ' ' < /proc/$$/cmdline >> LEDGER.argv"
                  on: all
                - check: {http: "http://127.0.0.1:PORT/health", expect: 200}
                - command: "echo said {{secret.token}}; exit 1"
                  waves: {max-failures: 100%}
          """
              .replace("PORT", Integer.toString(http.getAddress().getPort()));
      Cli.Result r = run(plan, "--known-hosts", sshd.knownHosts().toString());
      assertThat(Files.readString(dir.resolve("ledger.txt"))).contains(canary);
      assertThat(Files.readString(dir.resolve("ledger.txt.argv")))
          .as("the shell sshd started for the command had the secret on its input, not its line")
          .contains("UPSHIFT_SECRET_1")
          .doesNotContain(canary);
      assertThat(r.out() + r.err()).doesNotContain(canary);
      assertThat(new String(Files.readAllBytes(dir.resolve("journal.db")), "ISO-8859-1"))
          .doesNotContain(canary);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out())
          .as("the HTTP check passed on every host; only the last step failed")
          .contains("Host-steps: 9 in all, 6 succeeded, 3 failed");
    } finally {
      http.stop(0);
    }
  }

  private static final String REBOOT =
      """
      upshift: 1
      name: reboot over ssh
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: Reboot
          steps:
            - reboot: true
              on: host=h1
              run: "COMMAND"
              timeout: 6s
            - command: "echo after {{host}} >> LEDGER"
      """;

  /**
   * A reboot waits until the host answers with a new boot id, over a new connection. The test's
   * "reboot" changes the boot id a real reboot would change (read from a file here); a host whose
   * boot id stays the same fails the step once its timeout has passed.
   */
  @Test
  void aRebootWaitsUntilTheHostIsBackWithANewBootId() throws Exception {
    Path boot = dir.resolve("boot-id");
    System.setProperty("upshift.ssh.bootIdCommand", "cat " + boot + " 2>/dev/null || echo first");
    try {
      long before = sshd.logins();
      Cli.Result r =
          run(
              REBOOT.replace("COMMAND", "echo second > " + boot),
              "--known-hosts",
              sshd.knownHosts().toString());
      assertThat(r.code()).as(r.err() + r.out()).isZero();
      assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).containsExactly("after h1");
      assertThat(sshd.logins() - before)
          .as("the first session, one to see the new boot id, one for the next step")
          .isEqualTo(3);

      Cli.Result same =
          run(REBOOT.replace("COMMAND", "true"), "--known-hosts", sshd.knownHosts().toString());
      assertThat(same.code()).isEqualTo(1);
      assertThat(same.out())
          .contains("h1")
          .contains("the host answers with the boot id it had before: it did not reboot");
      assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).containsExactly("after h1");
    } finally {
      System.clearProperty("upshift.ssh.bootIdCommand");
    }
  }

  @Test
  void hostsCanBeReachedThroughAJumpHost() throws Exception {
    long before = sshd.logins();
    String jump = Sshd.user() + "@127.0.0.1:" + sshd.port();
    write(inventory(3).replace("defaults: {", "defaults: {jump: \"" + jump + "\", "));
    Cli.Result r =
        runWritten(
            "--identity",
            sshd.clientKey().toString(),
            "--known-hosts",
            sshd.knownHosts().toString());
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1); // h3 fails the last step, in budget
    assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).contains("start h1", "start h3");
    assertThat(sshd.logins() - before)
        .as("each host: a login to the jump host, then one through it to the host")
        .isEqualTo(6);
  }

  @Test
  void keysCanComeFromAnSshAgent() throws Exception {
    Path socket = dir.resolve("agent.sock");
    Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).start();
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ProcessBuilder add =
          new ProcessBuilder("ssh-add", sshd.clientKey().toString()).redirectErrorStream(true);
      add.environment().put("SSH_AUTH_SOCK", socket.toString());
      Process added = add.start();
      String said = new String(added.getInputStream().readAllBytes());
      assertThat(added.waitFor()).as(said).isZero();
      write(inventory(3));
      String[] options = {
        "--ssh-config",
        "none",
        "--known-hosts",
        sshd.knownHosts().toString(),
        "--ssh-agent",
        socket.toString()
      };
      Cli.Result r = runWritten(options);
      assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1); // h3 fails the last step
      assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).contains("start h1", "start h3");

      options[options.length - 1] = "none";
      Cli.Result without = runWritten(options);
      assertThat(without.code()).isEqualTo(1);
      assertThat(without.out()).contains("authentication failed");
    } finally {
      agent.destroy();
    }
  }

  @Test
  void opensshClientConfigurationAppliesToHostAddresses() throws Exception {
    Path config = dir.resolve("ssh_config");
    Files.writeString(config, "Host lab-*\n  HostName 127.0.0.1\n  Port " + sshd.port() + "\n");
    write(
        inventory(3)
            .replace(", port: " + sshd.port(), "")
            .replace("address: 127.0.0.1", "address: lab-node"));
    String[] args = {
      "--identity",
      sshd.clientKey().toString(),
      "--known-hosts",
      sshd.knownHosts().toString(),
      "--ssh-config",
      config.toString()
    };
    Cli.Result r = runWritten(args);
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1); // h3 fails the last step
    assertThat(dir.resolve("ledger.txt")).as(r.out()).exists();
    assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).contains("start h1", "start h3");

    args[args.length - 1] = "none";
    Cli.Result without = runWritten(args);
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.out()).contains("cannot reach root@lab-node:22");
  }
}
