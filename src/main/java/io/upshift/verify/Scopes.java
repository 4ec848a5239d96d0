package io.upshift.verify;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.plan.CompatRule.Scope;
import java.util.ArrayList;
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
    Map<String, String> last = null;
    boolean runs = false;
    for (Host h : inventory.hosts()) {
      if (h.components() != last) { // the hosts of one range share one map
        last = h.components();
        runs = false;
        for (String c : last.keySet()) {
          runs |= components.contains(c);
        }
      }
      if (runs) {
        m.computeIfAbsent(keyOfHost[h.index()], k -> new ArrayList<>()).add(h.index());
      }
    }
    m.forEach((k, v) -> members.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** Each host's key in a scope, one instance per key, so that keys compare by identity. */
  static String[] keysOf(Scope scope, Inventory inventory) {
    String[] keys = new String[inventory.size()];
    Map<String, String> canonical = new HashMap<>();
    Host last = null; // hosts of one cell come in a row: a host like the one before takes its key
    for (Host h : inventory.hosts()) {
      String k;
      if (scope == Scope.HOST) {
        k = h.name(); // one host, one name
      } else if (last != null && sameScope(scope, last, h)) {
        k = keys[last.index()];
      } else {
        k = key(scope, h);
        String seen = canonical.putIfAbsent(k, k);
        k = seen != null ? seen : k;
      }
      keys[h.index()] = k;
      last = h;
    }
    return keys;
  }

  private static boolean sameScope(Scope scope, Host a, Host b) {
    return switch (scope) {
      case HOST -> a == b;
      case CELL -> a.site().equals(b.site()) && a.cell().equals(b.cell());
      case SITE -> a.site().equals(b.site());
      case GLOBAL -> true;
    };
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
