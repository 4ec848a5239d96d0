package io.upshift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.clock.WallClock;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.Target;
import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.inventory.InventoryLoader;
import io.upshift.inventory.Selector;
import io.upshift.plan.Check;
import io.upshift.plan.DurationModel;
import io.upshift.plan.LearnedDurations;
import io.upshift.plan.Plan;
import io.upshift.plan.RenderException;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.plan.Waves;
import io.upshift.report.Count;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Terminal;
import io.upshift.target.local.LocalTarget;
import io.upshift.target.ssh.SshTarget;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift exec SELECTOR -- CMD}: one command on every selected host, a bounded number at
 * once, with the results grouped by what came back ("2,093 hosts: ok", "7 hosts: exit 1: ..."). The
 * mcollective / {@code ansible -m command} job, over the same SSH target as plans.
 */
final class ExecCommand implements Callable<Integer> {
  private CommandSpec spec;
  String selector;
  List<String> command = new ArrayList<>();
  Path inventory = Path.of("inventory.yaml");
  RunCommand.TargetName target;
  int concurrency;
  String timeout;
  boolean json;
  final SshOptions ssh = new SshOptions();

  CommandSpec spec() {
    spec =
        Args.command(
                "exec",
                "Run one command on every host a selector picks; results grouped by outcome.",
                this)
            .addPositional(
                Args.positional(
                        "SELECTOR",
                        String.class,
                        "Which hosts, e.g. role=compute,cell=gva-1 (or all).",
                        v -> selector = v)
                    .index("0")
                    .arity("1")
                    .required(true)
                    .build())
            .addPositional(
                Args.positional(
                        "CMD",
                        List.class,
                        "The command (after --); {{host}} and the other placeholders are filled in,"
                            + " shell-quoted.",
                        v -> command = strings(v))
                    .index("1..*")
                    .arity("0..*")
                    .auxiliaryTypes(String.class)
                    .build())
            .addOption(
                Args.option(
                        new String[] {"-i", "--inventory"},
                        "FILE",
                        Path.class,
                        "The inventory, or a plan (file or folder) whose inventory to use (default:"
                            + " inventory.yaml here).",
                        v -> inventory = v)
                    .build())
            .addOption(
                Args.option(
                        "--target",
                        "TARGET",
                        RunCommand.TargetName.class,
                        "Where: ssh (the default) or local (each host's command runs on this"
                            + " machine, for tests).",
                        v -> target = v)
                    .defaultValue("ssh")
                    .build())
            .addOption(
                Args.option(
                        new String[] {"-f", "--concurrency"},
                        "N",
                        Integer.class,
                        "Hosts at once (default: ${DEFAULT-VALUE}).",
                        v -> concurrency = v)
                    .defaultValue("50")
                    .build())
            .addOption(
                Args.option(
                        "--timeout",
                        "DURATION",
                        String.class,
                        "How long one host may take (default: ${DEFAULT-VALUE}).",
                        v -> timeout = v)
                    .defaultValue("60s")
                    .build())
            .addOption(Args.flag("--json", "Print the groups as JSON.", v -> json = v));
    return ssh.addTo(spec);
  }

  /** The words of CMD, as picocli collects them. */
  private static List<String> strings(List<?> words) {
    List<String> out = new ArrayList<>(words.size());
    for (Object w : words) {
      out.add((String) w);
    }
    return out;
  }

  /** Hosts with one outcome. */
  record Group(boolean ok, int exit, String output, String reason, List<String> hosts) {}

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    if (command.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "give the command after --, e.g. upshift exec role=compute -- uptime");
    }
    if (concurrency < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--concurrency must be at least 1");
    }
    Long timeoutMillis = DurationModel.millis(timeout);
    if (timeoutMillis == null || timeoutMillis <= 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--timeout takes a duration such as 30s or 5m");
    }
    Inventory inv = loadInventory();
    Problems problems = new Problems();
    Position at = new Position(Path.of("SELECTOR"), 1, 1);
    Selector sel = Selector.parse(selector, at, problems);
    sel.checkKeys(inv.selectorKeys(), problems);
    if (problems.hasErrors()) {
      throw new InvalidInputException(problems);
    }
    BitSet picked = inv.select(sel);
    if (picked.isEmpty()) {
      err.println("upshift: `" + Terminal.safe(selector) + "` selects no host in " + inv.file());
      return ExitCode.FAILED;
    }
    String cmd = String.join(" ", command);
    Step step =
        new Step(
            0,
            0,
            cmd,
            StepKind.COMMAND,
            List.of(),
            sel,
            Waves.DEFAULT,
            DurationModel.fixed(1),
            cmd,
            (Check) null,
            null,
            null,
            timeoutMillis,
            Inventory.indexes(picked),
            null,
            StepKind.COMMAND.inDoubt(),
            null,
            at);
    Plan plan =
        new Plan(
            inv.file(),
            "exec",
            inv,
            List.of(),
            null,
            null,
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            List.of(),
            List.of(new Stage(0, "exec", List.of(step), at)),
            List.of(),
            1,
            LearnedDurations.NONE);
    WallClock clock = new WallClock();
    Map<Integer, Outcome> results = new LinkedHashMap<>();
    int[] hosts = step.hosts();
    long t0 = System.nanoTime();
    try (Target t = target(plan, clock)) {
      Problems targetProblems = new Problems();
      t.check(plan, targetProblems);
      targetProblems.throwIfErrors();
      Main.printWarnings(targetProblems, err);
      int[] next = {0};
      int[] running = {0};
      Runnable[] startMore = new Runnable[1];
      startMore[0] =
          () -> {
            while (running[0] < concurrency && next[0] < hosts.length) {
              int h = hosts[next[0]++];
              running[0]++;
              Host host = inv.host(h);
              Consumer<Outcome> done =
                  o -> {
                    running[0]--;
                    results.put(h, o);
                    if (!o.ok()) {
                      failures++;
                    }
                    progress(err, results.size(), hosts.length);
                    startMore[0].run();
                  };
              try {
                t.start(new Execution(step, host, Execution.Phase.ACTION, 1), done);
              } catch (RenderException refused) {
                Outcome o = Outcome.failure(-1, "", "not run: " + refused.getMessage());
                clock.post(() -> done.accept(o));
              }
            }
          };
      startMore[0].run();
      while (results.size() < hosts.length) {
        clock.runNext(true);
      }
    }
    if (System.console() != null) {
      Terminal.raw(err).print("\r\033[K");
    }
    List<Group> groups = group(results, inv);
    long failed = groups.stream().filter(g -> !g.ok()).mapToLong(g -> g.hosts().size()).sum();
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("command", cmd);
      out.put("hosts", hosts.length);
      out.put("failed", failed);
      out.put("seconds", (System.nanoTime() - t0) / 1e9);
      List<Map<String, Object>> gs = new ArrayList<>();
      for (Group g : groups) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", g.hosts().size());
        m.put("ok", g.ok());
        m.put("exit", g.exit());
        m.put("output", g.output());
        if (!g.reason().isEmpty()) {
          m.put("reason", g.reason());
        }
        m.put("hosts", g.hosts());
        gs.add(m);
      }
      out.put("groups", gs);
      System.out.println(
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    } else {
      for (Group g : groups) {
        System.out.println(describe(g));
      }
      System.out.printf(
          "%s host(s), %s failed, in %.1f s%n",
          Count.of(hosts.length), Count.of(failed), (System.nanoTime() - t0) / 1e9);
    }
    return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
  }

  private Target target(Plan plan, WallClock clock) {
    return switch (target) {
      case ssh -> {
        yield new SshTarget(plan, clock, ssh.settings().oneShot());
      }
      case local -> new LocalTarget(plan, clock, Path.of("").toAbsolutePath(), concurrency);
      case sim ->
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(), "exec runs on real hosts: --target ssh or local");
    };
  }

  private Inventory loadInventory() {
    Problems problems = new Problems();
    Path file = inventory;
    if (Files.isDirectory(file) || file.getFileName().toString().equals("plan.yaml")) {
      Plan plan = PlanArgument.load(file, System.err);
      return plan.inventory();
    }
    if (!Files.exists(file)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "no inventory at " + file + "; give one with -i FILE (an inventory, or a plan)");
    }
    Inventory inv = InventoryLoader.load(file, problems);
    if (problems.hasErrors()) {
      throw new InvalidInputException(problems);
    }
    return inv;
  }

  private long lastProgress;
  private int failures;

  /** The live line on a terminal, at most ten times a second. */
  private void progress(PrintStream err, int done, int total) {
    if (System.console() == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastProgress < 100_000_000L && done < total) {
      return;
    }
    lastProgress = now;
    Terminal.raw(err).print("\r\033[K");
    err.print(
        "exec: "
            + Count.of(done)
            + "/"
            + Count.of(total)
            + " done, "
            + Count.of(failures)
            + " failed");
    err.flush();
  }

  /** Hosts grouped by identical result, the largest group first, hosts in inventory order. */
  static List<Group> group(Map<Integer, Outcome> results, Inventory inv) {
    Map<String, Group> groups = new LinkedHashMap<>();
    new TreeMap<>(results) // hosts in inventory order
        .forEach(
            (h, o) -> {
              String output = o.output().strip();
              String key = o.ok() + "\0" + o.exitCode() + "\0" + output + "\0" + o.reason();
              groups
                  .computeIfAbsent(
                      key,
                      k -> new Group(o.ok(), o.exitCode(), output, o.reason(), new ArrayList<>()))
                  .hosts()
                  .add(inv.host(h).name());
            });
    List<Group> out = new ArrayList<>(groups.values());
    out.sort((a, b) -> b.hosts().size() - a.hosts().size());
    return out;
  }

  /** A group as printed: its outcome, its output (escaped, see {@link Terminal}), its hosts. */
  private static String describe(Group g) {
    StringBuilder b = new StringBuilder(Count.of(g.hosts().size()) + " host(s): ");
    if (g.ok()) {
      b.append("ok");
    } else {
      b.append(Terminal.safe(g.reason().isEmpty() ? "exit " + g.exit() : g.reason()));
    }
    if (!g.output().isEmpty()) {
      String out = g.output().length() > 2000 ? g.output().substring(0, 2000) + " ..." : g.output();
      b.append(":\n    ").append(Terminal.safeLines(out).replace("\n", "\n    "));
    }
    List<String> names = g.hosts().subList(0, Math.min(8, g.hosts().size()));
    b.append("\n  ").append(Terminal.safe(String.join(", ", names)));
    if (g.hosts().size() > names.size()) {
      b.append(", and ").append(Count.of(g.hosts().size() - names.size())).append(" more");
    }
    return b.toString();
  }
}
