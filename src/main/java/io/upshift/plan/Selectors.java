package io.upshift.plan;

import io.upshift.inventory.Inventory;
import io.upshift.inventory.Selector;
import io.upshift.source.Fields;
import io.upshift.source.Node;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads selectors from plan values and checks their keys and values against the inventory. */
final class Selectors {
  private Selectors() {}

  /** A selector from text or a list of texts; unknown keys and values are reported. */
  static Selector read(Node n, Inventory inventory, Problems problems) {
    List<Selector> parts = new ArrayList<>();
    for (Node.Scalar s : Fields.scalars(n, "`on`", problems)) {
      Selector sel = Selector.parse(s.value(), s.at(), problems);
      check(sel, inventory, problems);
      parts.add(sel);
    }
    return parts.size() == 1 ? parts.get(0) : Selector.anyOf(parts, n.at());
  }

  private static void check(Selector sel, Inventory inventory, Problems problems) {
    if (!inventory.known()) {
      return; // the inventory's own problems are reported: its keys and values are not known
    }
    Set<String> keys = inventory.selectorKeys();
    sel.checkKeys(keys, problems);
    for (List<Selector.Term> terms : sel.alternatives()) {
      for (Selector.Term t : terms) {
        if (!keys.contains(t.key()) || t.key().equals("host") || inventory.size() == 0) {
          continue;
        }
        Set<String> values = inventory.valuesOf(t.key());
        for (String v : t.values()) {
          if (v.indexOf('*') < 0 && v.indexOf('?') < 0 && !values.contains(v)) {
            String message = "no host has " + t.key() + "=" + v;
            String hint = Suggest.hint(v, values.stream().limit(50).toList());
            if (t.negated()) {
              // `key!=value` with an unknown value excludes nothing: probably a typo, not fatal
              problems.warning(
                  t.at(), "unknown-selector", message + " (so `!=` excludes nothing)", hint);
            } else {
              problems.error(t.at(), "unknown-selector", message, hint);
            }
          }
        }
      }
    }
  }
}
