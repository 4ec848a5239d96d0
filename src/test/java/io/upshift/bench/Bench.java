package io.upshift.bench;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunSummary;
import io.upshift.engine.Target;
import io.upshift.engine.sim.SimTarget;
import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalWriter;
import io.upshift.journal.Recorder;
import io.upshift.journal.Resumption;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.report.SummaryJson;
import io.upshift.source.Problems;
import io.upshift.verify.Verifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's benchmarks, one scenario per JVM (see bench/run): the CERN rehearsal from a cold
 * start, a synthetic fleet of many hosts, and the engine's overhead over the lower bound of the
 * wave arithmetic. Prints one Markdown table row per measure.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "cern" -> cern(Path.of(args.length > 1 ? args[1] : "examples/cern-havana"));
      case "fleet" -> fleet(Integer.parseInt(args[1]));
      case "overhead" -> overhead();
      case "verify" -> verify(Path.of(args.length > 1 ? args[1] : "examples/cern-havana"));
      case "verify-fleet" ->
          verifyFleet(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("budget"));
      case "journal" -> journal(Integer.parseInt(args[1]));
      case "journal-replay" -> journalReplay(Path.of(args[1]));
      default -> throw new IllegalArgumentException("cern | fleet N | overhead");
    }
  }

  private static RunSummary rehearse(Plan plan, long seed) {
    VirtualClock clock = new VirtualClock();
    RunSummary summary = new RunSummary(plan, "sim", seed);
    new Engine(plan, new SimTarget(plan, clock, seed, plan.faults()), clock, seed)
        .listen(summary)
        .run();
    return summary;
  }

  /** Load, rehearse and summarise the CERN plan: the first time in this JVM, then warm. */
  static void cern(Path example) {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long t0 = System.nanoTime();
    long sinceJvm = System.currentTimeMillis() - jvmStart;
    Plan plan = PlanLoader.load(example);
    long loaded = System.nanoTime();
    RunSummary s = rehearse(plan, 1);
    SummaryJson.tree(s);
    long cold = System.nanoTime() - t0;
    long[] warm = new long[5];
    for (int i = 0; i < warm.length; i++) {
      long w = System.nanoTime();
      rehearse(PlanLoader.load(example), i + 2);
      warm[i] = System.nanoTime() - w;
    }
    Arrays.sort(warm);
    row(
        "CERN rehearsal, first run in a fresh JVM (load + simulate + summary)",
        ms(cold),
        "<= 1000 ms",
        "load "
            + ms(loaded - t0)
            + ", JVM start to main "
            + sinceJvm
            + " ms, "
            + s.state().stepsTotal()
            + " host-steps");
    row("CERN rehearsal, warm (median of 5)", ms(warm[2]), "", "");
  }

  /** Load and verify the CERN plan, the first time in this JVM. */
  static void verify(Path example) {
    long t0 = System.nanoTime();
    Plan plan = PlanLoader.load(example);
    long loaded = System.nanoTime();
    Verifier.Report report = Verifier.verify(plan, false);
    long done = System.nanoTime();
    row(
        "`verify` of the CERN plan, first run in a fresh JVM (load + walk + rules)",
        ms(done - t0),
        "<= 200 ms",
        "load "
            + ms(loaded - t0)
            + ", verify "
            + ms(done - loaded)
            + ", "
            + report.findings().size()
            + " findings");
  }

  /** Verify a fleet of {@code hosts} hosts: the fleet plan with a rule per cell. */
  static void verifyFleet(int hosts, boolean budget) throws Exception {
    Path dir =
        fleetPlan(
            hosts,
            "compatibility:\n  - {id: app-needs-app, when: {app: v2}, needs: {app: \">=v1\"}, scope: cell}\n");
    if (budget) {
      Path planFile = dir.resolve("plan.yaml");
      Files.writeString(
          planFile,
          Files.readString(planFile)
              .replace("  service: {needs: [app]}", "  service: {needs: [app], max-downtime: 1h}"));
    }
    long t0 = System.nanoTime();
    Plan p = PlanLoader.load(dir, new Problems());
    long loaded = System.nanoTime();
    // as `upshift verify` does it: the 95th percentiles only when a capability has a budget
    Verifier.Report report = Verifier.verify(p, Verifier.hasBudgets(p));
    long done = System.nanoTime();
    row(
        String.format(
            "`verify` of %,d hosts, 10 stages (load + %s + rules)",
            p.inventory().size(),
            budget
                ? "the 95th percentiles too: a capability has a budget"
                : "expected durations: no budget"),
        ms(done - t0),
        "<= 5000 ms",
        "load "
            + ms(loaded - t0)
            + ", verify "
            + ms(done - loaded)
            + ", "
            + report.findings().size()
            + " findings");
  }

  private static Path fleetPlan(int hosts, String rules) throws Exception {
    Path dir = Files.createTempDirectory("upshift-bench-fleet");
    int cells = Math.max(1, hosts / 1000);
    StringBuilder plan =
        new StringBuilder(TestPlans.header("fleet of " + hosts)).append(rules).append("stages:\n");
    for (int i = 1; i <= 10; i++) {
      plan.append("  - name: Stage ")
          .append(i)
          .append("\n    steps:\n")
          .append(
              "      - upgrade: app\n        duration: 2m..4m\n        waves: {batch: 10%, group-by: cell, parallel: 25}\n")
          .append("      - restart: app\n        duration: 30s..60s\n        check: \"true\"\n")
          .append("        waves: {batch: 10%, group-by: cell, parallel: 25}\n");
    }
    TestPlans.write(dir, plan.toString(), TestPlans.fleet(cells, hosts / cells));
    return dir;
  }

  /** A fleet of {@code hosts} hosts in cells of 1,000, ten stages of rolling steps. */
  static void fleet(int hosts) throws Exception {
    Path dir = fleetPlan(hosts, "");
    long t0 = System.nanoTime();
    Plan p = PlanLoader.load(dir, new Problems());
    long loaded = System.nanoTime();
    RunSummary s = rehearse(p, 1);
    long done = System.nanoTime();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    row(
        String.format(
            "%,d hosts, 10 stages, %,d host-steps (load + simulate)",
            p.inventory().size(), s.state().stepsTotal()),
        ms(done - t0),
        "<= 15000 ms",
        "load "
            + ms(loaded - t0)
            + ", simulate "
            + ms(done - loaded)
            + ", status "
            + s.status().word());
    row(
        "  heap: peak of pools (includes garbage) / -Xmx",
        mb(peak) + " / " + mb(max),
        "<= 2048 MiB",
        "the run completes inside -Xmx");
  }

  /** Simulated makespan over the lower bound: each batch lasts as long as its slowest host. */
  static void overhead() throws Exception {
    for (String waves :
        new String[] {
          "{batch: 100}", "{batch: 50, group-by: cell, parallel: 4}", "{batch: 100, pause: 30s}"
        }) {
      Path dir = Files.createTempDirectory("upshift-bench-overhead");
      String plan =
          TestPlans.header("overhead")
              + "stages:\n  - name: Roll\n    steps:\n"
              + "      - upgrade: app\n        duration: 2m..8m\n        waves: "
              + waves
              + "\n"
              + "      - restart: app\n        duration: 20s..90s\n        waves: "
              + waves
              + "\n";
      Plan p = PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(8, 250)));
      VirtualClock clock = new VirtualClock();
      Map<String, Long> durations = new HashMap<>();
      Map<String, Long> batchOf = new HashMap<>();
      Map<String, Long> batchLongest = new HashMap<>();
      Map<String, Integer> batchesPerGroup = new HashMap<>();
      SimTarget sim = new SimTarget(p, clock, 9, p.faults());
      Target recording =
          new Target() {
            @Override
            public String name() {
              return "sim";
            }

            @Override
            public void check(Plan plan, Problems problems) {}

            @Override
            public void start(Execution e, Consumer<Outcome> done) {
              long start = clock.now();
              sim.start(
                  e,
                  o -> {
                    durations.put(e.step().index() + "/" + e.host().index(), clock.now() - start);
                    done.accept(o);
                  });
            }
          };
      RunSummary s = new RunSummary(p, "sim", 9);
      long[] counter = {0};
      new Engine(p, recording, clock, 9)
          .listen(s)
          .listen(
              (ev, st) -> {
                if (ev instanceof RunEvent.BatchStarted b) {
                  String key = b.step() + "/" + b.group() + "/" + b.batch();
                  for (int h : b.hosts()) {
                    batchOf.put(b.step() + "/" + h, counter[0]);
                  }
                  batchLongest.put(key, counter[0]++);
                  batchesPerGroup.merge(b.step() + "/" + b.group(), 1, Integer::sum);
                }
              })
          .run();
      // Lower bound: per step, groups in rounds of `parallel`; a group's time is the sum of its
      // batches' slowest hosts plus the pauses between them. With one group this is exact.
      Map<Long, Long> slowest = new HashMap<>();
      durations.forEach((k, d) -> slowest.merge(batchOf.get(k), d, Math::max));
      long bound = 0;
      for (int step = 0; step < 2; step++) {
        Map<Integer, Long> groupTime = new HashMap<>();
        for (Map.Entry<String, Long> b : batchLongest.entrySet()) {
          String[] parts = b.getKey().split("/");
          if (Integer.parseInt(parts[0]) == step) {
            groupTime.merge(Integer.parseInt(parts[1]), slowest.get(b.getValue()), Long::sum);
          }
        }
        final int current = step;
        long pause = p.stages().get(0).steps().get(step).waves().pauseMillis();
        int parallel = p.stages().get(0).steps().get(step).waves().parallel();
        groupTime.replaceAll((g, t) -> t + pause * (batchesPerGroup.get(stepKey(current, g)) - 1));
        long[] times = groupTime.values().stream().mapToLong(Long::longValue).toArray();
        // groups are opened in order as slots free up; a lower bound is the larger of the
        // longest group and the total spread over the slots
        long longest = Arrays.stream(times).max().orElse(0);
        long spread = (Arrays.stream(times).sum() + parallel - 1) / parallel;
        bound += Math.max(longest, spread);
      }
      double ratio = s.makespan() / (double) bound;
      row(
          "overhead, 2,000 hosts, 2 steps, waves " + waves,
          String.format("%.4f", ratio),
          "<= 1.005",
          "makespan " + s.makespan() / 1000 + " s, lower bound " + bound / 1000 + " s");
    }
  }

  private static RunRecord record(String id, Path planFile) {
    String now = Instant.now().toString();
    return new RunRecord(
        id,
        now,
        planFile.toString(),
        "bench",
        "",
        "sim",
        1,
        "",
        "running",
        "",
        "",
        null,
        0,
        0,
        now);
  }

  /**
   * Durable appends to SQLite: a million events through the group-commit writer, once with one wait
   * at the end and once waiting every 100 events (as a real run does before each batch of 100
   * actions); then a journaled rehearsal of a fleet of {@code hosts} hosts, whose journal the next
   * scenario resumes from.
   */
  static void journal(int hosts) throws Exception {
    Path dir = Files.createTempDirectory("upshift-bench-journal");
    int n = 1_000_000;
    List<RunEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i += 2) {
      events.add(new RunEvent.ActionStarted(i, 3, 1, i % 50_000, Execution.Phase.ACTION));
      events.add(
          new RunEvent.ActionFinished(
              i + 1, 3, 1, i % 50_000, Execution.Phase.ACTION, Outcome.success(0, "")));
    }
    for (int every : new int[] {n, 100}) {
      Path db = dir.resolve("append-" + every + ".db");
      try (Journal j = JdbcJournal.sqlite(db)) {
        j.create(record("r", db));
        long t0 = System.nanoTime();
        try (JournalWriter w = new JournalWriter(j, "r", 0)) {
          for (int i = 0; i < n; i++) {
            w.append(events.get(i));
            if ((i + 1) % every == 0) {
              w.sync();
            }
          }
          w.sync();
        }
        long t = System.nanoTime() - t0;
        row(
            String.format(
                "journal: %,d events appended durably to SQLite (%s)",
                n, every == n ? "one wait for the disk at the end" : "waiting every 100 events"),
            String.format("%,.0f events/s", n / (t / 1e9)),
            ">= 100,000 events/s",
            ms(t) + ", " + Files.size(db) / (1 << 20) + " MiB, WAL, synchronous=FULL");
      }
    }
    Path plan = fleetPlan(hosts, "");
    Plan p = PlanLoader.load(plan, new Problems());
    Path db = plan.resolve("journal.db");
    long t0 = System.nanoTime();
    RunSummary s;
    try (Journal j = JdbcJournal.sqlite(db)) {
      j.create(record("fleet", plan.resolve("plan.yaml")));
      VirtualClock clock = new VirtualClock();
      s = new RunSummary(p, "sim", 1);
      try (Recorder r = new Recorder(j, "fleet", 0)) {
        new Engine(p, new SimTarget(p, clock, 1, p.faults()), clock, 1)
            .listen(s)
            .log(r, false)
            .listen(r)
            .run();
      }
      long t = System.nanoTime() - t0;
      long count = j.lastSeq("fleet");
      row(
          String.format(
              "journaled rehearsal of %,d hosts, 10 stages (simulate + journal)",
              p.inventory().size()),
          ms(t),
          "",
          String.format("%,d events, %,.0f events/s", count, count / (t / 1e9)));
    }
    System.out.println("JOURNAL " + plan);
  }

  /** Rebuilds the state of the journaled rehearsal from its journal, as resume does. */
  static void journalReplay(Path plan) {
    long t0 = System.nanoTime();
    Plan p = PlanLoader.load(plan, new Problems());
    long loaded = System.nanoTime();
    try (Journal j = JdbcJournal.sqlite(plan.resolve("journal.db"))) {
      RunSummary s = new RunSummary(p, "sim", 1);
      Resumption r = Resumption.replay(j, "fleet", p, List.of(s));
      long t = System.nanoTime() - loaded;
      row(
          String.format("resume: replay a %,d-event journal (fresh JVM)", r.lastSeq()),
          ms(t),
          "<= 3000 ms",
          "read, decode and fold every event into the run's state and summary; plan load "
              + ms(loaded - t0)
              + " more; state "
              + r.state().status().word());
    }
  }

  private static String stepKey(int step, int group) {
    return step + "/" + group;
  }

  private static void row(String what, String value, String target, String notes) {
    System.out.println("| " + what + " | " + value + " | " + target + " | " + notes + " |");
  }

  private static String ms(long nanos) {
    return nanos / 1_000_000 + " ms";
  }

  private static String mb(long bytes) {
    return bytes / (1024 * 1024) + " MiB";
  }
}
