package io.upshift.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.engine.RunSummary;
import io.upshift.plan.Capability;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.source.Terminal;
import io.upshift.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers behind the report's charts, as one JSON object for the page's script: stages with
 * their steps and batches, and each capability's predicted and measured windows. Times are seconds
 * from the run's start, on the run's clock.
 */
final class ChartData {
  /** At most this many batch bars per step; more are merged into neighbours. */
  static final int BATCH_BARS = 400;

  private ChartData() {}

  static String json(ReportData data, Verifier.Report predicted) {
    RunSummary s = data.summary();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("makespan", sec(data.makespan()));
    root.put("predictedMakespan", predicted == null ? null : sec(predicted.p95().makespan()));
    List<Object> stages = new ArrayList<>();
    for (Stage stage : data.plan().stages()) {
      RunSummary.StageResult r = s.stages().get(stage.index());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", Terminal.safe(stage.name()));
      m.put("status", r.start() < 0 ? "not-started" : r.status().word());
      m.put("start", r.start() < 0 ? null : sec(r.start()));
      m.put("end", r.start() < 0 ? null : sec(r.end() < 0 ? data.makespan() : r.end()));
      if (predicted != null) {
        RunSummary.StageResult p = predicted.expected().stages().get(stage.index());
        m.put("predicted", List.of(sec(p.start()), sec(p.end())));
      }
      List<Object> steps = new ArrayList<>();
      for (Step step : stage.steps()) {
        ReportData.StepRun run = data.step(stage.index(), step.index());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("label", (step.index() + 1) + " " + Terminal.safe(step.name()));
        st.put("start", run.start < 0 ? null : sec(run.start));
        st.put("end", run.start < 0 ? null : sec(run.end));
        st.put("failed", run.failed);
        st.put("batches", batches(run.batches));
        steps.add(st);
      }
      m.put("steps", steps);
      stages.add(m);
    }
    root.put("stages", stages);
    List<Object> caps = new ArrayList<>();
    for (Capability c : data.plan().capabilities().values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", Terminal.safe(c.name()));
      if (predicted != null) {
        m.put("expected", windows(predicted.expected().windows().get(c.name())));
        m.put("p95", windows(predicted.p95().windows().get(c.name())));
      }
      m.put("measured", windows(s.windows().get(c.name())));
      List<Object> probes = new ArrayList<>();
      for (ReportData.ProbeRun p : data.probes()) {
        if (p.capability.equals(c.name())) {
          probes.add(Map.of("probe", Terminal.safe(p.probe), "windows", windows(p.windows)));
        }
      }
      m.put("probes", probes);
      caps.add(m);
    }
    root.put("capabilities", caps);
    try {
      String json = new ObjectMapper().writeValueAsString(root);
      // safe inside <script>: no tag or comment can start, no line separator ends a JS string
      return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Batches as {@code [start, end, failed]}, merged into at most {@link #BATCH_BARS} bars. */
  private static List<double[]> batches(List<ReportData.Batch> batches) {
    List<double[]> out = new ArrayList<>();
    int per = (batches.size() + BATCH_BARS - 1) / BATCH_BARS;
    for (int i = 0; i < batches.size(); i += Math.max(1, per)) {
      long start = Long.MAX_VALUE;
      long end = 0;
      int failed = 0;
      for (int j = i; j < Math.min(batches.size(), i + Math.max(1, per)); j++) {
        ReportData.Batch b = batches.get(j);
        start = Math.min(start, b.start);
        end = Math.max(end, b.end);
        failed += b.failed;
      }
      out.add(new double[] {sec(start), sec(end), failed});
    }
    return out;
  }

  private static List<double[]> windows(List<RunSummary.Window> windows) {
    List<double[]> out = new ArrayList<>();
    if (windows != null) {
      for (RunSummary.Window w : windows) {
        out.add(new double[] {sec(w.start()), sec(w.end()), w.open() ? 1 : 0});
      }
    }
    return out;
  }

  private static double sec(long millis) {
    return Math.round(millis / 100.0) / 10.0;
  }
}
