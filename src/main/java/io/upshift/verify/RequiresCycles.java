package io.upshift.verify;

import io.upshift.plan.CompatRule;
import io.upshift.plan.Plan;
import io.upshift.source.Severity;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cycles among {@code requires} rules: rule A says that {@code x} at its new version needs {@code
 * y} upgraded first, and rule B that {@code y} at its new version needs {@code x} upgraded first.
 * No order of upgrades satisfies both, so the walk finds each rule broken and each finding's hint
 * says to upgrade the other component first: advice that goes round in a circle. A cycle is
 * reported instead as what it is, once, naming every rule in it.
 *
 * <p>A rule leads from each of its {@code when} components to each of its {@code needs} components
 * when the plan upgrades the first into the condition (a release after {@code from}, up to {@code
 * to}, meets it) and the second does not meet its condition at {@code from}. A cycle of such rules
 * is reported when the walk found at least one of them broken.
 */
final class RequiresCycles {
  private RequiresCycles() {}

  /** The findings with those of the rules in a cycle replaced by one finding per cycle. */
  static List<Finding> fold(Plan plan, List<Finding> findings) {
    List<CompatRule.Requires> rules = new ArrayList<>();
    for (CompatRule rule : plan.compatibility()) {
      if (rule instanceof CompatRule.Requires r) {
        rules.add(r);
      }
    }
    if (rules.size() < 2) {
      return findings;
    }
    List<List<Integer>> cycles = cycles(plan, rules);
    if (cycles.isEmpty()) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings);
    for (List<Integer> cycle : cycles) {
      Set<String> ids = new LinkedHashSet<>();
      cycle.forEach(i -> ids.add(rules.get(i).id()));
      Set<String> hosts = new LinkedHashSet<>();
      int hostCount = 0;
      boolean broken = false;
      for (Finding f : out) {
        if (ids.contains(f.rule())) {
          broken = true;
          hosts.addAll(f.hosts());
          hostCount = Math.max(hostCount, f.hostCount());
        }
      }
      if (!broken) {
        continue; // the plan never moves these components into the rules' conditions together
      }
      out.removeIf(f -> ids.contains(f.rule()));
      out.add(finding(cycle, rules, hostCount, List.copyOf(hosts)));
    }
    return out;
  }

  private static Finding finding(
      List<Integer> cycle, List<CompatRule.Requires> rules, int hostCount, List<String> hosts) {
    StringBuilder names = new StringBuilder();
    StringBuilder each = new StringBuilder();
    for (int k = 0; k < cycle.size(); k++) {
      CompatRule.Requires r = rules.get(cycle.get(k));
      names.append(k == 0 ? "" : k == cycle.size() - 1 ? " and " : ", ");
      names.append('`').append(r.id()).append("` (").append(r.at()).append(')');
      each.append(k == 0 ? "" : ", and ")
          .append(describe(r.when()))
          .append(" needs ")
          .append(describe(r.needs()))
          .append(" first (`")
          .append(r.id())
          .append("`)");
    }
    CompatRule.Requires first = rules.get(cycle.get(0));
    return new Finding(
        "requires-cycle",
        Severity.ERROR,
        null,
        null,
        "",
        first.at(),
        hostCount,
        hosts.size() > 5 ? hosts.subList(0, 5) : hosts,
        "rules " + names + " form a cycle: " + each + "; no order of upgrades satisfies them all",
        null,
        "if these components can only change together, keep the rule that holds and say which"
            + " mixed versions are safe with an `allow` rule, or remove the rule that does not hold");
  }

  private static String describe(Map<String, CompatRule.VersionCondition> versions) {
    StringBuilder b = new StringBuilder();
    versions.forEach(
        (component, condition) ->
            b.append(b.isEmpty() ? "" : " with ")
                .append('`')
                .append(component)
                .append("` ")
                .append(condition));
    return b.toString();
  }

  /**
   * The elementary cycles among the rules, each as rule indexes starting at its smallest, each
   * once: rule a leads to rule b when a component a needs upgraded first is one whose upgrade
   * triggers b.
   */
  private static List<List<Integer>> cycles(Plan plan, List<CompatRule.Requires> rules) {
    int n = rules.size();
    List<List<Integer>> next = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      List<Integer> to = new ArrayList<>();
      for (int b = 0; b < n; b++) {
        if (a != b && leads(plan, rules.get(a), rules.get(b))) {
          to.add(b);
        }
      }
      next.add(to);
    }
    List<List<Integer>> cycles = new ArrayList<>();
    Set<BitSet> seen = new HashSet<>();
    for (int start = 0; start < n; start++) {
      walk(start, start, next, new ArrayList<>(List.of(start)), cycles, seen);
    }
    return cycles;
  }

  private static void walk(
      int start,
      int at,
      List<List<Integer>> next,
      List<Integer> path,
      List<List<Integer>> cycles,
      Set<BitSet> seen) {
    for (int b : next.get(at)) {
      if (b == start) {
        BitSet members = new BitSet();
        path.forEach(members::set);
        if (seen.add(members)) {
          cycles.add(List.copyOf(path));
        }
      } else if (b > start && !path.contains(b) && path.size() < 8) {
        path.add(b);
        walk(start, b, next, path, cycles, seen);
        path.remove(path.size() - 1);
      }
    }
  }

  /**
   * Whether rule {@code a} leads to rule {@code b}: a component that {@code a} needs at a version
   * it does not have at {@code from} is one the plan moves into {@code b}'s condition.
   */
  private static boolean leads(Plan plan, CompatRule.Requires a, CompatRule.Requires b) {
    int from = plan.releaseRank(plan.from());
    int to = plan.releaseRank(plan.to());
    for (Map.Entry<String, CompatRule.VersionCondition> needed : a.needs().entrySet()) {
      CompatRule.VersionCondition trigger = b.when().get(needed.getKey());
      if (trigger == null || matches(plan, from, needed.getValue())) {
        continue;
      }
      for (int r = from + 1; r <= to; r++) {
        if (matches(plan, r, trigger)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matches(Plan plan, int release, CompatRule.VersionCondition condition) {
    int wanted = plan.releaseRank(condition.version());
    return condition.orNewer() ? release >= wanted : release == wanted;
  }
}
