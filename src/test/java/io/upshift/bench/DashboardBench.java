package io.upshift.bench;

import com.sun.management.OperatingSystemMXBean;
import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.engine.sim.SimTarget;
import io.upshift.journal.Fingerprint;
import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import io.upshift.journal.Owner;
import io.upshift.journal.Recorder;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A rehearsal of a large fleet watched live in the dashboard, three processes as in use: the run
 * (the engine on the simulated fleet, journaled, slowed by a pause at each batch so that it lasts
 * about a minute), {@code upshift serve} on its journal, and headless Chromium on the run page.
 * Measures the page's first paint, the time from an event's commit to the journal to its number on
 * screen, the browser's JavaScript heap over the run, and the server's CPU against the run's.
 *
 * <p>Usage: {@code DashboardBench HOSTS JAR} (the bench script passes the built jar); {@code
 * DashboardBench run PLAN_DIR JOURNAL ID PAUSE_MS} is the run process.
 */
public final class DashboardBench {
  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("run")) {
      run(Path.of(args[1]), Path.of(args[2]), args[3], Long.parseLong(args[4]));
      return;
    }
    watch(Integer.parseInt(args[0]), Path.of(args[1]));
  }

  /** The run process: creates the run's record, then drives it, pausing at each batch. */
  static void run(Path planDir, Path journalFile, String id, long pauseMillis) {
    Plan plan = PlanLoader.load(planDir);
    try (Journal journal = JdbcJournal.sqlite(journalFile)) {
      String now = Instant.now().toString();
      journal.create(
          new RunRecord(
              id,
              now,
              planDir.resolve("plan.yaml").toString(),
              plan.name(),
              Fingerprint.of(plan),
              "sim",
              1,
              "target=sim",
              "running",
              "",
              "",
              Owner.self(),
              Owner.selfStart(),
              System.currentTimeMillis(),
              now));
      VirtualClock clock = new VirtualClock();
      try (Recorder r = new Recorder(journal, id, 0)) {
        new Engine(plan, new SimTarget(plan, clock, 1, plan.faults()), clock, 1)
            .log(r, false)
            .controls(r)
            .listen(r)
            .listen(
                (RunEvent e, RunState s) -> {
                  if (e instanceof RunEvent.BatchStarted) {
                    r.sync();
                    try {
                      Thread.sleep(pauseMillis);
                    } catch (InterruptedException x) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .run();
      }
    }
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("CPU_MS " + os.getProcessCpuTime() / 1_000_000);
  }

  static void watch(int hosts, Path jar) throws Exception {
    Path dir = Files.createTempDirectory("upshift-bench-dashboard");
    int cells = Math.max(1, hosts / 1000);
    StringBuilder plan =
        new StringBuilder(TestPlans.header("fleet of " + hosts)).append("stages:\n");
    for (int i = 1; i <= 3; i++) {
      plan.append("  - name: Stage ")
          .append(i)
          .append("\n    steps:\n")
          .append(
              "      - upgrade: app\n        duration: 2m..4m\n        waves: {batch: 10%, group-by: cell, parallel: 25}\n")
          .append("      - restart: app\n        duration: 30s..60s\n        check: \"true\"\n")
          .append("        waves: {batch: 10%, group-by: cell, parallel: 25}\n");
    }
    Path planDir =
        TestPlans.write(
            dir.resolve("plan"), plan.toString(), TestPlans.fleet(cells, hosts / cells));
    Path journalFile = dir.resolve("journal.db");
    JdbcJournal.sqlite(journalFile).close();
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "bench-token-0123456789abcdef\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the run and the server with the launcher's JVM options (./upshift), as users run them
    List<String> flags = List.of(System.getProperty("bench.jvmFlags", "").trim().split("\\s+"));
    Process server =
        new ProcessBuilder(
                command(
                    javaBin,
                    flags,
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    jar.toString(),
                    "io.upshift.cli.Main",
                    "serve",
                    "--journal",
                    journalFile.toString(),
                    "--bind",
                    "127.0.0.1:" + port,
                    "--token-file",
                    tokenFile.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("serve.log").toFile())
            .start();
    String url = "http://127.0.0.1:" + port;
    waitFor(url + "/", 60_000);
    long pause = Long.getLong("bench.pause", 100);
    String id = "bench-" + hosts;
    Process run =
        new ProcessBuilder(
                command(
                    javaBin,
                    flags,
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    DashboardBench.class.getName(),
                    "run",
                    planDir.toString(),
                    journalFile.toString(),
                    id,
                    String.valueOf(pause)))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile())
            .start();
    // when each event number was first seen committed in the journal (looked at every 10 ms)
    TreeMap<Long, Long> committed = new TreeMap<>();
    Thread poller;
    try (Journal journal = JdbcJournal.sqlite(journalFile)) {
      while (journal.run(id).isEmpty()) {
        Thread.sleep(10);
      }
      poller =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (Journal j = JdbcJournal.sqlite(journalFile)) {
                      long last = 0;
                      while (!Thread.currentThread().isInterrupted()) {
                        long seq = j.lastSeq(id);
                        if (seq > last) {
                          synchronized (committed) {
                            committed.put(seq, System.currentTimeMillis());
                          }
                          last = seq;
                        }
                        Thread.sleep(10);
                      }
                    } catch (InterruptedException e) {
                      // done
                    }
                  });
      Duration serverCpu0 = cpu(server);
      ChromeDriver browser = browser(dir.resolve("profile"));
      List<long[]> heap = new ArrayList<>();
      long firstPaint;
      long domReady;
      List<List<Number>> seen;
      try {
        browser.get(url + "/runs/" + id);
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .until(ExpectedConditions.presenceOfElementLocated(By.id("status-line")));
        Object fcp =
            browser.executeScript(
                "var p = performance.getEntriesByName('first-contentful-paint');"
                    + " return p.length ? Math.round(p[0].startTime) : -1;");
        firstPaint = ((Number) fcp).longValue();
        domReady =
            ((Number)
                    browser.executeScript(
                        "var n = performance.getEntriesByType('navigation')[0];"
                            + " return Math.round(n.domContentLoadedEventEnd);"))
                .longValue();
        while (run.isAlive()) {
          heap.add(new long[] {System.currentTimeMillis(), jsHeap(browser)});
          run.waitFor(5, TimeUnit.SECONDS);
        }
        Thread.sleep(2000); // the last events reach the page
        heap.add(new long[] {System.currentTimeMillis(), jsHeap(browser)});
        @SuppressWarnings("unchecked")
        List<List<Number>> s =
            (List<List<Number>>) browser.executeScript("return window.upshiftSeen;");
        seen = s;
      } finally {
        browser.quit();
      }
      Duration serverCpu = cpu(server).minus(serverCpu0);
      run.waitFor();
      Duration runCpu =
          Duration.ofMillis(
              Files.readAllLines(dir.resolve("run.log")).stream()
                  .filter(l -> l.startsWith("CPU_MS "))
                  .mapToLong(l -> Long.parseLong(l.substring(7).trim()))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "the run printed no CPU time; see " + dir.resolve("run.log"))));
      poller.interrupt();
      long events = journal.lastSeq(id);
      // latency: each number shown on screen against when that event was first seen committed
      List<Long> latencies = new ArrayList<>();
      synchronized (committed) {
        for (List<Number> entry : seen) {
          long seq = entry.get(0).longValue();
          long shown = entry.get(1).longValue();
          Map.Entry<Long, Long> c = committed.ceilingEntry(seq);
          if (c != null && seq > 0) {
            latencies.add(shown - c.getValue());
          }
        }
      }
      latencies.sort(null);
      server.destroy();
      server.waitFor();
      System.out.printf(
          "Machine: %d cores, %s; load average at the end %.1f%n%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      row(
          String.format("dashboard: first paint of the run page of a %,d-host rehearsal", hosts),
          firstPaint + " ms",
          "<= 1000 ms",
          "first contentful paint; DOM ready at " + domReady + " ms");
      row(
          "dashboard: event committed to the journal -> its number on screen",
          latencies.isEmpty()
              ? "none measured"
              : "p50 "
                  + latencies.get(latencies.size() / 2)
                  + " ms, p95 "
                  + latencies.get(latencies.size() * 95 / 100)
                  + " ms, max "
                  + latencies.get(latencies.size() - 1)
                  + " ms",
          "<= 1000 ms",
          latencies.size()
              + " screen updates; the journal looked at every 10 ms (so up to 10 ms less than"
              + " shown)");
      long heapMax = heap.stream().mapToLong(h -> h[1]).max().orElse(-1);
      row(
          "dashboard: browser JavaScript heap over the run",
          mib(heap.get(0)[1])
              + " at start, "
              + mib(heapMax)
              + " at most, "
              + mib(heap.get(heap.size() - 1)[1])
              + " at the end",
          "bounded",
          heap.size() + " samples, every 5 s");
      row(
          "dashboard: server CPU against the run's CPU",
          String.format(
              "%.1f%% (%.2f s against %.2f s)",
              100.0 * serverCpu.toMillis() / Math.max(1, runCpu.toMillis()),
              serverCpu.toMillis() / 1000.0,
              runCpu.toMillis() / 1000.0),
          "< 5%",
          String.format(
              "%,d events over %.0f s of wall time; the run paused %d ms at each batch",
              events, (heap.get(heap.size() - 1)[0] - heap.get(0)[0]) / 1000.0, pause));
    }
  }

  private static List<String> command(String java, List<String> flags, String... rest) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    flags.stream().filter(f -> !f.isEmpty()).forEach(cmd::add);
    cmd.addAll(List.of(rest));
    return cmd;
  }

  private static long jsHeap(ChromeDriver browser) {
    Object v =
        browser.executeScript(
            "return performance.memory ? performance.memory.usedJSHeapSize : -1;");
    return ((Number) v).longValue();
  }

  private static Duration cpu(Process p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static void row(String what, String value, String target, String notes) {
    System.out.println("| " + what + " | " + value + " | " + target + " | " + notes + " |");
  }

  private static void waitFor(String url, long millis) throws Exception {
    var http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static ChromeDriver browser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--enable-precise-memory-info",
        "--window-size=1400,2200",
        "--user-data-dir=" + profile.toAbsolutePath());
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build(),
        options);
  }
}
