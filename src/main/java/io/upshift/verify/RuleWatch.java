package io.upshift.verify;

import io.upshift.engine.FleetState;
import io.upshift.engine.FleetState.HostPhase;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.inventory.Host;
import io.upshift.plan.Capability;
import io.upshift.plan.CompatRule;
import io.upshift.plan.CompatRule.VersionCondition;
import io.upshift.plan.Component;
import io.upshift.plan.ComponentState;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.source.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the compatibility rules on every state a run can pass through. It listens to the engine
 * walking the plan; at the start of each batch it looks at the worst case: every host of the batch
 * may be before, during or after its step while the others are anywhere else (hosts of a batch
 * change in any order), and the hosts outside the batch are as they are.
 */
final class RuleWatch implements RunListener {
  private final Plan plan;
  private final Findings findings;
  private final List<CompatRule.Uniform> uniform = new ArrayList<>();
  private final List<CompatRule.Requires> requires = new ArrayList<>();
  private final List<CompatRule.Allow> allows = new ArrayList<>();
  private final Map<String, Scopes> scopes = new HashMap<>();
  private final Map<String, List<Host>> databaseHolders = new HashMap<>();

  RuleWatch(Plan plan, Findings findings) {
    this.plan = plan;
    this.findings = findings;
    for (CompatRule rule : plan.compatibility()) {
      switch (rule) {
        case CompatRule.Uniform u -> {
          uniform.add(u);
          scopes.put(u.id(), new Scopes(u.scope(), plan.inventory(), Set.of(u.component())));
        }
        case CompatRule.Requires r -> {
          requires.add(r);
          Set<String> components = new LinkedHashSet<>(r.when().keySet());
          components.addAll(r.needs().keySet());
          scopes.put(r.id(), new Scopes(r.scope(), plan.inventory(), components));
        }
        case CompatRule.Allow a -> allows.add(a);
      }
    }
    for (Host h : plan.inventory().hosts()) {
      h.databases()
          .keySet()
          .forEach(d -> databaseHolders.computeIfAbsent(d, k -> new ArrayList<>()).add(h));
    }
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    switch (event) {
      case RunEvent.RunStarted e -> initial(state.fleet());
      case RunEvent.BatchStarted e -> batch(state, e);
      default -> {}
    }
  }

  /** The phases each host of a batch can be in; hosts outside it have one: as they are. */
  private record Batch(
      Step step,
      String stage,
      String wave,
      Map<Integer, List<HostPhase>> phases,
      FleetState fleet) {}

  /** Checks the rules on the fleet as it is (before a plan, or between stages of a run). */
  void initial(FleetState fleet) {
    Batch none = new Batch(null, null, "", Map.of(), fleet);
    for (CompatRule.Uniform u : uniform) {
      scopes.get(u.id()).keys().forEach(k -> uniform(u, k, none));
    }
    for (CompatRule.Requires r : requires) {
      scopes.get(r.id()).keys().forEach(k -> requires(r, k, none));
    }
  }

  private void batch(RunState state, RunEvent.BatchStarted e) {
    Step step = state.progress().step();
    boolean changesAnything =
        step.kind() == io.upshift.plan.StepKind.REBOOT
            || step.kind().during().isPresent()
            || step.kind().after().isPresent()
            || step.kind().changesVersion();
    if (!changesAnything) {
      return; // a step without effects leaves every state as it was: nothing new can break
    }
    Map<Integer, List<HostPhase>> phases = new LinkedHashMap<>();
    for (int h : e.hosts()) {
      phases.put(h, state.fleet().phases(step, h));
    }
    String group =
        state.progress().groupCount() > 1
            ? " of " + step.waves().groupBy() + " " + state.progress().groupName(e.group())
            : "";
    Batch batch =
        new Batch(
            step, state.currentStage().name(), "wave " + e.batch() + group, phases, state.fleet());
    for (CompatRule.Uniform u : uniform) {
      touched(u.id(), e.hosts()).forEach(k -> uniform(u, k, batch));
    }
    for (CompatRule.Requires r : requires) {
      touched(r.id(), e.hosts()).forEach(k -> requires(r, k, batch));
    }
    schema(batch);
    everyInstance(batch);
  }

  private Set<String> touched(String rule, int[] hosts) {
    Scopes s = scopes.get(rule);
    Set<String> keys = new LinkedHashSet<>();
    for (int h : hosts) {
      String k = s.key(h);
      if (s.members(k).length > 0) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** All serving instances of the component in the scope must be able to share one version. */
  private void uniform(CompatRule.Uniform u, String key, Batch batch) {
    Map<String, Set<Integer>> who = new LinkedHashMap<>();
    for (int h : scopes.get(u.id()).members(key)) {
      List<HostPhase> phases = batch.phases().get(h);
      if (phases == null) {
        if (batch.fleet().state(u.component(), h) == ComponentState.SERVING) {
          who.computeIfAbsent(
                  String.valueOf(batch.fleet().version(u.component(), h)),
                  v -> new LinkedHashSet<>())
              .add(h);
        }
        continue;
      }
      for (HostPhase p : phases) {
        if (p.serving().contains(u.component()) && p.versions().containsKey(u.component())) {
          who.computeIfAbsent(
                  String.valueOf(p.versions().get(u.component())), v -> new LinkedHashSet<>())
              .add(h);
        }
      }
    }
    List<String> versions = new ArrayList<>(who.keySet());
    for (int i = 0; i < versions.size(); i++) {
      for (int j = i + 1; j < versions.size(); j++) {
        Set<Integer> a = who.get(versions.get(i));
        Set<Integer> b = who.get(versions.get(j));
        boolean sameLoneHost = a.size() == 1 && a.equals(b);
        if (!sameLoneHost) {
          String scope = Scopes.describe(u.scope(), key);
          report(
              u.id(),
              batch,
              u.at(),
              "serving `"
                  + u.component()
                  + "` instances in "
                  + scope
                  + " would run "
                  + versions.get(i)
                  + " and "
                  + versions.get(j)
                  + " at once",
              u.why(),
              "drain every serving `"
                  + u.component()
                  + "` in "
                  + scope
                  + " before the first one changes, and undrain them together after; or change them all in one batch while drained",
              changing(batch, scopes.get(u.id()).members(key)));
          return;
        }
      }
    }
  }

  private record Version(int host, int phase, String component, String version) {}

  /** When a component is at its version, the needed ones in the scope must be at theirs. */
  private void requires(CompatRule.Requires r, String key, Batch batch) {
    List<Version> triggers = new ArrayList<>();
    List<Version> failures = new ArrayList<>();
    for (int h : scopes.get(r.id()).members(key)) {
      List<HostPhase> phases = batch.phases().get(h);
      int count = phases == null ? 1 : phases.size();
      for (int p = 0; p < count; p++) {
        for (var w : r.when().entrySet()) {
          String v = version(batch, phases, p, w.getKey(), h);
          if (v != null && matches(v, w.getValue())) {
            triggers.add(new Version(h, p, w.getKey(), v));
          }
        }
        for (var n : r.needs().entrySet()) {
          String v = version(batch, phases, p, n.getKey(), h);
          if (v != null && !matches(v, n.getValue())) {
            failures.add(new Version(h, p, n.getKey(), v));
          }
        }
      }
    }
    for (Version t : triggers) {
      for (Version f : failures) {
        boolean together = t.host() != f.host() || t.phase() == f.phase();
        if (together && !allowed(t, f)) {
          String scope = Scopes.describe(r.scope(), key);
          String needed = f.component() + "` " + r.needs().get(f.component());
          report(
              r.id(),
              batch,
              r.at(),
              "`"
                  + t.component()
                  + "` would run "
                  + t.version()
                  + " in "
                  + scope
                  + " while `"
                  + f.component()
                  + "` there is at "
                  + f.version(),
              r.why(),
              "upgrade `" + needed + " in " + scope + " first",
              changing(batch, scopes.get(r.id()).members(key)));
          return;
        }
      }
    }
  }

  /** The version of a component on a host in one of its phases; null when it does not run it. */
  private static String version(
      Batch batch, List<HostPhase> phases, int phase, String component, int host) {
    if (phases == null) {
      return batch.fleet().state(component, host) == null
          ? null
          : String.valueOf(batch.fleet().version(component, host));
    }
    return phases.get(phase).versions().containsKey(component)
        ? String.valueOf(phases.get(phase).versions().get(component))
        : null;
  }

  private boolean allowed(Version a, Version b) {
    for (CompatRule.Allow allow : allows) {
      VersionCondition ca = allow.versions().get(a.component());
      VersionCondition cb = allow.versions().get(b.component());
      if (ca != null && cb != null && matches(a.version(), ca) && matches(b.version(), cb)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(String version, VersionCondition condition) {
    if (version == null) {
      return false;
    }
    if (!condition.orNewer()) {
      return version.equals(condition.version());
    }
    return plan.releaseRank(version) >= plan.releaseRank(condition.version());
  }

  /** New code must not serve on an older schema of its database. */
  private void schema(Batch batch) {
    for (var entry : batch.phases().entrySet()) {
      Host host = plan.inventory().host(entry.getKey());
      for (HostPhase p : entry.getValue()) {
        for (String c : p.serving()) {
          Component component = plan.components().get(c);
          String code = p.versions().get(c);
          if (component == null || component.database() == null || code == null) {
            continue;
          }
          for (Host db : holders(component.database(), host)) {
            List<HostPhase> dbPhases = batch.phases().get(db.index());
            List<String> schemas =
                dbPhases == null
                    ? java.util.Collections.singletonList(
                        batch.fleet().schema(component.database(), db.index()))
                    : dbPhases.stream().map(dp -> dp.schemas().get(component.database())).toList();
            for (String schema : schemas) {
              if (schema != null && plan.releaseRank(schema) < plan.releaseRank(code)) {
                report(
                    "schema-before-code",
                    batch,
                    batch.step().at(),
                    "`"
                        + c
                        + "` would serve "
                        + code
                        + " while its `"
                        + component.database()
                        + "` database is at "
                        + schema,
                    "new code needs the new schema; it may fail or corrupt data on the old one",
                    "run `db-sync: "
                        + component.database()
                        + "` on "
                        + db.name()
                        + " before this step, or keep `"
                        + c
                        + "` stopped or drained until it has run",
                    List.of(host.name()));
              }
            }
          }
        }
      }
    }
  }

  /** The holders of a database nearest a host: in its cell, else its site, else anywhere. */
  private List<Host> holders(String database, Host near) {
    List<Host> all = databaseHolders.getOrDefault(database, List.of());
    List<Host> cell =
        all.stream()
            .filter(h -> h.site().equals(near.site()) && h.cell().equals(near.cell()))
            .toList();
    if (!cell.isEmpty()) {
      return cell;
    }
    List<Host> site = all.stream().filter(h -> h.site().equals(near.site())).toList();
    return site.isEmpty() ? all : site;
  }

  /** A capability that needs every instance may never lose one. */
  private void everyInstance(Batch batch) {
    for (Capability cap : plan.capabilities().values()) {
      if (!cap.every()) {
        continue;
      }
      java.util.BitSet on = cap.on() == null ? null : plan.inventory().select(cap.on());
      List<String> hosts = new ArrayList<>();
      String lost = null;
      for (var entry : batch.phases().entrySet()) {
        if (on != null && !on.get(entry.getKey())) {
          continue;
        }
        boolean loses = false;
        for (HostPhase p : entry.getValue()) {
          for (String c : cap.components()) {
            if (p.versions().containsKey(c) && !p.serving().contains(c)) {
              lost = c;
              loses = true;
            }
          }
        }
        if (loses) {
          hosts.add(plan.inventory().host(entry.getKey()).name());
        }
      }
      if (!hosts.isEmpty()) {
        report(
            "needs-every",
            batch,
            batch.step().at(),
            "`" + cap.name() + "` would go down: this step takes `" + lost + "` out of service",
            "`"
                + cap.name()
                + "` needs every `"
                + String.join("`, `", cap.components())
                + "` instance serving, all the time",
            "move the workloads off these hosts first (a step that migrates or evacuates them), or do not stop `"
                + lost
                + "`",
            hosts);
      }
    }
  }

  private List<String> changing(Batch batch, int[] members) {
    List<String> out = new ArrayList<>();
    for (int h : members) {
      if (batch.phases().containsKey(h)) {
        out.add(plan.inventory().host(h).name());
      }
    }
    if (out.isEmpty()) {
      for (int h : members) {
        out.add(plan.inventory().host(h).name());
      }
    }
    return out;
  }

  private void report(
      String rule,
      Batch batch,
      io.upshift.source.Position ruleAt,
      String message,
      String why,
      String hint,
      List<String> hosts) {
    if (batch.step() == null) {
      findings.add(
          rule,
          Severity.ERROR,
          null,
          null,
          "",
          ruleAt,
          "before the plan starts, " + message,
          why,
          hint,
          hosts);
    } else {
      findings.add(
          rule,
          Severity.ERROR,
          batch.stage(),
          batch.step().describe(),
          batch.wave(),
          batch.step().at(),
          message,
          why,
          hint,
          hosts);
    }
  }
}
