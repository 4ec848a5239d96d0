package io.upshift.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet a plan runs on: every host, in file order, with indexes that the engine uses as dense
 * ids. Immutable once loaded.
 */
public final class Inventory {
  /** Selector keys every inventory understands; labels add their own keys. */
  public static final List<String> BUILT_IN_KEYS =
      List.of(
          "host",
          "site",
          "cell",
          "role",
          "component",
          "database",
          "os",
          "service-manager",
          "package-manager");

  private final Path file;
  private final SshSettings ssh;
  private final List<Host> hosts;
  private final Map<String, Host> byName = new HashMap<>();
  private final Set<String> labelKeys = new LinkedHashSet<>();
  private final Map<String, Map<String, int[]>> index = new ConcurrentHashMap<>();
  private final Map<String, Map<String, BitSet>> bits = new ConcurrentHashMap<>();

  /** Where each run of hosts alike starts, then the fleet's size ({@link #runs}). */
  private final int[] runs;

  private final Map<String, String[]> firstValues = new ConcurrentHashMap<>();

  /** False for the stand-in of an inventory that could not be loaded ({@link #unknown}). */
  private final boolean known;

  /**
   * The stand-in for an inventory that could not be loaded (its problems are reported where they
   * are): no hosts, and nothing that depends on the hosts (a selector, a component, a label) is
   * checked against it, so that one broken file is not also a dozen errors in the plan.
   */
  public static Inventory unknown(Path file) {
    return new Inventory(file, List.of(), SshSettings.NONE, false);
  }

  public Inventory(Path file, List<Host> hosts) {
    this(file, hosts, SshSettings.NONE);
  }

  /** An inventory that says how its hosts are reached over SSH. */
  public Inventory(Path file, List<Host> hosts, SshSettings ssh) {
    this(file, hosts, ssh, true);
  }

  private Inventory(Path file, List<Host> hosts, SshSettings ssh, boolean known) {
    this.known = known;
    this.ssh = ssh;
    this.file = file;
    this.hosts = List.copyOf(hosts);
    List<Integer> starts = new ArrayList<>();
    Host previous = null;
    for (int i = 0; i < this.hosts.size(); i++) {
      Host h = this.hosts.get(i);
      byName.put(h.name(), h);
      if (previous == null || !alike(previous, h)) {
        starts.add(i);
        labelKeys.addAll(h.labels().keySet());
      }
      previous = h;
    }
    runs = new int[starts.size() + 1];
    for (int i = 0; i < starts.size(); i++) {
      runs[i] = starts.get(i);
    }
    runs[starts.size()] = this.hosts.size();
  }

  /**
   * The hosts in runs of consecutive hosts alike in all but their names and addresses (the hosts of
   * one range in the file): run {@code r} is the hosts from {@code runs[r]} to {@code runs[r + 1]}
   * (exclusive); the last entry is the fleet's size. Code that looks at every host once at start-up
   * looks at each run once instead: such a loop runs interpreted, before the JIT compiles it. The
   * array is shared: not to be changed.
   */
  public int[] runs() {
    return runs;
  }

  /**
   * Whether two hosts are alike: the same values for every selector key but {@code host}, the same
   * components, versions, databases and starting states. The hosts of one range share their lists
   * and maps, so most of this compares references.
   */
  private static boolean alike(Host a, Host b) {
    return a.index() + 1 == b.index()
        && a.site().equals(b.site())
        && a.cell().equals(b.cell())
        && a.os().equals(b.os())
        && a.serviceManager().equals(b.serviceManager())
        && a.packageManager().equals(b.packageManager())
        && (a.roles() == b.roles() || a.roles().equals(b.roles()))
        && (a.labels() == b.labels() || a.labels().equals(b.labels()))
        && (a.components() == b.components() || a.components().equals(b.components()))
        && (a.databases() == b.databases() || a.databases().equals(b.databases()))
        && (a.states() == b.states() || a.states().equals(b.states()));
  }

  /**
   * Whether the inventory was loaded: false for the stand-in of one that could not be ({@link
   * #unknown}), against which the plan's names and selectors are not checked.
   */
  public boolean known() {
    return known;
  }

  /** How the hosts are reached over SSH, as far as the inventory says. */
  public SshSettings ssh() {
    return ssh;
  }

  public Path file() {
    return file;
  }

  public List<Host> hosts() {
    return hosts;
  }

  public int size() {
    return hosts.size();
  }

  public Host host(int index) {
    return hosts.get(index);
  }

  public Optional<Host> host(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every key a selector may use on this inventory. */
  public Set<String> selectorKeys() {
    Set<String> keys = new LinkedHashSet<>(BUILT_IN_KEYS);
    keys.addAll(labelKeys);
    return Collections.unmodifiableSet(keys);
  }

  /**
   * The first value a key takes on each host, by host index, or "" ({@link Host#value}): made once
   * per key, for the engine, which groups the hosts of a step by a key at every step.
   */
  public String[] firstValues(String key) {
    return firstValues.computeIfAbsent(
        key,
        k -> {
          String[] out = new String[hosts.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = hosts.get(i).value(k);
          }
          return out;
        });
  }

  /** The hosts a selector picks, as a set of indexes. */
  public BitSet select(Selector selector) {
    BitSet out = new BitSet(hosts.size());
    for (List<Selector.Term> terms : selector.alternatives()) {
      BitSet all = new BitSet(hosts.size());
      all.set(0, hosts.size());
      for (Selector.Term t : terms) {
        all.and(matching(t));
      }
      out.or(all);
    }
    return out;
  }

  /** The hosts where a key takes any of the values, e.g. the hosts that run some components. */
  public BitSet having(String key, List<String> values) {
    BitSet out = new BitSet(hosts.size());
    for (String v : values) {
      out.or(bits(key, v));
    }
    return out;
  }

  /** The hosts a term picks, from the index of its key's values. */
  private BitSet matching(Selector.Term term) {
    BitSet out = new BitSet(hosts.size());
    Map<String, int[]> postings = postings(term.key());
    for (String wanted : term.values()) {
      if (Selector.isGlob(wanted)) {
        for (String value : postings.keySet()) {
          if (Selector.glob(wanted, value)) {
            out.or(bits(term.key(), value));
          }
        }
      } else {
        out.or(bits(term.key(), wanted));
      }
    }
    if (term.negated()) {
      out.flip(0, hosts.size());
    }
    return out;
  }

  /** The host indexes set in {@code hosts}, in order (a loop: streams are slow to start). */
  public static int[] indexes(BitSet hosts) {
    int[] out = new int[hosts.cardinality()];
    int n = 0;
    for (int h = hosts.nextSetBit(0); h >= 0; h = hosts.nextSetBit(h + 1)) {
      out[n++] = h;
    }
    return out;
  }

  /**
   * The hosts where a key takes a value, as a set made once (only read: callers combine it into
   * sets of their own), from the runs of consecutive hosts in its posting.
   */
  private BitSet bits(String key, String value) {
    return bits.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            value,
            v -> {
              int[] holders = postings(key).getOrDefault(v, new int[0]);
              BitSet out = new BitSet(hosts.size());
              for (int i = 0; i < holders.length; ) {
                int from = holders[i];
                int j = i + 1;
                while (j < holders.length && holders[j] == holders[j - 1] + 1) {
                  j++;
                }
                out.set(from, holders[j - 1] + 1);
                i = j;
              }
              return out;
            });
  }

  /**
   * Each value a key takes, with the hosts that have it, in inventory order; built on first use.
   */
  private Map<String, int[]> postings(String key) {
    return index.computeIfAbsent(
        key,
        k -> {
          // Growable arrays of host indexes, filled in inventory order.
          Map<String, Posting> lists = new LinkedHashMap<>();
          boolean components = k.equals("component");
          boolean databases = k.equals("database");
          if (k.equals("host")) {
            for (Host h : hosts) {
              lists.computeIfAbsent(h.name(), x -> new Posting()).add(h.index(), h.index() + 1);
            }
          }
          // run by run: the hosts of a run have the same values (but their names)
          for (int r = 0; r + 1 < runs.length && !k.equals("host"); r++) {
            Host h = hosts.get(runs[r]);
            // components and databases straight from the host's maps: no copy per host
            Collection<String> values =
                components
                    ? h.components().keySet()
                    : databases ? h.databases().keySet() : h.values(k);
            for (String v : values) {
              lists.computeIfAbsent(v, x -> new Posting()).add(runs[r], runs[r + 1]);
            }
          }
          Map<String, int[]> out = new LinkedHashMap<>();
          lists.forEach((v, l) -> out.put(v, Arrays.copyOf(l.hosts, l.size)));
          return Collections.unmodifiableMap(out);
        });
  }

  /** The hosts having one value of a key, as it is built. */
  private static final class Posting {
    int[] hosts = new int[8];
    int size;

    /** Adds the hosts {@code from} (inclusive) to {@code to} (exclusive). */
    void add(int from, int to) {
      if (size + to - from > hosts.length) {
        hosts = Arrays.copyOf(hosts, Math.max(hosts.length * 2, size + to - from));
      }
      for (int h = from; h < to; h++) {
        hosts[size++] = h;
      }
    }
  }

  /** All values a key takes across the fleet, for "did you mean" hints on selector values. */
  public Set<String> valuesOf(String key) {
    return postings(key).keySet();
  }
}
