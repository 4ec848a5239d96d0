package io.upshift.target.ssh;

import io.upshift.DebianPackages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian's openssh-server) for tests: on 127.0.0.1 on a free port, with a
 * generated host key, a generated client key in its authorized_keys, its files in a temporary
 * folder, stopped by PID. It logs in the user running the tests.
 */
public final class Sshd implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process process;

  private Sshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public int port() {
    return port;
  }

  /** The client's private key. */
  public Path clientKey() {
    return dir.resolve("client_key");
  }

  /** A known_hosts file with this server's key for 127.0.0.1 on its port. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** The server's log (one "Accepted publickey" line per login). */
  public Path log() {
    return dir.resolve("sshd.log");
  }

  public static String user() {
    return System.getProperty("user.name");
  }

  /** The home directory of logins to this server (a folder of its own, see {@link #start}). */
  public Path home() {
    return dir.resolve("home");
  }

  /** The server's process id (its session processes are its children). */
  public long pid() {
    return process.pid();
  }

  public static Sshd start() throws Exception {
    return start(List.of());
  }

  /**
   * A server with {@code extra} lines added to its configuration. Logins get a home directory of
   * their own ({@code SetEnv HOME}): the shell then reads no rc files of the user's, which on some
   * machines cost a second per login (pyenv in root's .bashrc), and what a command leaves in its
   * home stays in the server's folder.
   */
  public static Sshd start(List<String> extra) throws Exception {
    Path sshd = Path.of("/usr/sbin/sshd");
    if (!Files.isExecutable(sshd)) {
      throw DebianPackages.missing("OpenSSH's server", "openssh-server");
    }
    Path dir = Files.createTempDirectory("upshift-sshd");
    Files.createDirectories(dir.resolve("home"));
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("client_key").toString());
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    if ("root".equals(user())) {
      Files.createDirectories(Path.of("/run/sshd")); // privilege separation needs it
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            // first: for most keywords, sshd takes the first value it reads
            String.join("\n", extra),
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_key"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "MaxStartups 500:30:1000",
            "MaxSessions 100",
            "LogLevel VERBOSE",
            "SetEnv HOME=" + dir.resolve("home"),
            ""));
    String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
    String[] parts = hostKey.split(" ");
    Files.writeString(
        dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
    Process p =
        new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    Sshd server = new Sshd(dir, port, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (var socket = new Socket("127.0.0.1", port)) {
        return server;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          String log = Files.exists(server.log()) ? Files.readString(server.log()) : "";
          server.close();
          throw new IllegalStateException("sshd did not start:\n" + log);
        }
        Thread.sleep(50);
      }
    }
  }

  /** Logins the server accepted so far. */
  public long logins() throws IOException {
    return Files.readAllLines(log()).stream().filter(l -> l.contains("Accepted publickey")).count();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** Stops the server by its PID and removes its folder. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
