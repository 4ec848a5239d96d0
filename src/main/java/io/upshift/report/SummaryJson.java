package io.upshift.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the run summary JSON of docs/CONTRACTS (kept stable for scripts): times in seconds from
 * the run's start, on the run's clock.
 */
public final class SummaryJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int MAX_FAILED_HOSTS = 1000;

  private SummaryJson() {}

  /** The summary as a JSON-ready tree. */
  public static Map<String, Object> tree(RunSummary s) {
    return tree(s, null);
  }

  /**
   * The summary as a JSON-ready tree, with the plan's rehearsal beside what happened when {@code
   * predicted} is given (a real run): {@code predicted_makespan_s} (expected, and its 95th
   * percentile), for each stage {@code predicted: {start_s, end_s, duration_s, duration_p95_s}},
   * and for each capability {@code predicted: {downtime_s, downtime_p95_s, windows}}.
   */
  public static Map<String, Object> tree(RunSummary s, Verifier.Report predicted) {
    return tree(s, predicted, -1);
  }

  /**
   * The same, with {@code started_at} (Unix seconds) when {@code startedAtMillis} is not negative:
   * the wall-clock moment the run's clock read 0, for a real run.
   */
  public static Map<String, Object> tree(
      RunSummary s, Verifier.Report predicted, long startedAtMillis) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("plan", s.plan().name());
    root.put("target", s.target());
    root.put("seed", s.seed());
    if (startedAtMillis >= 0) {
      root.put("started_at", startedAtMillis / 1000.0);
    }
    root.put("status", s.status().word());
    root.put("makespan_s", seconds(s.makespan()));
    if (predicted != null) {
      root.put("predicted_makespan_s", seconds(predicted.expected().makespan()));
      root.put("predicted_makespan_p95_s", seconds(predicted.p95().makespan()));
    }
    root.put("hosts", s.plan().inventory().size());
    List<Object> stages = new ArrayList<>();
    for (int i = 0; i < s.stages().size(); i++) {
      RunSummary.StageResult r = s.stages().get(i);
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("name", r.name());
      st.put("status", r.start() < 0 ? "not-started" : r.status().word());
      st.put("start_s", r.start() < 0 ? null : seconds(r.start()));
      st.put("end_s", r.end() < 0 ? null : seconds(r.end()));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("succeeded", r.succeeded());
      counts.put("failed", r.failed());
      counts.put("skipped", r.skipped());
      st.put("steps", counts);
      if (predicted != null && i < predicted.expected().stages().size()) {
        RunSummary.StageResult e = predicted.expected().stages().get(i);
        RunSummary.StageResult q = predicted.p95().stages().get(i);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("start_s", e.start() < 0 ? null : seconds(e.start()));
        p.put("end_s", e.end() < 0 ? null : seconds(e.end()));
        p.put("duration_s", e.start() < 0 ? null : seconds(e.end() - e.start()));
        p.put("duration_p95_s", q.start() < 0 ? null : seconds(q.end() - q.start()));
        st.put("predicted", p);
      }
      stages.add(st);
    }
    root.put("stages", stages);
    List<Object> caps = new ArrayList<>();
    s.windows()
        .forEach(
            (name, windows) -> {
              Map<String, Object> c = new LinkedHashMap<>();
              c.put("name", name);
              c.put("downtime_s", seconds(s.downtime(name)));
              long budget = s.plan().capabilities().get(name).maxDowntimeMillis();
              if (budget >= 0) {
                c.put("max_downtime_s", seconds(budget));
                c.put("over_budget", s.downtime(name) > budget);
              }
              if (s.measured().containsKey(name)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("downtime_s", seconds(s.measuredDowntime(name)));
                m.put("samples", s.probeTally(name)[0]);
                m.put("failed_samples", s.probeTally(name)[1]);
                m.put("windows", windowList(s.measured().get(name)));
                c.put("measured", m);
              }
              c.put("windows", windowList(windows));
              if (predicted != null) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("downtime_s", seconds(predicted.expected().downtime(name)));
                p.put("downtime_p95_s", seconds(predicted.p95().downtime(name)));
                p.put(
                    "windows",
                    windowList(predicted.expected().windows().getOrDefault(name, List.of())));
                c.put("predicted", p);
              }
              caps.add(c);
            });
    root.put("capabilities", caps);
    RunState state = s.state();
    Map<String, Object> steps = new LinkedHashMap<>();
    steps.put("total", state == null ? 0 : state.stepsTotal());
    steps.put("succeeded", state == null ? 0 : state.stepsSucceeded());
    steps.put("failed", state == null ? 0 : state.stepsFailed());
    steps.put("skipped", state == null ? 0 : state.stepsSkipped());
    steps.put(
        "not_run",
        state == null
            ? 0
            : state.stepsTotal()
                - state.stepsSucceeded()
                - state.stepsFailed()
                - state.stepsSkipped());
    root.put("steps", steps);
    if (state != null && state.haltReason() != null) {
      root.put("halt_reason", state.haltReason());
    }
    List<Object> failed = new ArrayList<>();
    if (state != null) {
      for (RunState.Failure f : state.failures().stream().limit(MAX_FAILED_HOSTS).toList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", f.hostName());
        m.put("stage", s.plan().stages().get(f.stage()).name());
        m.put("step", f.stepName());
        m.put("phase", f.phase().word());
        m.put("at_s", seconds(f.at()));
        m.put("exit_code", f.exitCode());
        m.put("reason", f.reason());
        failed.add(m);
      }
      root.put("failed_hosts_total", state.failures().size());
    }
    root.put("failed_hosts", failed);
    return root;
  }

  public static void write(RunSummary s, Path file) throws IOException {
    write(s, null, file);
  }

  /** Writes the summary, with the plan's rehearsal beside it when {@code predicted} is given. */
  public static void write(RunSummary s, Verifier.Report predicted, Path file) throws IOException {
    write(s, predicted, -1, file);
  }

  /**
   * The same, with the real run's {@code started_at} (see {@link #tree(RunSummary, Verifier.Report,
   * long)}).
   */
  public static void write(RunSummary s, Verifier.Report predicted, long startedAtMillis, Path file)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), tree(s, predicted, startedAtMillis));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  private static List<Object> windowList(List<RunSummary.Window> windows) {
    List<Object> out = new ArrayList<>();
    for (RunSummary.Window w : windows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start_s", seconds(w.start()));
      m.put("end_s", seconds(w.end()));
      if (w.open()) {
        m.put("still_down", true);
      }
      out.add(m);
    }
    return out;
  }
}
