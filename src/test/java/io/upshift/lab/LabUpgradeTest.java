package io.upshift.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.report.Chromium;
import io.upshift.target.Haproxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's upgrade, end to end on real processes: lab/plan.yaml run by ./upshift over the lab's
 * sshd while a load goes through HAProxy the whole time. Every request must succeed, the data must
 * compare equal before and after, the probes must measure no downtime, every instance must end at
 * v2, and the report must open in a browser. Then the same with an instance broken on purpose: the
 * run halts there, that instance stays drained, and still no request fails.
 */
class LabUpgradeTest {
  @TempDir Path dir;

  /**
   * Builds the launcher's jar and start-up cache, if the sources are newer, before any lab starts:
   * on a fresh clone that takes a minute or two, which should neither share the machine with the
   * lab and its load nor count against a run's time limit.
   */
  @BeforeAll
  static void launcherReady(@TempDir Path scratch) throws Exception {
    Process p =
        new ProcessBuilder(Lab.repoRoot().resolve("upshift").toString(), "--version")
            .directory(Lab.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(scratch.resolve("version.txt").toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("./upshift --version did not finish within 10 minutes");
    }
    assertThat(p.exitValue()).as(Files.readString(scratch.resolve("version.txt"))).isZero();
  }

  /**
   * {@code ./upshift ARGS} in the repository, with the lab's database password in its env. The run
   * takes under a minute on a quiet machine; the bound only stops a hung one, and is wide because a
   * saturated machine (other builds beside this one) has made it take over five.
   */
  private Run upshift(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Lab.repoRoot().resolve("upshift").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(Lab.repoRoot().toFile())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("LAB_DB_PASSWORD", Lab.DB_PASSWORD);
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "upshift did not finish within 15 minutes; its output so far:\n"
              + tail(dir.resolve("out.txt"))
              + "\n-- stderr --\n"
              + tail(dir.resolve("err.txt")));
    }
    return new Run(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }

  private record Run(int code, String out, String err) {}

  /** The last lines of a file, for a failure message. */
  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private Run runLabPlan(Lab lab) throws IOException, InterruptedException {
    return upshift(
        "run",
        "lab",
        "--target",
        "ssh",
        "--known-hosts",
        lab.knownHosts().toString(),
        "--identity",
        lab.clientKey().toString(),
        "--journal",
        dir.resolve("journal.db").toString(),
        "--progress",
        "plain",
        "--summary-json",
        dir.resolve("summary.json").toString(),
        "--report",
        dir.resolve("report.html").toString());
  }

  /** HAProxy's count of requests its frontend has taken so far. */
  private static long frontRequests() {
    var o = Haproxy.query(Lab.FRONT + ":" + Lab.API_PORT, "show stat front 1 -1", 5_000);
    Map<String, String> stat = Haproxy.serverStat(o.output(), "FRONTEND");
    assertThat(stat).as(o.output() + o.reason()).isNotNull();
    return Long.parseLong(stat.get("req_tot"));
  }

  /** HAProxy's operational status of a lab server: UP, DOWN, DRAIN, MAINT... */
  private static String serverStatus(String server) {
    var o = Haproxy.query(Lab.FRONT + ":" + Lab.API_PORT, "show stat web 4 -1", 5_000);
    return Haproxy.serverStat(o.output(), server).get("status");
  }

  /** A server's admin state bits from {@code show servers state} (0x08: drained by the API). */
  private static int adminState(String server) {
    var o = Haproxy.query(Lab.FRONT + ":" + Lab.API_PORT, "show servers state web", 5_000);
    for (String line : o.output().split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 6 && f[1].equals("web") && f[3].equals(server)) {
        return Integer.parseInt(f[6]);
      }
    }
    throw new AssertionError("no state for " + server + " in: " + o.output());
  }

  @Test
  void theUpgradeUnderLoadLosesNoRequestAndKeepsTheData() throws Exception {
    Path browser = Chromium.find(); // the report is opened in it at the end
    try (Lab lab = Lab.up()) {
      Path until = dir.resolve("stop-load");
      Process load = lab.startLoad(until, 8);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long warm = frontRequests();
      while (frontRequests() - warm < 500 && System.nanoTime() < deadline) {
        Thread.sleep(100); // the load is going (its JVM has started) before the upgrade starts
      }
      long before = frontRequests();
      Run run = runLabPlan(lab);
      long during = frontRequests() - before;
      Lab.LoadResult result = Lab.stopLoad(load, until);

      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(result.failed()).as(result.json()).isZero();
      assertThat(during)
          .as("requests through HAProxy during the upgrade")
          .isGreaterThanOrEqualTo(20_000);
      for (String host : Lab.WEB_HOSTS) {
        assertThat(lab.runningVersion(host)).as(host).isEqualTo("v2");
        assertThat(serverStatus(host)).as(host).startsWith("UP");
      }
      String summary = Files.readString(dir.resolve("summary.json"));
      assertThat(summary).containsPattern("\"status\" : \"succeeded\"");
      assertThat(summary)
          .as("measured by the probes: the service never went down")
          .containsPattern(
              "\"measured\" : \\{\\s*\"downtime_s\" : 0.0,\\s*\"samples\" : [1-9]\\d+,\\s*\"failed_samples\" : 0");
      // the data compared equal after the upgrade (the Verify stage's compare steps)
      Run shown = upshift("show", "--journal", dir.resolve("journal.db").toString(), "last");
      assertThat(shown.out())
          .contains("db-1: backup of lab kept at /var/tmp/upshift-lab-backups/lab-");
      assertThat(shown.out()).doesNotContain("differs");
      assertThat(run.out()).contains("Verify        succeeded");
      // the secret never shows
      assertThat(Files.readString(dir.resolve("journal.db"), StandardCharsets.ISO_8859_1))
          .doesNotContain(Lab.DB_PASSWORD);
      assertThat(run.out() + run.err() + summary).doesNotContain(Lab.DB_PASSWORD);

      Path png = Path.of("target", "lab-report", "lab-report.png");
      Files.createDirectories(png.getParent());
      Chromium.screenshot(browser, dir.resolve("report.html"), png, dir.resolve("profile"));
      assertThat(Files.size(png)).isGreaterThan(20_000);
      String dom = Chromium.dumpDom(browser, dir.resolve("report.html"), dir.resolve("profile"));
      assertThat(dom).contains("Service").contains("items").contains("<svg");
    }
  }

  @Test
  void anInstanceThatFailsItsCheckHaltsTheRunAndStaysDrained() throws Exception {
    try (Lab lab = Lab.up()) {
      lab.breakHost("web-3");
      Path until = dir.resolve("stop-load");
      Process load = lab.startLoad(until, 4);
      Run run = runLabPlan(lab);
      Lab.LoadResult result = Lab.stopLoad(load, until);

      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.out())
          .contains("HALTED")
          .contains("web-3")
          .contains("start lab-service on web-3");
      assertThat(result.failed()).as(result.json()).isZero();
      assertThat(lab.runningVersion("web-1")).isEqualTo("v2");
      assertThat(lab.runningVersion("web-2")).isEqualTo("v2");
      assertThat(lab.runningVersion("web-4")).isEqualTo("v1");
      assertThat(adminState("web-3") & 0x08).as("web-3 left drained").isEqualTo(0x08);
      assertThat(adminState("web-4")).as("web-4 untouched").isZero();
      assertThat(serverStatus("web-4")).startsWith("UP");
      String report = Files.readString(dir.resolve("report.html"));
      assertThat(report).contains("web-3").contains("broken on purpose");
    }
  }
}
