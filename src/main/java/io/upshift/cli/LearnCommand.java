package io.upshift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent;
import io.upshift.inventory.Host;
import io.upshift.journal.Journal;
import io.upshift.journal.Resumption;
import io.upshift.journal.RunRecord;
import io.upshift.plan.DurationModel;
import io.upshift.plan.LearnedDurations;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift learn RUN}: how long each step took on each class of hosts in a real run, as
 * duration models a plan's rehearsal can use ({@code rehearsal: {durations: FILE}}), so that the
 * next prediction starts from what the fleet really did.
 */
final class LearnCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CommandSpec spec;
  final RecordedRun recorded = new RecordedRun();
  Path output;
  String by;

  CommandSpec spec() {
    spec =
        Args.command(
            "learn",
            "Learn duration models from a real run, per step and host class, for the plan's"
                + " rehearsal (rehearsal: {durations: FILE}).",
            this);
    recorded.addTo(spec);
    return spec.addOption(
            Args.option(
                    new String[] {"-o", "--output"},
                    "FILE",
                    Path.class,
                    "Write the models to FILE (default: standard output).",
                    v -> output = v)
                .build())
        .addOption(
            Args.option(
                    "--by",
                    "KEYS",
                    String.class,
                    "The selector keys that make a host class, comma-separated (default: role,os;"
                        + " e.g. role,os,hypervisor).",
                    v -> by = v)
                .build());
  }

  /** One step's action (or check) durations on one host class, in milliseconds. */
  private record Sample(int stage, int step, boolean check, String hostClass) {}

  @Override
  public Integer call() throws IOException {
    PrintStream err = System.err;
    List<String> classBy =
        by == null
            ? LearnedDurations.DEFAULT_CLASS_BY
            : Arrays.stream(by.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (classBy.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--by needs at least one selector key, e.g. --by role,os");
    }
    if (output != null && ReportOptions.problem(output) != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "-o " + output + ": " + ReportOptions.problem(output));
    }
    try (Journal journal = recorded.openJournal()) {
      RunRecord record = recorded.find(journal);
      Plan plan = recorded.plan(record);
      if (record.target().equals("sim")) {
        err.println(
            "upshift: warning: run "
                + record.id()
                + " is a rehearsal: its durations are the plan's own models, not the fleet's");
      }
      Map<Sample, List<Long>> samples = collect(journal, record, plan, classBy);
      String text = render(plan, record, classBy, samples);
      if (output == null) {
        System.out.print(text);
      } else {
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(
            tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      long actions = samples.values().stream().mapToLong(List::size).sum();
      err.println(
          "upshift: learned "
              + samples.size()
              + " model(s) (step and host class) from "
              + actions
              + " action(s) of run "
              + record.id()
              + (output == null ? "" : "; written to " + output));
      err.println(
          "  hint: to rehearse with them, add to the plan: rehearsal: {durations: "
              + (output == null ? "FILE" : output.getFileName())
              + "}");
      return samples.isEmpty() ? ExitCode.FAILED : ExitCode.OK;
    }
  }

  /** The durations of the run's successful actions and checks, by step and host class. */
  private static Map<Sample, List<Long>> collect(
      Journal journal, RunRecord record, Plan plan, List<String> classBy) {
    Map<Long, Long> started = new HashMap<>();
    Map<Sample, List<Long>> samples = new TreeMap<>(LearnCommand::order);
    Map<Integer, String> classes = new HashMap<>();
    Resumption.replay(
        journal,
        record.id(),
        plan,
        List.of(
            (event, state) -> {
              if (event instanceof RunEvent.ActionStarted e && e.phase() != Phase.UNDO) {
                started.put(key(e.stage(), e.step(), e.host(), e.phase()), e.at());
              } else if (event instanceof RunEvent.ActionFinished e && e.phase() != Phase.UNDO) {
                Long from = started.remove(key(e.stage(), e.step(), e.host(), e.phase()));
                if (from != null && e.outcome().ok()) {
                  Host host = plan.inventory().host(e.host());
                  String c =
                      classes.computeIfAbsent(
                          e.host(), h -> LearnedDurations.classOf(host, classBy));
                  samples
                      .computeIfAbsent(
                          new Sample(e.stage(), e.step(), e.phase() == Phase.CHECK, c),
                          k -> new ArrayList<>())
                      .add(e.at() - from);
                }
              }
            }));
    return samples;
  }

  private static long key(int stage, int step, int host, Phase phase) {
    return ((long) stage << 48) | ((long) step << 32) | ((long) host << 2) | phase.ordinal();
  }

  private static int order(Sample a, Sample b) {
    int c = Integer.compare(a.stage(), b.stage());
    if (c == 0) {
      c = Integer.compare(a.step(), b.step());
    }
    if (c == 0) {
      c = Boolean.compare(a.check(), b.check());
    }
    return c != 0 ? c : a.hostClass().compareTo(b.hostClass());
  }

  /** The models as the YAML file the plan reads (strings JSON-quoted, which YAML reads too). */
  private static String render(
      Plan plan, RunRecord record, List<String> classBy, Map<Sample, List<Long>> samples)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(
            "# Durations learned by `upshift learn` from a real run: per step and host class, the\n")
        .append(
            "# uniform model with the mean and 95th percentile observed. A plan uses them with\n")
        .append("# rehearsal: {durations: THIS-FILE}.\n")
        .append("upshift-durations: 1\n")
        .append("plan: ")
        .append(JSON.writeValueAsString(plan.name()))
        .append("\nrun: ")
        .append(JSON.writeValueAsString(record.id()))
        .append("\nclass-by: ")
        .append(JSON.writeValueAsString(classBy))
        .append("\nsteps:\n");
    Sample open = null;
    for (Map.Entry<Sample, List<Long>> e : samples.entrySet()) {
      Sample s = e.getKey();
      if (open == null
          || open.stage() != s.stage()
          || open.step() != s.step()
          || open.check() != s.check()) {
        Step step = plan.stages().get(s.stage()).steps().get(s.step());
        b.append("  - stage: ")
            .append(JSON.writeValueAsString(plan.stages().get(s.stage()).name()))
            .append("\n    step: ")
            .append(s.step() + 1)
            .append("\n    name: ")
            .append(JSON.writeValueAsString(step.name()))
            .append("\n    phase: ")
            .append(s.check() ? "check" : "action")
            .append("\n    classes:\n");
        open = s;
      }
      long[] d = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
      long mean = Math.round(Arrays.stream(d).average().orElse(0));
      long p95 = d[Math.max(0, (int) Math.ceil(0.95 * d.length) - 1)];
      DurationModel m = LearnedDurations.fit(mean, p95);
      b.append("      - class: ")
          .append(JSON.writeValueAsString(s.hostClass()))
          .append("\n        samples: ")
          .append(d.length)
          .append("\n        mean: ")
          .append(mean)
          .append("ms\n        p95: ")
          .append(p95)
          .append("ms\n        duration: ")
          .append(m.minMillis())
          .append("ms..")
          .append(m.maxMillis())
          .append("ms\n");
    }
    return b.toString();
  }
}
