package io.upshift.target.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH target under fire, on a real sshd: many hosts at once, logins that stall in each phase,
 * commands that hang, connections that drop while a command runs, and host keys that must not be
 * trusted. Each failure must be named for what it is, and nothing may be left running.
 */
class SshFaultsTest {
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

  /** An inventory of {@code hosts} hosts at {@code address}:{@code port}. */
  private static String inventory(int hosts, String address, int port) {
    return "upshift-inventory: 1\ndefaults: {version: v1, port: "
        + port
        + ", user: "
        + Sshd.user()
        + "}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n"
        + "          - name: h[1:"
        + hosts
        + "]\n            address: "
        + address
        + "\n            roles: [node]\n            components: [app]\n";
  }

  private static String plan(String steps) {
    return "upshift: 1\nname: faults\ninventory: inventory.yaml\nreleases: [v1, v2]\n"
        + "from: v1\nto: v2\nstages:\n  - name: One\n    steps:\n"
        + steps;
  }

  private Cli.Result run(String steps, String inventory, String... options) {
    TestPlans.write(dir, plan(steps.replace("DIR", dir.toString())), inventory);
    List<String> given = List.of(options);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                dir.toString(),
                "--target",
                "ssh",
                "--progress",
                "none",
                "--journal",
                dir.resolve("journal.db").toString()));
    String[][] defaults = {
      {"--identity", sshd.clientKey().toString()},
      {"--known-hosts", sshd.knownHosts().toString()},
      {"--ssh-config", "none"}
    };
    for (String[] d : defaults) {
      if (!given.contains(d[0])) {
        args.addAll(List.of(d));
      }
    }
    args.addAll(given);
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void twoHundredHostsInOneStepWithoutWavesAllSucceedWithOneLoginEach() throws Exception {
    long before = sshd.logins();
    Cli.Result r =
        run(
            "      - command: \"echo {{host}} >> DIR/ran.txt\"\n        on: all\n"
                + "      - command: \"true\"\n",
            inventory(200, "127.0.0.1", sshd.port()));
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ran.txt"))).hasSize(200).doesNotHaveDuplicates();
    assertThat(sshd.logins() - before).as("one login per host for both steps").isEqualTo(200);
  }

  @Test
  void aStalledTcpConnectionIsNamedAsSuch() throws Exception {
    // a listener whose accept queue is full: the kernel drops further SYNs, as a firewall would
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<SocketChannel> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          SocketChannel c = SocketChannel.open();
          c.configureBlocking(false);
          c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()));
          fillers.add(c);
        }
        Cli.Result r =
            run(
                "      - command: \"true\"\n        on: all\n",
                inventory(1, "127.0.0.1", full.getLocalPort()),
                "--connect-timeout",
                "1s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("timed out connecting").contains("1s");
      } finally {
        for (SocketChannel c : fillers) {
          c.close();
        }
      }
    }
  }

  @Test
  void aPeerThatNeverSpeaksAndOneThatStallsTheKeyExchangeAreNamed() throws Exception {
    try (Silent silent = new Silent(null);
        Silent greeting = new Silent("SSH-2.0-OpenSSH_9.2p1 Stalling\r\n")) {
      Cli.Result r =
          run(
              "      - command: \"true\"\n        on: all\n",
              inventory(1, "127.0.0.1", silent.port()),
              "--login-timeout",
              "1s");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).contains("timed out waiting for the SSH server's greeting");
      Cli.Result kex =
          run(
              "      - command: \"true\"\n        on: all\n",
              inventory(1, "127.0.0.1", greeting.port()),
              "--login-timeout",
              "1s");
      assertThat(kex.code()).isEqualTo(1);
      assertThat(kex.out()).contains("timed out in the key exchange with SSH-2.0-OpenSSH_9.2p1");
    }
  }

  @Test
  void aStalledAuthenticationIsNamed() throws Exception {
    // sshd asks a command for the user's keys, and the command takes its time
    try (Sshd slow =
        Sshd.start(
            List.of(
                "AuthorizedKeysCommand /usr/bin/sleep 20",
                "AuthorizedKeysCommandUser nobody",
                "AuthorizedKeysFile none"))) {
      TestPlans.write(dir, plan("      - command: \"true\"\n        on: all\n"), "");
      Cli.Result r =
          Cli.run(
              "run",
              TestPlans.write(
                      dir,
                      plan("      - command: \"true\"\n        on: all\n"),
                      inventory(1, "127.0.0.1", slow.port()))
                  .toString(),
              "--target",
              "ssh",
              "--progress",
              "none",
              "--no-journal",
              "--identity",
              slow.clientKey().toString(),
              "--known-hosts",
              slow.knownHosts().toString(),
              "--ssh-config",
              "none",
              "--login-timeout",
              "2s");
      assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
      assertThat(r.out()).contains("timed out authenticating");
    }
  }

  @Test
  void anUnresolvableNameIsSaidInWords() {
    Cli.Result r =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "no-such-host.invalid", 22));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("`no-such-host.invalid` cannot be resolved")
        .doesNotContain("UnresolvedAddressException");
  }

  @Test
  void aTimedOutCommandHasItsWholeProcessGroupEnded() throws Exception {
    String tag =
        "upshift-fault-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    Cli.Result r =
        run(
            "      - command: \"sleep 301 # "
                + tag
                + "\n          & sh -c 'trap \\\"\\\" TERM; sleep 302 # "
                + tag
                + "' & sleep 303; echo never >> DIR/ended.txt\"\n"
                + "        on: all\n        timeout: 2s\n",
            inventory(2, "127.0.0.1", sshd.port()),
            "--kill-grace",
            "1s");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
    assertThat(r.out()).contains("timed out after 2s").contains("its processes were ended");
    assertThat(dir.resolve("ended.txt")).doesNotExist();
    assertThat(processesMentioning(tag)).as("left running on the host").isEmpty();
  }

  @Test
  void anAbortEndsTheCommandsRunningOnTheHosts() throws Exception {
    String tag =
        "upshift-abort-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    var running =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "      - command: \"sleep 311 # "
                        + tag
                        + "\"\n        on: all\n        timeout: 5m\n",
                    inventory(2, "127.0.0.1", sshd.port())));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (processesMentioning("sleep 311 # " + tag).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100); // real processes on a real host: nothing to wait on but the host
    }
    assertThat(processesMentioning("sleep 311 # " + tag)).hasSize(2);
    var said = new ByteArrayOutputStream();
    try (var out = new PrintStream(said, true, StandardCharsets.UTF_8)) {
      int code =
          Main.run(
              new String[] {"abort", "last", "--journal", dir.resolve("journal.db").toString()},
              out,
              out);
      assertThat(code).as(said.toString(StandardCharsets.UTF_8)).isZero();
    }
    Cli.Result r = running.get(60, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
    assertThat(r.out()).contains("ABORTED").contains("the run was aborted while it ran");
    assertThat(processesMentioning(tag)).as("left running on the host").isEmpty();
  }

  @Test
  void aDroppedConnectionIsSettledFromTheHostsRecordOfTheCommand() throws Exception {
    long before = sshd.logins();
    // the command cuts its own connection (it kills the sshd process serving it), then ends well
    Cli.Result r =
        run(
            "      - command: \"kill -9 $PPID; sleep 1; echo done {{host}} >> DIR/ran.txt\"\n"
                + "        on: all\n",
            inventory(2, "127.0.0.1", sshd.port()));
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ran.txt")))
        .containsExactlyInAnyOrder("done h1", "done h2");
    assertThat(sshd.logins() - before).as("each host logged in again after the drop").isEqualTo(4);
  }

  @Test
  void aDroppedConnectionWithNoRecordOfTheEndIsInDoubtAndThePolicySettlesIt() throws Exception {
    // the first time, the command cuts its connection and its own shell: nothing can tell
    // whether it ran; `in-doubt: rerun` runs it again, and it goes through
    String steps =
        "      - command: \"if [ ! -e DIR/cut-{{host}} ]; then touch DIR/cut-{{host}};"
            + " kill -9 $PPID; kill -9 0; fi; echo ran {{host}} >> DIR/ran.txt\"\n"
            + "        on: all\n        in-doubt: rerun\n";
    Cli.Result r = run(steps, inventory(2, "127.0.0.1", sshd.port()));
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ran.txt")))
        .containsExactlyInAnyOrder("ran h1", "ran h2");
    Cli.Result shown = Cli.run("show", "last", "--journal", dir.resolve("journal.db").toString());
    assertThat(shown.out() + shown.err()).contains("in doubt");
  }

  @Test
  void aCommandInDoubtThatAsksTheOperatorPausesTheRunUntilResumeSaysWhatHappened()
      throws Exception {
    String steps =
        "      - command: \"touch DIR/cut-{{host}}; kill -9 $PPID $$\"\n        on: host=h1\n"
            + "      - command: \"echo after >> DIR/ran.txt\"\n        on: host=h1\n";
    Cli.Result r = run(steps, inventory(1, "127.0.0.1", sshd.port()));
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(3);
    assertThat(r.out() + r.err()).contains("in doubt").contains("--in-doubt");
    assertThat(dir.resolve("ran.txt")).doesNotExist();
    Cli.Result asked = Cli.run("resume", "last", "--journal", dir.resolve("journal.db").toString());
    assertThat(asked.code()).isEqualTo(1);
    assertThat(asked.err()).contains("h1").contains("--in-doubt");
    Cli.Result resumed =
        Cli.run(
            "resume",
            "last",
            "--journal",
            dir.resolve("journal.db").toString(),
            "--in-doubt",
            "done",
            "--progress",
            "none");
    assertThat(resumed.code()).as(resumed.err() + resumed.out()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ran.txt"))).containsExactly("after");
  }

  @Test
  void aRevokedOrChangedHostKeyIsRefusedNamingTheKnownHostsLine() throws Exception {
    String key = Files.readString(sshd.knownHosts()).strip();
    String entry = key.substring(key.indexOf(' ') + 1);
    Path revoked = dir.resolve("revoked_hosts");
    Files.writeString(revoked, "# keys\n@revoked [127.0.0.1]:" + sshd.port() + " " + entry + "\n");
    Cli.Result r =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "127.0.0.1", sshd.port()),
            "--known-hosts",
            revoked.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("is revoked").contains(revoked + ":2");

    Path other = dir.resolve("other_key");
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
            .start();
    assertThat(p.waitFor()).isZero();
    String otherKey = Files.readString(Path.of(other + ".pub")).strip();
    Path changed = dir.resolve("changed_hosts");
    Files.writeString(
        changed,
        "\n# the host as it was\n[127.0.0.1]:"
            + sshd.port()
            + " "
            + otherKey.substring(0, otherKey.lastIndexOf(' '))
            + "\n");
    Cli.Result c =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "127.0.0.1", sshd.port()),
            "--known-hosts",
            changed.toString());
    assertThat(c.code()).isEqualTo(1);
    assertThat(c.out()).contains("host key mismatch").contains(changed + ":3");
  }

  @Test
  void newHostKeysAreAppendedWithoutABlankLine() throws Exception {
    Path known = dir.resolve("known_hosts");
    Files.writeString(known, "# mine\n");
    Cli.Result r =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "127.0.0.1", sshd.port()),
            "--known-hosts",
            known.toString(),
            "--accept-new-host-keys");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    List<String> lines = Files.readAllLines(known);
    assertThat(lines).hasSize(2).noneMatch(String::isBlank);
  }

  @Test
  void aMissingIdentityFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("no-such-key");
    Cli.Result r =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "127.0.0.1", sshd.port()),
            "--identity",
            missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void matchBlocksAndProxyCommandInTheSshConfigAreSkippedWithAWarningNamingTheLine()
      throws Exception {
    Path config = dir.resolve("ssh_config");
    Files.writeString(
        config,
        "Host *\n  ServerAliveInterval 30\nMatch exec \"true\"\n  User nobody\n"
            + "Host other\n  ProxyCommand nc %h %p\n");
    Cli.Result r =
        run(
            "      - command: \"true\"\n        on: all\n",
            inventory(1, "127.0.0.1", sshd.port()),
            "--ssh-config",
            config.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.err())
        .contains(config + ":3:1: warning[ssh-config]: `Match` blocks are not applied")
        .contains(config + ":6:3: warning[ssh-config]: `ProxyCommand` is not applied");
  }

  /** Processes on this machine (the test host) whose command line mentions {@code tag}. */
  private static List<String> processesMentioning(String tag) throws Exception {
    Process ps = new ProcessBuilder("ps", "-eo", "pid,args").redirectErrorStream(true).start();
    String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor(10, TimeUnit.SECONDS);
    return out.lines().filter(l -> l.contains(tag) && !l.contains("ps -eo")).toList();
  }

  /**
   * A TCP listener that accepts connections and says {@code greeting} (or nothing), then no more.
   */
  private static final class Silent implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();
    private final Thread acceptor;

    Silent(String greeting) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket s = server.accept();
                        synchronized (accepted) {
                          accepted.add(s);
                        }
                        if (greeting != null) {
                          OutputStream o = s.getOutputStream();
                          o.write(greeting.getBytes(StandardCharsets.US_ASCII));
                          o.flush();
                        }
                        Thread.ofVirtual().start(() -> drain(s));
                      }
                    } catch (IOException e) {
                      // closed
                    }
                  });
    }

    private static void drain(Socket s) {
      try (InputStream in = s.getInputStream()) {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // closed
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
      acceptor.interrupt();
    }
  }
}
