package io.upshift.journal;

import io.upshift.engine.RunState;
import io.upshift.inventory.Host;
import io.upshift.plan.Plan;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run was started from, kept with it so that resume can tell whether the plan changed in a
 * way that makes the recorded steps mean something else: a hash of the host list, and one per step
 * of what the step does (its kind, subjects, hosts, waves, version, command and check; not its
 * name, duration or timeout, which change nothing done).
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** The fingerprint of a plan, as text lines {@code KEY HASH}. */
  public static String of(Plan plan) {
    StringBuilder out = new StringBuilder();
    lines(plan).forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
    return out.toString();
  }

  private static Map<String, String> lines(Plan plan) {
    Map<String, String> out = new LinkedHashMap<>();
    StringBuilder names = new StringBuilder();
    StringBuilder hosts = new StringBuilder();
    for (Host h : plan.inventory().hosts()) {
      names.append(h.name()).append('\n');
      hosts
          .append(h.name())
          .append('|')
          .append(h.site())
          .append('|')
          .append(h.cell())
          .append('|')
          .append(h.roles())
          .append('|')
          .append(new TreeMap<>(h.labels()))
          .append('\n');
    }
    out.put("host-names", sha(names.toString()));
    out.put("hosts", sha(hosts.toString()));
    for (Stage stage : plan.stages()) {
      for (Step step : stage.steps()) {
        out.put("step-" + step.id(), sha(canonical(plan, step)));
      }
    }
    return out;
  }

  private static String canonical(Plan plan, Step step) {
    StringBuilder s = new StringBuilder();
    s.append(step.kind().key())
        .append('|')
        .append(step.subjects())
        .append('|')
        .append(step.on() == null ? "" : step.on().text())
        .append('|')
        .append(step.waves())
        .append('|')
        .append(step.version())
        .append('|')
        .append(step.run())
        .append('|');
    if (step.check() != null) {
      s.append(step.check().describe())
          .append('|')
          .append(step.check().expectExit())
          .append('|')
          .append(step.check().expectOutput());
    }
    s.append('|');
    for (int h : step.hosts()) {
      s.append(plan.inventory().host(h).name()).append(',');
    }
    return s.toString();
  }

  private static String sha(String text) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0) {
        out.put(line.substring(0, sp), line.substring(sp + 1));
      }
    }
    return out;
  }

  /** How a plan differs from what a run was started from. */
  public record Changes(boolean hostsRenumbered, List<String> changed) {
    public boolean none() {
      return !hostsRenumbered && changed.isEmpty();
    }
  }

  /**
   * Compares a plan with a run's recorded fingerprint, over the steps the run has started (later
   * steps may change freely: they are verified again before they run).
   */
  public static Changes compare(String recorded, Plan plan, RunState state) {
    Map<String, String> was = parse(recorded);
    Map<String, String> now = lines(plan);
    boolean renumbered = !now.get("host-names").equals(was.get("host-names"));
    List<String> changed = new ArrayList<>();
    if (!renumbered && !now.get("hosts").equals(was.get("hosts"))) {
      changed.add("the inventory's hosts (sites, cells, roles or labels)");
    }
    for (Map.Entry<String, String> e : was.entrySet()) {
      if (!e.getKey().startsWith("step-")) {
        continue;
      }
      String[] at = e.getKey().substring(5).split("\\.");
      int stage = Integer.parseInt(at[0]);
      int index = Integer.parseInt(at[1]);
      boolean current = stage == state.stage() && index == state.step();
      if (stage > state.stage() || (stage == state.stage() && index > state.step())) {
        continue; // not started: it may change
      }
      String what = current ? "started" : "done";
      if (stage >= plan.stages().size() || index >= plan.stages().get(stage).steps().size()) {
        changed.add(
            "step "
                + (index + 1)
                + " of stage "
                + (stage + 1)
                + ", which the run has "
                + what
                + ", is gone from the plan");
        continue;
      }
      Stage st = plan.stages().get(stage);
      Step step = st.steps().get(index);
      if (!e.getValue().equals(now.get(e.getKey()))) {
        changed.add(
            "stage `"
                + st.name()
                + "` "
                + step.describe()
                + " ("
                + step.at()
                + "), which the run has "
                + what);
      }
    }
    return new Changes(renumbered, changed);
  }
}
