package io.upshift.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab (lab/README.md) for tests: a real fleet on fixed loopback addresses, started by {@code
 * lab/up} and stopped by {@code lab/down}. Hosts: {@code db-1} (PostgreSQL) and {@code web-1..4}
 * (the lab service, v1 at first), each reachable over ssh on port 2222 with {@link #clientKey()}
 * and {@link #knownHosts()}; HAProxy in front at {@link #frontUrl()}.
 *
 * <pre>{@code
 * try (Lab lab = Lab.up()) {
 *   Process load = lab.startLoad(untilFile, 8);
 *   ... upgrade ...
 *   Lab.LoadResult r = lab.stopLoad(load, untilFile);
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {
  public static final String FRONT = "127.77.0.1";
  public static final int SSH_PORT = 2222;
  public static final int WEB_PORT = 8080;
  public static final int DB_PORT = 5432;
  public static final int API_PORT = 9999;
  public static final String DB_NAME = "lab";
  public static final String DB_USER = "lab";
  public static final String DB_PASSWORD = "lab-secret-pw";
  public static final List<String> WEB_HOSTS = List.of("web-1", "web-2", "web-3", "web-4");

  /** Every host of the lab and its address. */
  public static final Map<String, String> ADDRESSES;

  static {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("db-1", "127.77.0.2");
    a.put("web-1", "127.77.0.11");
    a.put("web-2", "127.77.0.12");
    a.put("web-3", "127.77.0.13");
    a.put("web-4", "127.77.0.14");
    ADDRESSES = Map.copyOf(a);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Path repo;
  private final Path dir;
  private boolean closed;

  private Lab(Path repo, Path dir) {
    this.repo = repo;
    this.dir = dir;
  }

  /** Starts the lab (lab/up); fails with lab/up's output if it does not come up. */
  public static Lab up() throws IOException, InterruptedException {
    Path repo = repoRoot();
    Path log = Files.createTempFile("upshift-lab-up", ".log");
    try {
      Process p =
          new ProcessBuilder("bash", repo.resolve("lab/up").toString())
              .directory(repo.toFile())
              .redirectError(log.toFile())
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "lab/up did not finish in 180 s:\n" + Files.readString(log));
      }
      String last = out.strip().lines().reduce((x, y) -> y).orElse("");
      String prefix = "export UPSHIFT_LAB=";
      if (p.exitValue() != 0 || !last.startsWith(prefix)) {
        throw new IllegalStateException(
            "lab/up failed (exit " + p.exitValue() + "):\n" + Files.readString(log) + out);
      }
      return new Lab(repo, Path.of(last.substring(prefix.length()).trim()));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The repository's root: the nearest folder upwards from the working directory with lab/up. */
  public static Path repoRoot() {
    Path d = Path.of("").toAbsolutePath();
    for (Path p = d; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("lab/up")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no lab/up above " + d);
  }

  /** The lab's state dir (UPSHIFT_LAB on the hosts). */
  public Path dir() {
    return dir;
  }

  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  public Path clientKey() {
    return dir.resolve("client_key");
  }

  /** The user the hosts' sshd logs in: whoever runs the lab. */
  public String sshUser() {
    return System.getProperty("user.name");
  }

  /** The artifacts: lab-service-v1.jar, lab-service-v2.jar, v2-schema.sql. */
  public Path repo() {
    return dir.resolve("repo");
  }

  public Path hostDir(String host) {
    return dir.resolve("hosts").resolve(known(host));
  }

  public static String address(String host) {
    return ADDRESSES.get(known(host));
  }

  /** HAProxy's frontend, e.g. {@code http://127.77.0.1:8080}. */
  public String frontUrl() {
    return "http://" + FRONT + ":" + WEB_PORT;
  }

  /** One instance's own address, e.g. {@code http://127.77.0.11:8080}. */
  public String instanceUrl(String host) {
    return "http://" + address(host) + ":" + WEB_PORT;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + address("db-1") + ":" + DB_PORT + "/" + DB_NAME;
  }

  /** The version installed on a web host (labctl's record: v1 or v2). */
  public String version(String host) {
    try {
      return Files.readString(hostDir(host).resolve("version")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version the instance answers with on {@code /version}, or null when it does not. */
  public String runningVersion(String host) {
    try {
      Answer a = get(instanceUrl(host) + "/version");
      return a.status() == 200 ? JSON.readTree(a.body()).path("version").asText(null) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Makes a v2 instance on the host fail its health check (500 "broken on purpose"). */
  public void breakHost(String host) throws IOException {
    Files.writeString(hostDir(host).resolve("broken"), "");
  }

  public void repairHost(String host) throws IOException {
    Files.deleteIfExists(hostDir(host).resolve("broken"));
  }

  /** An HTTP answer: status, body and the instance that gave it (X-Lab-Host, X-Lab-Version). */
  public record Answer(int status, String body, String host, String version) {}

  /** A GET with a 10 s timeout. */
  public static Answer get(String url) throws IOException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          resp.statusCode(),
          resp.body(),
          resp.headers().firstValue("X-Lab-Host").orElse(null),
          resp.headers().firstValue("X-Lab-Version").orElse(null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The result of a run of lab/load/Load.java. */
  public record LoadResult(
      long requests, long failed, double seconds, double rate, List<String> examples, String json) {
    static LoadResult parse(String json) throws IOException {
      JsonNode n = JSON.readTree(json);
      List<String> examples = new ArrayList<>();
      n.path("examples").forEach(e -> examples.add(e.asText()));
      return new LoadResult(
          n.path("requests").asLong(),
          n.path("failed").asLong(),
          n.path("seconds").asDouble(),
          n.path("rate").asDouble(),
          List.copyOf(examples),
          json);
    }
  }

  /**
   * Starts a load on HAProxy's {@code /items} that runs until untilFile exists (20 minutes at
   * most), and returns once its requests are flowing; its JSON result is the last line of its
   * standard output, see {@link #stopLoad} and {@link #loadResult}.
   */
  public Process startLoad(Path untilFile, int concurrency)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path err = Files.createTempFile(dir, "load", ".err");
    Process p =
        new ProcessBuilder(
                java.toString(),
                repo.resolve("lab/load/Load.java").toString(),
                "--url",
                frontUrl() + "/items",
                "--concurrency",
                Integer.toString(concurrency),
                "--until",
                untilFile.toString(),
                "--max-seconds",
                "1200")
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(err).contains("load: started")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("the load did not start:\n" + Files.readString(err));
      }
      Thread.sleep(20);
    }
    return p;
  }

  /** Waits (up to 5 minutes) for a load to end and reads its result. */
  public static LoadResult loadResult(Process load) throws IOException, InterruptedException {
    String out = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!load.waitFor(300, TimeUnit.SECONDS)) {
      load.destroyForcibly();
      throw new IllegalStateException("the load did not end");
    }
    String last = out.strip().lines().reduce((x, y) -> y).orElse("");
    if (!last.startsWith("{")) {
      throw new IllegalStateException(
          "the load printed no result (exit " + load.exitValue() + "): " + out);
    }
    return LoadResult.parse(last);
  }

  /** Creates untilFile, which ends the load, and reads its result. */
  public static LoadResult stopLoad(Process load, Path untilFile)
      throws IOException, InterruptedException {
    if (!Files.exists(untilFile)) {
      Files.writeString(untilFile, "");
    }
    return loadResult(load);
  }

  /** The output of a command run on a lab host over ssh, which must succeed. */
  public String ssh(String host, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ssh",
                "-q",
                "-i",
                clientKey().toString(),
                "-o",
                "UserKnownHostsFile=" + knownHosts(),
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=10",
                "-p",
                Integer.toString(SSH_PORT),
                sshUser() + "@" + address(host),
                command)
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("ssh " + host + " '" + command + "' did not finish:\n" + out);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "ssh " + host + " '" + command + "' failed (exit " + p.exitValue() + "):\n" + out);
    }
    return out;
  }

  /** Stops the lab (lab/down) and removes its state dir. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    Process p =
        new ProcessBuilder("bash", repo.resolve("lab/down").toString(), dir.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("lab/down " + dir + " failed:\n" + out);
    }
  }

  private static String known(String host) {
    if (!ADDRESSES.containsKey(host)) {
      throw new IllegalArgumentException("no host " + host + " in the lab: " + ADDRESSES.keySet());
    }
    return host;
  }
}
