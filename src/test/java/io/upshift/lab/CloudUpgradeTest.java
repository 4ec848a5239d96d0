package io.upshift.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CERN upgrade for real at the test suite's size: a cloud box of about 200 hosts (64
 * controllers, database and RabbitMQ hosts, 14 hypervisors in each of the ten cells, two of them
 * Hyper-V) upgraded from Grizzly to Havana over SSH by the box's copy of the CERN plan, while users
 * work through its HAProxy (lab/cloud/load/load.py) and every VM's heartbeat is watched. What is
 * checked is on the hosts and in the users' own operations, not in Upshift's word: every package
 * and schema at Havana, the Glance policy fixed, one login a host but the rebooted controllers, no
 * VM heartbeat missed, and every failure the users saw inside a window Upshift derived for that
 * capability (lab/cloud/lib/compare.py); the summary holds the rehearsal's predictions too.
 */
class CloudUpgradeTest {
  private static final String PLAN = "plan.yaml";

  private static String run(Path log, long minutes, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(Lab.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " did not finish:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }

  /** The first word of a host's state file after the given number of words. */
  private static String word(Path file, int index) throws IOException {
    return Files.readString(file).trim().split("\\s+")[index];
  }

  @Test
  @Timeout(1200)
  void theCernPlanUpgradesEveryHostForReal() throws Exception {
    Path repo = Lab.repoRoot();
    Path logs = Files.createTempDirectory("cloud-upgrade-test");
    run(logs.resolve("version.log"), 10, Map.of(), repo.resolve("upshift").toString(), "--version");
    String up =
        run(
            logs.resolve("up.log"),
            5,
            Map.of(),
            "bash",
            repo.resolve("lab/cloud/up").toString(),
            "--hosts",
            "200");
    Matcher m = Pattern.compile("export UPSHIFT_CLOUD=(\\S+)").matcher(up);
    assertThat(m.find()).as(up).isTrue();
    Path dir = Path.of(m.group(1));
    try {
      List<String> hosts = Files.readAllLines(dir.resolve("hosts.list"));
      assertThat(hosts).hasSize(204);
      Path summary = logs.resolve("summary.json");
      Path users = logs.resolve("load.json");
      Process load =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  "-I",
                  repo.resolve("lab/cloud/load/load.py").toString(),
                  dir.toString(),
                  "--rate",
                  "10",
                  "--duration",
                  "900",
                  "--out",
                  users.toString())
              .redirectErrorStream(true)
              .redirectOutput(logs.resolve("load.log").toFile())
              .start();
      String out;
      try {
        out =
            run(
                logs.resolve("run.log"),
                15,
                Map.of(
                    "CLOUD_DB_PASSWORD",
                    Files.readString(dir.resolve("db_password")).trim(),
                    "UPSHIFT_SSH_KEX",
                    "curve25519-sha256"),
                repo.resolve("upshift").toString(),
                "run",
                dir.resolve(PLAN).toString(),
                "--target",
                "ssh",
                "--auto-approve",
                "--progress",
                "plain",
                "--no-journal",
                "--known-hosts",
                dir.resolve("known_hosts").toString(),
                "--identity",
                dir.resolve("client_key").toString(),
                "--ssh-agent",
                "none",
                "--ssh-config",
                "none",
                "--summary-json",
                summary.toString());
      } finally {
        load.destroy(); // SIGTERM: it writes its summary and ends
        load.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(out).contains("SUCCEEDED");
      String compared =
          run(
              logs.resolve("compare.log"),
              1,
              Map.of(),
              "/usr/bin/python3",
              "-I",
              repo.resolve("lab/cloud/lib/compare.py").toString(),
              summary.toString(),
              users.toString());
      assertThat(compared).contains("missed heartbeats: 0").doesNotContain("OUTSIDE");

      JsonNode s = new ObjectMapper().readTree(summary.toFile());
      assertThat(s.path("status").asText()).isEqualTo("succeeded");
      assertThat(s.path("steps").path("failed").asInt()).isZero();
      assertThat(s.path("predicted_makespan_s").asDouble()).isPositive();
      for (JsonNode c : s.path("capabilities")) {
        assertThat(c.has("predicted")).as(c.toString()).isTrue();
        if (c.path("name").asText().equals("vm-running")) {
          assertThat(c.path("downtime_s").asDouble()).isZero();
        }
      }

      List<String> notHavana = new ArrayList<>();
      String password = Files.readString(dir.resolve("db_password")).trim();
      Map<String, String> havanaSchema = new HashMap<>(); // "schema PROJECT GRIZZLY HAVANA"
      for (String l : Files.readAllLines(repo.resolve("lab/cloud/lib/catalog"))) {
        if (l.startsWith("schema ")) {
          String[] f = l.trim().split("\\s+");
          havanaSchema.put(f[1], f[3]);
        }
      }
      Map<String, Integer> rebootable = new HashMap<>();
      for (String line : hosts) {
        String name = line.split("\\s+")[0];
        Path hd = dir.resolve("hosts").resolve(name);
        String roles = Files.readString(hd.resolve("roles"));
        try (var packages = Files.list(hd.resolve("packages"))) {
          for (Path p : packages.toList()) {
            // the OpenStack services and clients; libvirt, MySQL, RabbitMQ stay; blue/green
            // leaves the blue Horizon servers at Grizzly, out of rotation
            String pkg = p.getFileName().toString();
            boolean openstack =
                pkg.matches("openstack-(nova|glance|keystone|cinder|ceilometer)-?.*")
                    || pkg.matches("python-\\w+client")
                    || (pkg.equals("openstack-dashboard") && name.startsWith("horizon-green"));
            if (openstack && !word(p, 2).equals("havana")) {
              notHavana.add(name + ": " + p.getFileName() + " " + Files.readString(p).trim());
            }
          }
        }
        if (roles.contains("db")) { // its MariaDB, asked as each project's own user
          for (var db : havanaSchema.entrySet()) {
            Path conf =
                hd.resolve(
                    db.getKey().equals("glance")
                        ? "etc/glance/glance-api.conf"
                        : "etc/" + db.getKey() + "/" + db.getKey() + ".conf");
            if (!Files.exists(conf)) {
              continue;
            }
            String version =
                run(
                    logs.resolve("schema.log"),
                    1,
                    Map.of("MYSQL_PWD", password),
                    "mysql",
                    "--protocol=TCP",
                    "-h",
                    line.split("\\s+")[1],
                    "-u",
                    db.getKey(),
                    "-N",
                    db.getKey(),
                    "-e",
                    "SELECT version FROM migrate_version");
            if (!version.trim().equals(db.getValue())) {
              notHavana.add(name + ": schema of " + db.getKey() + " " + version.trim());
            }
          }
        }
        if (roles.contains("glance")) {
          assertThat(Files.readString(hd.resolve("etc/glance/policy.json")))
              .as(name + "'s Glance policy")
              .contains("\"context_is_admin\"");
        }
        if (roles.contains("controller")) {
          rebootable.put(name, 1);
        }
      }
      assertThat(notHavana).as("left at Grizzly").isEmpty();

      Map<String, Integer> logins = new HashMap<>();
      String counted =
          run(
              logs.resolve("logins.log"),
              2,
              Map.of(),
              "bash",
              "-c",
              ". \"$0\" && cloud_logins \"$1\"",
              repo.resolve("lab/cloud/lib/box.sh").toString(),
              dir.toString());
      for (String line : counted.lines().filter(l -> !l.isBlank()).toList()) {
        String[] f = line.split("\\s+");
        logins.put(f[0], Integer.parseInt(f[1]));
      }
      List<String> more = new ArrayList<>();
      for (String line : hosts) {
        String[] f = line.split("\\s+");
        int n = logins.getOrDefault(f[1], 0);
        if (n != 1 && !rebootable.containsKey(f[0])) {
          more.add(f[0] + " " + n);
        }
      }
      assertThat(more).as("hosts not logged in exactly once (rebooted ones aside)").isEmpty();
    } finally {
      run(
          logs.resolve("down.log"),
          5,
          Map.of(),
          "bash",
          repo.resolve("lab/cloud/down").toString(),
          dir.toString());
    }
    assertThat(dir).doesNotExist();
  }
}
