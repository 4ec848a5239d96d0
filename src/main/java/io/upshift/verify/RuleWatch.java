package io.upshift.verify;

import io.upshift.engine.Execution;
import io.upshift.engine.FleetState;
import io.upshift.engine.FleetState.Moment;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.inventory.Host;
import io.upshift.plan.Capability;
import io.upshift.plan.CompatRule;
import io.upshift.plan.CompatRule.VersionCondition;
import io.upshift.plan.Component;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.source.Position;
import io.upshift.source.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the compatibility rules on every state a run can pass through. It listens to the engine
 * walking the plan; at the start of each batch it looks at the worst case: every host of the batch
 * may be before, during or after its step while the others are anywhere else (hosts of a batch
 * change in any order), and the hosts outside the batch are as they are.
 *
 * <p>It works on the fleet's compact tables (release ranks and state bits by component index), as
 * every batch rescans the scopes its hosts belong to.
 */
final class RuleWatch implements RunListener {
  private final Plan plan;
  private final Findings findings;
  private final List<CompatRule.Uniform> uniform = new ArrayList<>();
  private final List<CompatRule.Requires> requires = new ArrayList<>();
  private final List<CompatRule.Allow> allows = new ArrayList<>();
  private final Map<String, Scopes> scopes = new HashMap<>();
  private final Map<String, List<Host>> databaseHolders = new HashMap<>();
  private final Map<String, int[]> nearestHolders = new HashMap<>();
  private final Map<String, BitSet> capabilityHosts = new HashMap<>();
  private final int releases;

  /** Index of the fleet's tables, resolved on the first state seen. */
  private FleetState fleet;

  /** The moments of each host of the current batch, by host index; null outside it. */
  private Moment[][] batchMoments;

  RuleWatch(Plan plan, Findings findings) {
    this.plan = plan;
    this.findings = findings;
    this.releases = plan.releases().size();
    this.batchMoments = new Moment[plan.inventory().size()][];
    Map<CompatRule.Scope, String[]> keys = new EnumMap<>(CompatRule.Scope.class);
    // type tests rather than a switch on types, which links through a class made at every start
    for (CompatRule rule : plan.compatibility()) {
      if (rule instanceof CompatRule.Uniform u) {
        uniform.add(u);
        scopes.put(
            u.id(),
            new Scopes(u.scope(), plan.inventory(), Set.of(u.component()), keys(keys, u.scope())));
      } else if (rule instanceof CompatRule.Requires r) {
        requires.add(r);
        Set<String> components = new LinkedHashSet<>(r.when().keySet());
        components.addAll(r.needs().keySet());
        scopes.put(
            r.id(), new Scopes(r.scope(), plan.inventory(), components, keys(keys, r.scope())));
      } else if (rule instanceof CompatRule.Allow a) {
        allows.add(a);
      }
    }
    for (Host h : plan.inventory().hosts()) {
      for (String d : h.databases().keySet()) {
        databaseHolders.computeIfAbsent(d, k -> new ArrayList<>()).add(h);
      }
    }
    for (Capability cap : plan.capabilities().values()) {
      if (cap.every() && cap.on() != null) {
        capabilityHosts.put(cap.name(), plan.inventory().select(cap.on()));
      }
    }
  }

  /** Each host's key in a scope, made once for all the rules of that scope. */
  private String[] keys(Map<CompatRule.Scope, String[]> made, CompatRule.Scope scope) {
    String[] k = made.get(scope);
    if (k == null) {
      k = Scopes.keysOf(scope, plan.inventory());
      made.put(scope, k);
    }
    return k;
  }

  @Override
  public void onEvent(RunEvent event, RunState state) {
    // Plain type tests, actions first: they are nearly all of a walk's events.
    if (event instanceof RunEvent.ActionStarted e) {
      changed(e.stage(), e.step(), e.host(), e.phase());
    } else if (event instanceof RunEvent.ActionFinished e) {
      changed(e.stage(), e.step(), e.host(), e.phase());
    } else if (event instanceof RunEvent.BatchStarted e) {
      batch(state, e);
    } else if (event instanceof RunEvent.RunStarted) {
      initial(state.fleet());
    }
  }

  /** A host's state may have changed: the tallies of the rules its step concerns read it again. */
  private void changed(int stage, int step, int host, Execution.Phase phase) {
    if (phase == Execution.Phase.CHECK) {
      return;
    }
    Step s = plan.stages().get(stage).steps().get(step);
    List<Tally> concerned = affected.get(s);
    if (concerned == null) { // the tallies of the rules the step concerns (made anew by initial)
      concerned = new ArrayList<>();
      Concerned rules = concerned(s);
      for (CompatRule.Uniform u : rules.uniform()) {
        concerned.add(tallies.get(u.id()));
      }
      for (CompatRule.Requires r : rules.requires()) {
        concerned.add(tallies.get(r.id()));
      }
      affected.put(s, concerned);
    }
    for (int i = 0; i < concerned.size(); i++) {
      concerned.get(i).dirty(host);
    }
  }

  /** Where a state is being checked: a wave of a step, or none (the fleet as it is). */
  private record Batch(Step step, String stage, String wave, int[] hosts) {}

  /** Checks the rules on the fleet as it is (before a plan, or between stages of a run). */
  void initial(FleetState fleet) {
    this.fleet = fleet;
    tallies.clear();
    affected.clear();
    int hosts = plan.inventory().size();
    for (CompatRule.Uniform u : uniform) {
      int c = fleet.componentIndex(u.component());
      tallies.put(
          u.id(),
          new Tally(
              scopes.get(u.id()),
              hosts,
              1,
              releases,
              (slot, h) -> this.fleet.serving(c, h) ? this.fleet.versionRank(c, h) : -1));
    }
    for (CompatRule.Requires r : requires) {
      Side when = Side.of(r.when(), fleet, plan);
      Side needs = Side.of(r.needs(), fleet, plan);
      sides.put(r.id(), new Side[] {when, needs});
      tallies.put(
          r.id(),
          new Tally(
              scopes.get(r.id()),
              hosts,
              when.size() + needs.size(),
              releases,
              (slot, h) ->
                  slot < when.size()
                      ? this.fleet.versionRank(when.component[slot], h)
                      : this.fleet.versionRank(needs.component[slot - when.size()], h)));
    }
    Batch none = new Batch(null, null, "", new int[0]);
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
        step.kind() == StepKind.REBOOT
            || step.kind().during().isPresent()
            || step.kind().after().isPresent()
            || step.kind().changesVersion();
    if (!changesAnything) {
      return; // a step without effects leaves every state as it was: nothing new can break
    }
    fleet = state.fleet();
    Concerned concerned = concerned(step);
    List<CompatRule.Uniform> u = concerned.uniform();
    List<CompatRule.Requires> r = concerned.requires();
    List<WithDatabase> code = concerned.code();
    List<Capability> every = concerned.every();
    if (u.isEmpty() && r.isEmpty() && code.isEmpty() && every.isEmpty()) {
      return;
    }
    int previous = -1;
    for (int h : e.hosts()) {
      // moments are only read: hosts alike share them (a batch is mostly of one kind of host)
      batchMoments[h] =
          previous >= 0 && fleet.alike(previous, h)
              ? batchMoments[previous]
              : fleet.moments(step, h);
      previous = h;
    }
    String group =
        state.progress().groupCount() > 1
            ? " of " + step.waves().groupBy() + " " + state.progress().groupName(e.group())
            : "";
    Batch batch =
        new Batch(step, state.currentStage().name(), "wave " + e.batch() + group, e.hosts());
    try {
      for (CompatRule.Uniform rule : u) {
        for (String k : touched(rule.id(), e.hosts())) {
          uniform(rule, k, batch);
        }
      }
      for (CompatRule.Requires rule : r) {
        for (String k : touched(rule.id(), e.hosts())) {
          requires(rule, k, batch);
        }
      }
      schema(batch, code);
      for (Capability cap : every) {
        everyInstance(batch, cap);
      }
    } finally {
      for (int h : e.hosts()) {
        batchMoments[h] = null;
      }
    }
  }

  /** What a step's batches can break: the rules and capabilities whose components it changes. */
  private record Concerned(
      List<CompatRule.Uniform> uniform,
      List<CompatRule.Requires> requires,
      List<WithDatabase> code,
      List<Capability> every) {}

  private final Map<Step, Concerned> concerned = new IdentityHashMap<>();

  /**
   * Only the rules whose components the step changes can break in its batches; the rest held
   * before. Found once per step: a step on thousands of hosts has dozens of batches.
   */
  private Concerned concerned(Step step) {
    Concerned c = concerned.get(step);
    if (c != null) {
      return c;
    }
    // loops rather than streams: this runs before the JIT has compiled it
    List<CompatRule.Uniform> u = new ArrayList<>();
    for (CompatRule.Uniform x : uniform) {
      if (changes(step, Set.of(x.component()))) {
        u.add(x);
      }
    }
    List<CompatRule.Requires> r = new ArrayList<>();
    for (CompatRule.Requires x : requires) {
      if (changes(step, x.when().keySet()) || changes(step, x.needs().keySet())) {
        r.add(x);
      }
    }
    List<Capability> every = new ArrayList<>();
    for (Capability cap : plan.capabilities().values()) {
      if (cap.every() && changes(step, Set.copyOf(cap.components()))) {
        every.add(cap);
      }
    }
    c = new Concerned(u, r, newCode(step), every);
    concerned.put(step, c);
    return c;
  }

  /**
   * Whether a step can change the state or version of any of the components. A reboot can, but only
   * while it runs: after it every host is as before, so new states come only from the step's own
   * subjects and the reboot's "everything stopped" moment.
   */
  private static boolean changes(Step step, Set<String> components) {
    if (step.kind() == StepKind.REBOOT) {
      return true;
    }
    for (String s : step.subjects()) {
      if (components.contains(s)) {
        return true;
      }
    }
    return false;
  }

  private Set<String> touched(String rule, int[] hosts) {
    Scopes s = scopes.get(rule);
    Set<String> keys = new LinkedHashSet<>();
    String last = null; // hosts of a batch mostly share their scope: look each key up once
    for (int h : hosts) {
      String k = s.key(h);
      if (k != last && s.members(k).length > 0) {
        keys.add(k);
      }
      last = k;
    }
    return keys;
  }

  /**
   * The hosts of the batch in the scope {@code key}, in inventory order: from the scope's members
   * when it has fewer than the batch (a rule per host meets a batch of hundreds once per host).
   */
  private int[] batchHostsIn(Tally tally, String key, Batch batch) {
    int[] members = tally.scopes().members(key);
    int[] from = members.length < batch.hosts().length ? members : batch.hosts();
    int[] out = new int[Math.min(members.length, batch.hosts().length)];
    int n = 0;
    for (int h : from) {
      if (batchMoments[h] != null && tally.in(key, h)) {
        out[n++] = h;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** All serving instances of the component in the scope must be able to share one version. */
  private void uniform(CompatRule.Uniform u, String key, Batch batch) {
    int c = fleet.componentIndex(u.component());
    if (c < 0) {
      return;
    }
    Tally tally = tallies.get(u.id());
    tally.refresh();
    int[] inScope = batchHostsIn(tally, key, batch);
    int[] count = tally.outside(key, inScope)[0]; // hosts serving each release
    int[] lone = new int[releases]; // the one host serving it, when there is one
    for (int v = 0; v < releases; v++) {
      lone[v] = -2 - v; // hosts outside the batch serve one release each: never the same one
    }
    for (int h : inScope) {
      Moment[] moments = batchMoments[h];
      for (int i = 0; i < moments.length; i++) {
        int v = moments[i].version(c);
        if (moments[i].serving(c) && !servedEarlier(moments, i, c, v)) {
          serves(count, lone, v, h); // a host counts once for each release it serves
        }
      }
    }
    int[] members = tally.scopes().members(key);
    for (int i = 0; i < releases; i++) {
      for (int j = i + 1; count[i] > 0 && j < releases; j++) {
        if (count[j] == 0) {
          continue;
        }
        boolean sameLoneHost = count[i] == 1 && count[j] == 1 && lone[i] == lone[j];
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
                  + release(i)
                  + " and "
                  + release(j)
                  + " at once",
              u.why(),
              "drain every serving `"
                  + u.component()
                  + "` in "
                  + scope
                  + " before the first one changes, and undrain them together after; or change them all in one batch while drained",
              changing(members));
          return;
        }
      }
    }
  }

  private static boolean servedEarlier(Moment[] moments, int moment, int component, int release) {
    for (int i = 0; i < moment; i++) {
      if (moments[i].serving(component) && moments[i].version(component) == release) {
        return true;
      }
    }
    return false;
  }

  private static void serves(int[] count, int[] lone, int release, int host) {
    if (release < 0 || release >= count.length) {
      return;
    }
    if (count[release]++ == 0) {
      lone[release] = host;
    }
  }

  /**
   * One side of a {@code requires} rule seen on a host: entry {@code entry} of {@code when} (a
   * trigger) or of {@code needs} (a failure) at a release, on a host of the batch in one of its
   * moments, or on several hosts ({@code host} -1): outside the batch, or alike in it.
   */
  private record Seen(int entry, int release, int host, int moment) {}

  /**
   * One side of a {@code requires} rule by index: for each entry, the component's index in the
   * fleet's tables and the release rank it names.
   */
  private record Side(String[] names, int[] component, int[] rank, boolean[] orNewer) {
    static Side of(Map<String, VersionCondition> entries, FleetState fleet, Plan plan) {
      int n = entries.size();
      Side side = new Side(new String[n], new int[n], new int[n], new boolean[n]);
      int i = 0;
      for (var e : entries.entrySet()) {
        side.names[i] = e.getKey();
        side.component[i] = fleet.componentIndex(e.getKey());
        side.rank[i] = plan.releaseRank(e.getValue().version());
        side.orNewer[i] = e.getValue().orNewer();
        i++;
      }
      return side;
    }

    int size() {
      return names.length;
    }

    boolean matches(int entry, int release) {
      return orNewer[entry] ? release >= rank[entry] : release == rank[entry];
    }

    /** The release of entry {@code entry}'s component in a moment, or -1. */
    int version(int entry, Moment m) {
      return component[entry] < 0 ? -1 : m.version(component[entry]);
    }
  }

  private final Map<String, Side[]> sides = new HashMap<>();
  private final Map<String, Tally> tallies = new HashMap<>();
  private final Map<Step, List<Tally>> affected = new IdentityHashMap<>();

  /** When a component is at its version, the needed ones in the scope must be at theirs. */
  private void requires(CompatRule.Requires r, String key, Batch batch) {
    Side[] both = sides.get(r.id());
    Side when = both[0];
    Side needs = both[1];
    // Hosts outside the batch: which (entry, release) pairs occur at all; any trigger there
    // meets any failure there (different hosts, or the same host at the same moment).
    boolean[][] triggerOut = new boolean[when.size()][releases];
    boolean[][] failureOut = new boolean[needs.size()][releases];
    List<Seen> triggers = new ArrayList<>();
    List<Seen> failures = new ArrayList<>();
    Tally tally = tallies.get(r.id());
    tally.refresh();
    int[] inScope = batchHostsIn(tally, key, batch);
    int[][] outside = tally.outside(key, inScope); // when entries, then needs entries
    for (int v = 0; v < releases; v++) {
      for (int i = 0; i < when.size(); i++) {
        triggerOut[i][v] = outside[i][v] > 0 && when.matches(i, v);
      }
      for (int i = 0; i < needs.size(); i++) {
        failureOut[i][v] = outside[when.size() + i][v] > 0 && !needs.matches(i, v);
      }
    }
    for (int next = 0; next < inScope.length; ) {
      int h = inScope[next];
      Moment[] moments = batchMoments[h];
      int alike = next + 1; // hosts alike come in a row and share their moments (see batch)
      while (alike < inScope.length && batchMoments[inScope[alike]] == moments) {
        alike++;
      }
      // Several hosts alike: one's trigger meets another's failure, whatever the moments, as
      // outside the batch; seen once, as hosts outside are (host -1).
      int who = alike - next > 1 ? -1 : h;
      next = alike;
      for (int m = 0; m < moments.length; m++) {
        for (int i = 0; i < when.size(); i++) {
          int v = when.version(i, moments[m]);
          if (v >= 0 && when.matches(i, v)) {
            triggers.add(new Seen(i, v, who, m));
          }
        }
        for (int i = 0; i < needs.size(); i++) {
          int v = needs.version(i, moments[m]);
          if (v >= 0 && !needs.matches(i, v)) {
            failures.add(new Seen(i, v, who, m));
          }
        }
      }
    }
    int[] members = tally.scopes().members(key);
    outside(triggerOut, triggers);
    outside(failureOut, failures);
    for (Seen t : triggers) {
      for (Seen f : failures) {
        boolean together = t.host() != f.host() || t.host() < 0 || t.moment() == f.moment();
        String tc = when.names[t.entry()];
        String fc = needs.names[f.entry()];
        if (together && !allowed(tc, t.release(), fc, f.release())) {
          String scope = Scopes.describe(r.scope(), key);
          report(
              r.id(),
              batch,
              r.at(),
              "`"
                  + tc
                  + "` would run "
                  + release(t.release())
                  + " in "
                  + scope
                  + " while `"
                  + fc
                  + "` there is at "
                  + release(f.release()),
              r.why(),
              "upgrade `" + fc + "` " + r.needs().get(fc) + " in " + scope + " first",
              changing(members));
          return;
        }
      }
    }
  }

  private static void outside(boolean[][] seen, List<Seen> into) {
    for (int i = 0; i < seen.length; i++) {
      for (int v = 0; v < seen[i].length; v++) {
        if (seen[i][v]) {
          into.add(new Seen(i, v, -1, 0));
        }
      }
    }
  }

  private boolean allowed(String a, int va, String b, int vb) {
    for (CompatRule.Allow allow : allows) {
      VersionCondition ca = allow.versions().get(a);
      VersionCondition cb = allow.versions().get(b);
      if (ca != null && cb != null && matches(va, ca) && matches(vb, cb)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(int release, VersionCondition condition) {
    int wanted = plan.releaseRank(condition.version());
    return condition.orNewer() ? release >= wanted : release == wanted;
  }

  private String release(int rank) {
    return rank >= 0 && rank < releases ? plan.releases().get(rank) : "an unknown release";
  }

  /** A component with a database, by its indexes in the fleet's tables. */
  private record WithDatabase(Component component, int c, int d) {}

  private List<WithDatabase> withDatabase;

  private List<WithDatabase> withDatabase() {
    if (withDatabase == null) {
      withDatabase = new ArrayList<>();
      for (Component component : plan.components().values()) {
        int c = fleet.componentIndex(component.name());
        if (component.database() != null && c >= 0) {
          withDatabase.add(
              new WithDatabase(component, c, fleet.databaseIndex(component.database())));
        }
      }
    }
    return withDatabase;
  }

  /** The step's components that have a database: the code it may put in service. */
  private List<WithDatabase> newCode(Step step) {
    if (step.kind() == StepKind.REBOOT || step.kind().subject() != StepKind.Subject.COMPONENTS) {
      return List.of(); // a reboot and database steps never put new code in service
    }
    List<WithDatabase> out = new ArrayList<>();
    for (WithDatabase w : withDatabase()) {
      if (step.subjects().contains(w.component().name())) {
        out.add(w);
      }
    }
    return out;
  }

  /** New code must not serve on an older schema of its database. */
  private void schema(Batch batch, List<WithDatabase> changed) {
    if (changed.isEmpty()) {
      return;
    }
    for (int h : batch.hosts()) {
      Host host = plan.inventory().host(h);
      for (Moment m : batchMoments[h]) {
        for (int wi = 0; wi < changed.size(); wi++) {
          WithDatabase w = changed.get(wi);
          Component component = w.component();
          int c = w.c();
          if (!m.serving(c) || m.version(c) < 0) {
            continue;
          }
          int code = m.version(c);
          int d = w.d();
          for (int db : holders(component.database(), host)) {
            Moment[] dbMoments = batchMoments[db];
            int count = dbMoments == null ? 1 : dbMoments.length;
            for (int i = 0; i < count; i++) {
              int schema = dbMoments == null ? fleet.schemaRank(d, db) : dbMoments[i].schema(d);
              if (schema >= 0 && schema < code) {
                report(
                    "schema-before-code",
                    batch,
                    batch.step().at(),
                    "`"
                        + component.name()
                        + "` would serve "
                        + release(code)
                        + " while its `"
                        + component.database()
                        + "` database is at "
                        + release(schema),
                    "new code needs the new schema; it may fail or corrupt data on the old one",
                    "run `db-sync: "
                        + component.database()
                        + "` on "
                        + plan.inventory().host(db).name()
                        + " before this step, or keep `"
                        + component.name()
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
  private int[] holders(String database, Host near) {
    return nearestHolders.computeIfAbsent(
        database + '\u0000' + near.site() + '\u0000' + near.cell(),
        k -> {
          List<Host> all = databaseHolders.getOrDefault(database, List.of());
          List<Host> cell =
              all.stream()
                  .filter(h -> h.site().equals(near.site()) && h.cell().equals(near.cell()))
                  .toList();
          List<Host> site = all.stream().filter(h -> h.site().equals(near.site())).toList();
          List<Host> nearest = !cell.isEmpty() ? cell : site.isEmpty() ? all : site;
          return nearest.stream().mapToInt(Host::index).toArray();
        });
  }

  /** A capability that needs every instance may never lose one. */
  private void everyInstance(Batch batch, Capability cap) {
    BitSet on = capabilityHosts.get(cap.name());
    int[] components = cap.components().stream().mapToInt(fleet::componentIndex).toArray();
    List<String> hosts = new ArrayList<>();
    String lost = null;
    for (int h : batch.hosts()) {
      if (on != null && !on.get(h)) {
        continue;
      }
      boolean loses = false;
      for (Moment m : batchMoments[h]) {
        for (int i = 0; i < components.length; i++) {
          int c = components[i];
          if (c >= 0 && m.present(c) && !m.serving(c)) {
            lost = cap.components().get(i);
            loses = true;
          }
        }
      }
      if (loses) {
        hosts.add(plan.inventory().host(h).name());
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

  /** The hosts of a scope the batch changes, or all of them when it changes none. */
  private List<String> changing(int[] members) {
    List<String> out = new ArrayList<>();
    for (int h : members) {
      if (batchMoments[h] != null) {
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
      Position ruleAt,
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
