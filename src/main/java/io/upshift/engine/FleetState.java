package io.upshift.engine;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.plan.Capability;
import io.upshift.plan.ComponentState;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version and state of every component instance and database on every host, and from them which
 * capabilities are up. Updated by the declared effects of steps (see {@link StepKind}); a
 * capability's availability is always derived here, never set by hand.
 */
public final class FleetState {
  private static final byte ABSENT = -1;

  /** Bits of an instance's state byte. */
  private static final byte STOPPED = 1;

  private static final byte DRAINED = 2;

  private final Plan plan;
  private final Map<String, Integer> componentIndex;
  private final Map<String, Integer> databaseIndex;
  private final Map<String, Byte> ranks; // release -> rank

  /** [component][host]: STOPPED and DRAINED bits (0 is serving), or ABSENT. */
  private final byte[][] state;

  /**
   * [component][host]: rank of the version in the plan's releases (-2 when not a known release).
   */
  private final byte[][] version;

  /** [database][host]: rank of the schema version. */
  private final byte[][] schema;

  private final Map<Integer, byte[]> beforeReboot = new HashMap<>();
  private final Map<Long, Byte> prior = new HashMap<>(); // versions before a step changed them
  private final boolean undoable; // some step declares an undo: keep what versions were
  private final List<Tracked> capabilities = new ArrayList<>();
  private final List<List<int[]>> watchers; // component -> (capability, slot)
  private final List<String> changes = new ArrayList<>();

  /** A capability's live counters: per needed component, serving and total instances. */
  private static final class Tracked {
    final Capability capability;
    final BitSet hosts; // null: every host
    final int[] serving;
    final int[] total;
    int[] uses = new int[0]; // the capabilities it works through
    int[] usedBy = new int[0]; // and the ones working through it
    boolean own; // its own components serve
    boolean up; // and every capability it uses is up

    Tracked(Capability capability, BitSet hosts, int slots) {
      this.capability = capability;
      this.hosts = hosts;
      this.serving = new int[slots];
      this.total = new int[slots];
    }

    boolean compute() {
      for (int i = 0; i < serving.length; i++) {
        boolean ok = capability.every() ? serving[i] == total[i] : serving[i] > 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }

  public FleetState(Plan plan) {
    this.plan = plan;
    this.componentIndex = new LinkedHashMap<>();
    this.databaseIndex = new LinkedHashMap<>();
    this.ranks = ranks(plan);
    this.undoable =
        plan.stages().stream().flatMap(st -> st.steps().stream()).anyMatch(st -> st.undo() != null);
    Inventory inventory = plan.inventory();
    plan.components().keySet().forEach(c -> componentIndex.putIfAbsent(c, componentIndex.size()));
    // Run by run (Inventory.runs): this runs before the JIT has compiled anything.
    int[] runs = inventory.runs();
    for (int r = 0; r + 1 < runs.length; r++) {
      Host h = inventory.host(runs[r]);
      for (String c : h.components().keySet()) {
        componentIndex.putIfAbsent(c, componentIndex.size());
      }
      for (String d : h.databases().keySet()) {
        databaseIndex.putIfAbsent(d, databaseIndex.size());
      }
    }
    int n = inventory.size();
    state = new byte[componentIndex.size()][];
    version = new byte[componentIndex.size()][];
    schema = new byte[databaseIndex.size()][];
    // instances and serving ones of each component, fleet-wide: what most capabilities count
    int[] instances = new int[componentIndex.size()];
    int[] serving = new int[componentIndex.size()];
    for (int r = 0; r + 1 < runs.length; r++) {
      Host first = inventory.host(runs[r]);
      for (Map.Entry<String, String> cv : first.components().entrySet()) {
        int ci = componentIndex.get(cv.getKey());
        if (state[ci] == null) {
          state[ci] = filled(n);
          version[ci] = filled(n);
        }
        byte st = initial(first.states().get(cv.getKey()));
        Arrays.fill(state[ci], runs[r], runs[r + 1], st);
        Arrays.fill(version[ci], runs[r], runs[r + 1], rank(cv.getValue()));
        instances[ci] += runs[r + 1] - runs[r];
        if (st == 0) {
          serving[ci] += runs[r + 1] - runs[r];
        }
      }
      for (Map.Entry<String, String> dv : first.databases().entrySet()) {
        int di = databaseIndex.get(dv.getKey());
        if (schema[di] == null) {
          schema[di] = filled(n);
        }
        Arrays.fill(schema[di], runs[r], runs[r + 1], rank(dv.getValue()));
      }
    }
    watchers = new ArrayList<>();
    for (int i = 0; i < componentIndex.size(); i++) {
      watchers.add(new ArrayList<>());
    }
    for (Capability cap : plan.capabilities().values()) {
      BitSet hosts = cap.on() == null ? null : inventory.select(cap.on());
      Tracked t = new Tracked(cap, hosts, cap.components().size());
      int ti = capabilities.size();
      for (int slot = 0; slot < cap.components().size(); slot++) {
        Integer ci = componentIndex.get(cap.components().get(slot));
        if (ci == null) {
          continue;
        }
        watchers.get(ci).add(new int[] {ti, slot});
        if (state[ci] == null) {
          continue;
        }
        if (hosts == null) {
          t.total[slot] = instances[ci];
          t.serving[slot] = serving[ci];
          continue;
        }
        for (int h = hosts.nextSetBit(0); h >= 0 && h < n; h = hosts.nextSetBit(h + 1)) {
          if (state[ci][h] != ABSENT) {
            t.total[slot]++;
            if (state[ci][h] == 0) {
              t.serving[slot]++;
            }
          }
        }
      }
      t.own = t.compute();
      capabilities.add(t);
    }
    link();
  }

  /** Resolves each capability's {@code uses} to indexes, and its availability through them. */
  private void link() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < capabilities.size(); i++) {
      index.put(capabilities.get(i).capability.name(), i);
    }
    List<List<Integer>> usedBy = new ArrayList<>();
    capabilities.forEach(t -> usedBy.add(new ArrayList<>()));
    for (int i = 0; i < capabilities.size(); i++) {
      Tracked t = capabilities.get(i);
      t.uses =
          t.capability.uses().stream().filter(index::containsKey).mapToInt(index::get).toArray();
      for (int u : t.uses) {
        usedBy.get(u).add(i);
      }
    }
    for (int i = 0; i < capabilities.size(); i++) {
      capabilities.get(i).usedBy = usedBy.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    for (Tracked t : capabilities) {
      t.up = through(t, 0);
    }
  }

  /** A capability's availability: its own, and through each capability it uses (no cycles). */
  private boolean through(Tracked t, int depth) {
    if (!t.own || depth > capabilities.size()) {
      return false;
    }
    for (int u : t.uses) {
      if (!through(capabilities.get(u), depth + 1)) {
        return false;
      }
    }
    return true;
  }

  /** Re-derives a capability after its own state or a used one's changed, and those using it. */
  private void refresh(Tracked t) {
    boolean up = through(t, 0);
    if (up != t.up) {
      t.up = up;
      changes.add(t.capability.name());
      for (int d : t.usedBy) {
        refresh(capabilities.get(d));
      }
    }
  }

  /** A copy that can go its own way: for walking the rest of a plan from the state of a run. */
  public FleetState copy() {
    return new FleetState(this);
  }

  private FleetState(FleetState o) {
    plan = o.plan;
    componentIndex = o.componentIndex;
    databaseIndex = o.databaseIndex;
    ranks = o.ranks;
    undoable = o.undoable;
    state = deep(o.state);
    version = deep(o.version);
    schema = deep(o.schema);
    o.beforeReboot.forEach((h, saved) -> beforeReboot.put(h, saved.clone()));
    prior.putAll(o.prior);
    watchers = o.watchers;
    for (Tracked t : o.capabilities) {
      Tracked c = new Tracked(t.capability, t.hosts, t.serving.length);
      System.arraycopy(t.serving, 0, c.serving, 0, t.serving.length);
      System.arraycopy(t.total, 0, c.total, 0, t.total.length);
      c.uses = t.uses;
      c.usedBy = t.usedBy;
      c.own = t.own;
      c.up = t.up;
      capabilities.add(c);
    }
  }

  private static byte[][] deep(byte[][] a) {
    byte[][] out = new byte[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] == null ? null : a[i].clone();
    }
    return out;
  }

  private static byte initial(String state) {
    return switch (state == null ? "serving" : state) {
      case "stopped" -> STOPPED;
      case "drained" -> DRAINED;
      default -> 0;
    };
  }

  private static byte[] filled(int n) {
    byte[] a = new byte[n];
    Arrays.fill(a, ABSENT);
    return a;
  }

  /** The rank of the release a step moves to (looked up once per step, as its subjects are). */
  private byte versionRank(Step step) {
    indexes(step, false);
    return versionOfIndexed;
  }

  private byte rank(String release) {
    Byte r = ranks.get(release);
    return r == null ? -2 : r;
  }

  private static Map<String, Byte> ranks(Plan plan) {
    Map<String, Byte> out = new HashMap<>();
    for (int i = 0; i < plan.releases().size(); i++) {
      out.putIfAbsent(plan.releases().get(i), (byte) Math.min(i, Byte.MAX_VALUE));
    }
    return out;
  }

  /** Applies the effects a step has while it runs on {@code host}. */
  public void started(Step step, int host) {
    if (step.kind() == StepKind.REBOOT) {
      byte[] saved = new byte[state.length];
      for (int c = 0; c < state.length; c++) {
        saved[c] = state[c] == null ? ABSENT : state[c][host];
        if (saved[c] != ABSENT) {
          set(c, host, (byte) (saved[c] | STOPPED));
        }
      }
      beforeReboot.put(host, saved);
      return;
    }
    // no lambdas on a per-host path: the interpreter links and allocates one at every call
    StepKind.Effect during = step.kind().during().orElse(null);
    if (during != null) {
      apply(step, host, during);
    }
  }

  /** Applies the effects a step has once it succeeded on {@code host}. */
  public void succeeded(Step step, int host) {
    if (step.kind() == StepKind.REBOOT) {
      byte[] saved = beforeReboot.remove(host);
      if (saved != null) {
        for (int c = 0; c < saved.length; c++) {
          if (saved[c] != ABSENT) {
            set(c, host, saved[c]);
          }
        }
      }
      return;
    }
    StepKind.Effect after = step.kind().after().orElse(null);
    if (after != null) {
      apply(step, host, after);
    }
    if (step.kind().changesVersion()) {
      boolean db = step.kind().subject() == StepKind.Subject.DATABASES;
      byte[][] table = db ? schema : version;
      byte r = versionRank(step);
      for (int i : indexes(step, db)) {
        if (i >= 0 && table[i] != null && table[i][host] != ABSENT) {
          if (undoable) {
            prior.put(priorKey(db, i, host), table[i][host]);
          }
          table[i][host] = r;
        }
      }
    }
  }

  /** A new stage: what the steps of the last one changed can no longer be undone. */
  public void forgetPrior() {
    prior.clear();
  }

  private static long priorKey(boolean db, int index, int host) {
    return ((long) index << 33) | ((long) host << 1) | (db ? 1 : 0);
  }

  /**
   * Takes back what a step did on a host, after its declared undo succeeded there: the opposite of
   * its effects, and the versions it had before.
   */
  public void undone(Step step, int host) {
    if (step.kind() != StepKind.REBOOT) {
      step.kind().after().ifPresent(e -> apply(step, host, opposite(e)));
      step.kind().during().ifPresent(e -> apply(step, host, opposite(e)));
    }
    if (step.kind().changesVersion()) {
      boolean db = step.kind().subject() == StepKind.Subject.DATABASES;
      byte[][] table = db ? schema : version;
      for (int i : indexes(step, db)) {
        if (i >= 0 && table[i] != null) {
          Byte before = prior.remove(priorKey(db, i, host));
          if (before != null) {
            table[i][host] = before;
          }
        }
      }
    }
  }

  private static StepKind.Effect opposite(StepKind.Effect e) {
    return switch (e) {
      case STOPS -> StepKind.Effect.STARTS;
      case STARTS -> StepKind.Effect.STOPS;
      case DRAINS -> StepKind.Effect.UNDRAINS;
      case UNDRAINS -> StepKind.Effect.DRAINS;
    };
  }

  /**
   * A failed step leaves what it did while running in place: a failed reboot leaves the host down.
   */
  public void failed(Step step, int host) {
    beforeReboot.remove(host);
  }

  private void apply(Step step, int host, StepKind.Effect effect) {
    for (int ci : indexes(step, false)) {
      if (ci >= 0 && state[ci] != null && state[ci][host] != ABSENT) {
        set(ci, host, effect(state[ci][host], effect));
      }
    }
  }

  /** The last step whose subjects were looked up, and their indexes: a batch asks many times. */
  private Step indexed;

  private int[] componentsOfIndexed;
  private int[] databasesOfIndexed;
  private byte versionOfIndexed;

  /**
   * The indexes of a step's subjects in the component tables (or the database tables), -1 for a
   * subject the fleet does not have.
   */
  private int[] indexes(Step step, boolean databases) {
    if (step != indexed) {
      List<String> subjects = step.subjects();
      componentsOfIndexed = new int[subjects.size()];
      databasesOfIndexed = new int[subjects.size()];
      for (int i = 0; i < subjects.size(); i++) {
        componentsOfIndexed[i] = componentIndex.getOrDefault(subjects.get(i), -1);
        databasesOfIndexed[i] = databaseIndex.getOrDefault(subjects.get(i), -1);
      }
      versionOfIndexed = step.version() == null ? -2 : rank(step.version());
      indexed = step;
    }
    return databases ? databasesOfIndexed : componentsOfIndexed;
  }

  private void set(int ci, int host, byte s) {
    byte old = state[ci][host];
    if (old == ABSENT || old == s) {
      return;
    }
    state[ci][host] = s;
    boolean serving = s == 0;
    if ((old == 0) == serving) {
      return;
    }
    List<int[]> concerned = watchers.get(ci);
    for (int i = 0; i < concerned.size(); i++) {
      int[] w = concerned.get(i);
      Tracked t = capabilities.get(w[0]);
      if (t.hosts != null && !t.hosts.get(host)) {
        continue;
      }
      t.serving[w[1]] += serving ? 1 : -1;
      boolean own = t.compute();
      if (own != t.own) {
        t.own = own;
        refresh(t);
      }
    }
  }

  /**
   * What one host runs at one moment, indexed like {@link #componentIndex} and {@link
   * #databaseIndex}: each component's state bits (0 is serving, -1 absent) and release rank, each
   * database's schema rank (-1 absent).
   */
  public record Moment(byte[] bits, byte[] versions, byte[] schemas) {
    public boolean present(int component) {
      return bits[component] != ABSENT;
    }

    public boolean serving(int component) {
      return bits[component] == 0;
    }

    /** The release rank of a component, or -1 when the host does not run it. */
    public int version(int component) {
      return bits[component] == ABSENT ? -1 : versions[component];
    }

    public int schema(int database) {
      return schemas[database];
    }
  }

  /**
   * The moments a step can put a host through, worst case: as it is, while the step runs (the
   * effects that hold from its start), and after it succeeded.
   */
  public Moment[] moments(Step step, int host) {
    byte[] before = column(state, host);
    byte[] during = before.clone();
    byte[] after;
    if (step.kind() == StepKind.REBOOT) {
      for (int c = 0; c < during.length; c++) {
        if (during[c] != ABSENT) {
          during[c] |= STOPPED;
        }
      }
      after = before.clone();
    } else {
      StepKind.Effect whileRunning = step.kind().during().orElse(null);
      if (whileRunning != null) {
        effect(during, step, whileRunning);
      }
      after = during.clone();
      StepKind.Effect once = step.kind().after().orElse(null);
      if (once != null) {
        effect(after, step, once);
      }
    }
    byte[] versionsBefore = column(version, host);
    byte[] schemasBefore = column(schema, host);
    byte[] versionsAfter = versionsBefore;
    byte[] schemasAfter = schemasBefore;
    if (step.kind().changesVersion()) {
      boolean db = step.kind().subject() == StepKind.Subject.DATABASES;
      byte[] changed = (db ? schemasBefore : versionsBefore).clone();
      byte r = versionRank(step);
      for (int i : indexes(step, db)) {
        if (i >= 0 && changed[i] != ABSENT) {
          changed[i] = r;
        }
      }
      if (db) {
        schemasAfter = changed;
      } else {
        versionsAfter = changed;
      }
    }
    return new Moment[] {
      new Moment(before, versionsBefore, schemasBefore),
      new Moment(during, versionsBefore, schemasBefore),
      new Moment(after, versionsAfter, schemasAfter)
    };
  }

  /**
   * Whether two hosts are alike: every component in the same state at the same version, every
   * schema at the same version. A step then puts them through the same {@link #moments}.
   */
  public boolean alike(int a, int b) {
    return sameColumn(state, a, b) && sameColumn(version, a, b) && sameColumn(schema, a, b);
  }

  private static boolean sameColumn(byte[][] table, int a, int b) {
    for (byte[] row : table) {
      if (row != null && row[a] != row[b]) {
        return false;
      }
    }
    return true;
  }

  /** The index of a component in {@link Moment}s and the accessors below, or -1. */
  public int componentIndex(String component) {
    return componentIndex.getOrDefault(component, -1);
  }

  /** The index of a database in {@link Moment}s and the accessors below, or -1. */
  public int databaseIndex(String database) {
    return databaseIndex.getOrDefault(database, -1);
  }

  /** Whether the component (by index) is on the host and serving. */
  public boolean serving(int component, int host) {
    return component >= 0 && state[component] != null && state[component][host] == 0;
  }

  /** The release rank of the component (by index) on the host, or -1 when it does not run it. */
  public int versionRank(int component, int host) {
    if (component < 0 || state[component] == null || state[component][host] == ABSENT) {
      return -1;
    }
    return version[component][host];
  }

  /** The schema rank of the database (by index) on the host, or -1 when it holds none. */
  public int schemaRank(int database, int host) {
    return database < 0 || schema[database] == null ? -1 : schema[database][host];
  }

  private static byte[] column(byte[][] table, int host) {
    byte[] out = new byte[table.length];
    for (int i = 0; i < table.length; i++) {
      out[i] = table[i] == null ? ABSENT : table[i][host];
    }
    return out;
  }

  private void effect(byte[] bits, Step step, StepKind.Effect e) {
    for (int ci : indexes(step, false)) {
      if (ci >= 0 && bits[ci] != ABSENT) {
        bits[ci] = effect(bits[ci], e);
      }
    }
  }

  private static byte effect(byte s, StepKind.Effect effect) {
    return (byte)
        switch (effect) {
          case STOPS -> s | STOPPED;
          case STARTS -> s & ~STOPPED;
          case DRAINS -> s | DRAINED;
          case UNDRAINS -> s & ~DRAINED;
        };
  }

  /** The names of capabilities whose availability flipped since the last call, in order. */
  /** Whether a capability's availability flipped since the last {@link #takeChanges()}. */
  public boolean hasChanges() {
    return !changes.isEmpty();
  }

  public List<String> takeChanges() {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<String> out = List.copyOf(changes);
    changes.clear();
    return out;
  }

  public boolean isUp(String capability) {
    return capabilities.stream()
        .filter(t -> t.capability.name().equals(capability))
        .findFirst()
        .map(t -> t.up)
        .orElse(false);
  }

  /** Each capability and whether it is up now, in plan order. */
  public Map<String, Boolean> capabilityStates() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    capabilities.forEach(t -> out.put(t.capability.name(), t.up));
    return out;
  }

  /** The state of a component on a host, or null when the host does not run it. */
  public ComponentState state(String component, int host) {
    Integer ci = componentIndex.get(component);
    if (ci == null || state[ci] == null || state[ci][host] == ABSENT) {
      return null;
    }
    byte s = state[ci][host];
    return (s & STOPPED) != 0
        ? ComponentState.STOPPED
        : (s & DRAINED) != 0 ? ComponentState.DRAINED : ComponentState.SERVING;
  }

  /** The release a component on a host runs, or null when absent or not a known release. */
  public String version(String component, int host) {
    Integer ci = componentIndex.get(component);
    return ci == null || version[ci] == null ? null : release(version[ci][host]);
  }

  /** The schema release of a database on a host, or null. */
  public String schema(String database, int host) {
    Integer di = databaseIndex.get(database);
    return di == null || schema[di] == null ? null : release(schema[di][host]);
  }

  private String release(byte rank) {
    return rank < 0 ? null : plan.releases().get(rank);
  }
}
