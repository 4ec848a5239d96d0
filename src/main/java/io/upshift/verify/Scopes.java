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

  Scopes(Scope scope, Inventory inventory, Set<String> components) {
    this.scope = scope;
    this.keyOfHost = new String[inventory.size()];
    Map<String, String> canonical = new HashMap<>(); // one instance per key: compared by identity
    for (Host h : inventory.hosts()) {
      keyOfHost[h.index()] = canonical.computeIfAbsent(key(scope, h), k -> k);
    }
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (Host h : inventory.hosts()) {
      boolean runs = false;
      for (String c : h.components().keySet()) {
        runs |= components.contains(c);
      }
      if (runs) {
        m.computeIfAbsent(keyOfHost[h.index()], k -> new ArrayList<>()).add(h.index());
      }
    }
    m.forEach((k, v) -> members.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
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
