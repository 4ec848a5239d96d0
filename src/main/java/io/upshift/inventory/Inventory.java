package io.upshift.inventory;

import java.nio.file.Path;
import java.util.BitSet;
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
  private final List<Host> hosts;
  private final Map<String, Host> byName = new HashMap<>();
  private final Set<String> labelKeys = new LinkedHashSet<>();
  private final Map<String, Map<String, int[]>> index = new ConcurrentHashMap<>();
  private final Map<String, String[]> firstValues = new ConcurrentHashMap<>();

  public Inventory(Path file, List<Host> hosts) {
    this.file = file;
    this.hosts = List.copyOf(hosts);
    Map<String, String> lastLabels = null; // the hosts of one range share their labels
    for (Host h : this.hosts) {
      byName.put(h.name(), h);
      if (h.labels() != lastLabels) {
        lastLabels = h.labels();
        labelKeys.addAll(lastLabels.keySet());
      }
    }
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
    Map<String, int[]> postings = postings(key);
    for (String v : values) {
      setAll(out, postings.getOrDefault(v, new int[0]));
    }
    return out;
  }

  /** The hosts a term picks, from the index of its key's values. */
  private BitSet matching(Selector.Term term) {
    BitSet out = new BitSet(hosts.size());
    Map<String, int[]> postings = postings(term.key());
    for (String wanted : term.values()) {
      if (Selector.isGlob(wanted)) {
        postings.forEach(
            (value, holders) -> {
              if (Selector.glob(wanted, value)) {
                setAll(out, holders);
              }
            });
      } else {
        setAll(out, postings.getOrDefault(wanted, new int[0]));
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

  private static void setAll(BitSet bits, int[] indexes) {
    for (int i : indexes) {
      bits.set(i);
    }
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
          java.util.Collection<String> last = null;
          Posting[] lastLists = new Posting[0];
          boolean components = k.equals("component");
          boolean databases = k.equals("database");
          for (int i = 0; i < hosts.size(); i++) {
            Host h = hosts.get(i);
            // components and databases straight from the host's maps: no copy per host
            java.util.Collection<String> values =
                components
                    ? h.components().keySet()
                    : databases ? h.databases().keySet() : h.values(k);
            // hosts of one range share their maps and lists, and mostly their cell and labels:
            // the lists of a host with the values of the one before are those of that one
            if (values != last && !(values instanceof List<String> l && l.equals(last))) {
              lastLists = new Posting[values.size()];
              int j = 0;
              for (String v : values) {
                lastLists[j++] = lists.computeIfAbsent(v, x -> new Posting());
              }
              last = values;
            }
            for (Posting p : lastLists) {
              p.add(h.index());
            }
          }
          Map<String, int[]> out = new LinkedHashMap<>();
          lists.forEach((v, l) -> out.put(v, java.util.Arrays.copyOf(l.hosts, l.size)));
          return Collections.unmodifiableMap(out);
        });
  }

  /** The hosts having one value of a key, as it is built. */
  private static final class Posting {
    int[] hosts = new int[8];
    int size;

    void add(int host) {
      if (size == hosts.length) {
        hosts = java.util.Arrays.copyOf(hosts, size * 2);
      }
      hosts[size++] = host;
    }
  }

  /** All values a key takes across the fleet, for "did you mean" hints on selector values. */
  public Set<String> valuesOf(String key) {
    return postings(key).keySet();
  }
}
