package io.upshift.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cloud box (lab/cloud) with Upshift's SSH target: a small box of the CERN shape comes up,
 * {@code upshift exec} reaches every host at its own address with the box's key and known_hosts,
 * every host answers as itself (from the local address of its connection), with one login each;
 * then the box goes down without a trace.
 */
class CloudBoxTest {
  private static final Pattern CONNECTION =
      Pattern.compile("^Connection from \\S+ port (\\d+) on (\\S+) port \\d+");
  private static final Pattern ACCEPTED =
      Pattern.compile("^Accepted publickey for \\S+ from \\S+ port (\\d+) ");

  private static String run(Path log, long minutes, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(Lab.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The cheaper key exchange, and 10 logins at once (below): on a busy 2-core machine, 50
    // handshakes at once with the default (sntrup761x25519) outlast the 10 s login timeout.
    pb.environment().put("UPSHIFT_SSH_KEX", "curve25519-sha256");
    Process p = pb.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " did not finish:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  /** Logins per host address, from the box's sshd logs. */
  private static Map<String, Integer> logins(Path dir) throws IOException {
    Map<String, Integer> n = new HashMap<>();
    try (Stream<Path> logs = Files.list(dir.resolve("ssh"))) {
      for (Path f : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Map<String, String> on = new HashMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          Matcher c = CONNECTION.matcher(line);
          if (c.find()) {
            on.put(c.group(1), c.group(2));
          }
          Matcher a = ACCEPTED.matcher(line);
          if (a.find() && on.containsKey(a.group(1))) {
            n.merge(on.remove(a.group(1)), 1, Integer::sum);
          }
        }
      }
    }
    return n;
  }

  private static int get(String url) throws IOException, InterruptedException {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return c.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  /** A server's status in HAProxy's statistics, through the box's runtime API. */
  private static String status(Path dir, String front, String backend, String server)
      throws IOException, InterruptedException {
    String out =
        run(
            Files.createTempFile("cloud-box-stat", ".log"),
            1,
            "/usr/bin/python3",
            dir.resolve("lib/haproxy.py").toString(),
            "send",
            front + ":9999",
            "show stat " + backend + " 4 -1");
    for (String line : out.split("\n")) {
      String[] f = line.split(",", -1);
      if (f.length > 17 && f[1].equals(server)) {
        return f[17];
      }
    }
    return "absent: " + out;
  }

  /**
   * The nova-api of the API controllers answers through the box's HAProxy; a plan's built-in drain
   * of api-01, run by Upshift over SSH against the box's HAProxy runtime API, takes it out of the
   * backend (DRAIN) while the API keeps answering through the others; the undrain brings it back.
   */
  private static void servicesThroughHaproxyAndADrain(Path dir, Path logs, List<String> hosts)
      throws Exception {
    String front = Files.readString(dir.resolve("cloud/front")).strip();
    assertEquals(200, get("http://" + front + ":5000/v2.0/"), "keystone through HAProxy");
    assertEquals(200, get("http://" + front + ":8774/"), "nova-api through HAProxy");
    assertEquals("UP", status(dir, front, "nova-api", "api-01"));
    StringBuilder inventory =
        new StringBuilder(
            "upshift-inventory: 1\ndefaults: {version: grizzly, os: linux, service-manager: sysv,"
                + " package-manager: yum, port: 22, user: upshift-cloud}\nsites:\n  geneva:\n"
                + "    cells:\n      top:\n        hosts:\n");
    for (String h : hosts) {
      String[] f = h.split(" ");
      if (f[0].startsWith("api-")) {
        inventory.append(
            "          - {name: " + f[0] + ", components: [nova-api], address: " + f[1] + "}\n");
      }
    }
    Files.writeString(dir.resolve("drain-inventory.yaml"), inventory.toString());
    String plan =
        "upshift: 1\nname: drain one API controller\ninventory: drain-inventory.yaml\n"
            + "releases: [grizzly, havana]\nfrom: grizzly\nto: havana\ncomponents:\n"
            + "  nova-api: {packages: [openstack-nova-api], service: openstack-nova-api,"
            + " balancer: {haproxy: \""
            + front
            + ":9999\", backend: nova-api}}\nstages:\n  - name: Drain\n    steps:\n"
            + "      - drain: nova-api\n        on: host=api-01\n        duration: 100ms\n";
    Files.writeString(dir.resolve("drain.yaml"), plan);
    String[] upshift = {
      Lab.repoRoot().resolve("upshift").toString(),
      "run",
      dir.resolve("drain.yaml").toString(),
      "--target",
      "ssh",
      "--auto-approve",
      "--no-journal",
      "--known-hosts",
      dir.resolve("known_hosts").toString(),
      "--identity",
      dir.resolve("client_key").toString(),
      "--ssh-agent",
      "none",
      "--ssh-config",
      "none",
      "--progress",
      "plain"
    };
    run(logs.resolve("drain.log"), 5, upshift);
    assertEquals("DRAIN", status(dir, front, "nova-api", "api-01"), "api-01 drained by Upshift");
    assertEquals("UP", status(dir, front, "nova-api", "api-02"));
    assertEquals(200, get("http://" + front + ":8774/"), "nova-api through the other servers");
    Files.writeString(dir.resolve("drain.yaml"), plan.replace("- drain:", "- undrain:"));
    run(logs.resolve("undrain.log"), 5, upshift);
    assertEquals("UP", status(dir, front, "nova-api", "api-01"), "api-01 back after the undrain");
  }

  @Test
  @Timeout(900)
  void everyHostAnswersAsItselfWithOneLogin() throws Exception {
    Path repo = Lab.repoRoot();
    Path logs = Files.createTempDirectory("cloud-box-test");
    run(logs.resolve("version.log"), 10, repo.resolve("upshift").toString(), "--version");
    String up =
        run(
            logs.resolve("up.log"),
            5,
            "bash",
            repo.resolve("lab/cloud/up").toString(),
            "--hosts",
            "50");
    Matcher m = Pattern.compile("export UPSHIFT_CLOUD=(\\S+)").matcher(up);
    assertTrue(m.find(), up);
    Path dir = Path.of(m.group(1));
    try {
      List<String> hosts = Files.readAllLines(dir.resolve("hosts.list"));
      assertEquals(74, hosts.size(), "the smallest CERN shape: 64 + 10 hypervisors");
      String out =
          run(
              logs.resolve("exec.log"),
              10,
              repo.resolve("upshift").toString(),
              "exec",
              "-f",
              "10",
              "-i",
              dir.resolve("inventory.yaml").toString(),
              "all",
              "--known-hosts",
              dir.resolve("known_hosts").toString(),
              "--identity",
              dir.resolve("client_key").toString(),
              "--ssh-agent",
              "none",
              "--ssh-config",
              "none",
              "--",
              "test \"$(hostname)\" = {{host}} && test \"$(hostname -i)\" = {{address}} && echo self");
      assertTrue(out.contains("74 host(s): ok:\n    self"), out);
      assertTrue(out.contains("74 host(s), 0 failed"), out);
      Map<String, Integer> logins = logins(dir);
      assertEquals(74, logins.size(), "a login on every address: " + logins);
      assertTrue(logins.values().stream().allMatch(v -> v == 1), "one login a host: " + logins);
      servicesThroughHaproxyAndADrain(dir, logs, hosts);
    } finally {
      run(
          logs.resolve("down.log"),
          5,
          "bash",
          repo.resolve("lab/cloud/down").toString(),
          dir.toString());
    }
    assertTrue(Files.notExists(dir), dir + " is left after lab/cloud/down");
  }
}
