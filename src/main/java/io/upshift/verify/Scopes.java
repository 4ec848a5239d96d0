package io.upshift.verify;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.plan.CompatRule.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The hosts of each scope (one host, a cell, a site, everything) that run some components. */
final class Scopes {
  private final Scope scope;
  private final Map<String, int[]> members = new LinkedHashMap<>();
  private final String[] keyOfHost;

  /**
   * @param keys each host's key in {@code scope}, one instance per key ({@link #keysOf}); the rules
   *     of one scope share them
   */
  Scopes(Scope scope, Inventory inventory, Set<String> components, String[] keys) {
    this.scope = scope;
    this.keyOfHost = keys;
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    int[] runs = inventory.runs(); // hosts alike run the same components
    for (int r = 0; r + 1 < runs.length; r++) {
      boolean running = false;
      for (String c : inventory.host(runs[r]).components().keySet()) {
        running |= components.contains(c);
      }
      for (int h = runs[r]; running && h < runs[r + 1]; h++) {
        m.computeIfAbsent(keyOfHost[h], k -> new ArrayList<>()).add(h);
      }
    }
    m.forEach((k, v) -> members.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** Each host's key in a scope, one instance per key, so that keys compare by identity. */
  static String[] keysOf(Scope scope, Inventory inventory) {
    String[] keys = new String[inventory.size()];
    if (scope == Scope.HOST) {
      for (Host h : inventory.hosts()) {
        keys[h.index()] = h.name(); // one host, one name
      }
      return keys;
    }
    Map<String, String> canonical = new HashMap<>();
    int[] runs = inventory.runs(); // hosts alike share their site and cell
    for (int r = 0; r + 1 < runs.length; r++) {
      String k = key(scope, inventory.host(runs[r]));
      String seen = canonical.putIfAbsent(k, k);
      Arrays.fill(keys, runs[r], runs[r + 1], seen != null ? seen : k);
    }
    return keys;
  }

  static String key(Scope scope, Host h) {
    return switch (scope) {
      case HOST -> h.name();
      case CELL -> h.site() + "/" + h.cell();
      case SITE -> h.site();
      case GLOBAL -> "";
    };
  }

  /** The scope's key for a host: the same instance for every host of one scope. */
  String key(int host) {
    return keyOfHost[host];
  }

  int[] members(String key) {
    return members.getOrDefault(key, new int[0]);
  }

  Set<String> keys() {
    return members.keySet();
  }

  /** How a scope is named in messages: "cell gva-1", "host api-01", "site geneva", "the fleet". */
  static String describe(Scope scope, String key) {
    return switch (scope) {
      case HOST -> "host " + key;
      case CELL -> "cell " + key.substring(key.indexOf('/') + 1);
      case SITE -> "site " + key;
      case GLOBAL -> "the fleet";
    };
  }
}
