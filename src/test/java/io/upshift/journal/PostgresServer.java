package io.upshift.journal;

import io.upshift.DebianPackages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from Debian's packages for tests: a fresh cluster in a temporary folder,
 * listening on 127.0.0.1 on a free port, stopped by its PID. As root it runs as the {@code
 * postgres} user (PostgreSQL refuses root).
 */
@SuppressWarnings("try")
final class PostgresServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final long pid;

  private PostgresServer(Path dir, int port, long pid) {
    this.dir = dir;
    this.port = port;
    this.pid = pid;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=upshift";
  }

  static PostgresServer start() throws Exception {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("upshift-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", "postgres", dir.toString()), false);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "upshift",
            "-E",
            "UTF8",
            "--no-sync"),
        root);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p "
                    + port
                    + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                    + dir
                    + " -c max_connections=30",
                "start"));
    run(cmd, root);
    long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    PostgresServer server = new PostgresServer(dir, port, pid);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (var c = DriverManager.getConnection(server.jdbcUrl())) {
        return server;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException("PostgreSQL did not answer on port " + port, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The newest installed server binaries: /usr/lib/postgresql/N/bin. */
  private static Path binaries() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      throw DebianPackages.missing("PostgreSQL", "postgresql");
    }
    try (var versions = Files.list(base)) {
      return versions
          .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + base));
    }
  }

  private static void run(List<String> command, boolean asPostgres) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  /** Stops the server by its PID (fast shutdown) and removes its folder. */
  @Override
  public void close() throws Exception {
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              try {
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
                h.onExit().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                h.destroyForcibly();
              }
            });
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
