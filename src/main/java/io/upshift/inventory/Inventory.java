package io.upshift.inventory;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  public Inventory(Path file, List<Host> hosts) {
    this.file = file;
    this.hosts = List.copyOf(hosts);
    for (Host h : this.hosts) {
      byName.put(h.name(), h);
      labelKeys.addAll(h.labels().keySet());
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

  /** The hosts a selector picks, as a set of indexes. */
  public BitSet select(Selector selector) {
    BitSet out = new BitSet(hosts.size());
    for (Host h : hosts) {
      if (selector.matches(h)) {
        out.set(h.index());
      }
    }
    return out;
  }

  /** All values a key takes across the fleet, for "did you mean" hints on selector values. */
  public Set<String> valuesOf(String key) {
    Set<String> out = new LinkedHashSet<>();
    for (Host h : hosts) {
      out.addAll(h.values(key));
      if (out.size() > 10_000) {
        break;
      }
    }
    return out;
  }
}
