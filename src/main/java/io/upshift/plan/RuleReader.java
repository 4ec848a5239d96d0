package io.upshift.plan;

import io.upshift.source.Fields;
import io.upshift.source.Node;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code compatibility:} rules of a plan. */
final class RuleReader {
  private final Problems problems;
  private final List<String> releases;
  private final Set<String> components;

  RuleReader(Problems problems, List<String> releases, Set<String> components) {
    this.problems = problems;
    this.releases = releases;
    this.components = components;
  }

  List<CompatRule> read(Node node) {
    List<CompatRule> rules = new ArrayList<>();
    if (!(node instanceof Node.Sequence seq)) {
      problems.error(
          node.at(),
          "wrong-type",
          "`compatibility` must be a list of rules, found " + node.describe(),
          null);
      return rules;
    }
    Set<String> ids = new HashSet<>();
    for (Node item : seq.items()) {
      Fields.of(
              item,
              "a compatibility rule",
              problems,
              "id",
              "uniform",
              "when",
              "needs",
              "allow",
              "scope",
              "why")
          .ifPresent(
              f -> {
                String id = f.requiredString("id").orElse("rule-" + (rules.size() + 1));
                if (!ids.add(id)) {
                  problems.error(
                      f.at("id"), "duplicate-rule", "rule id `" + id + "` appears twice", null);
                }
                CompatRule.Scope scope =
                    f.parsed("scope", "one of host, cell, site, global", RuleReader::scope)
                        .orElse(CompatRule.Scope.GLOBAL);
                String why = f.string("why").orElse("");
                boolean uniform = f.has("uniform");
                boolean requires = f.has("when") || f.has("needs");
                boolean allow = f.has("allow");
                if ((uniform ? 1 : 0) + (requires ? 1 : 0) + (allow ? 1 : 0) != 1) {
                  problems.error(
                      f.at(),
                      "rule-kind",
                      "rule `" + id + "` must be one of `uniform`, `when`+`needs`, or `allow`",
                      null);
                } else if (uniform) {
                  f.string("uniform")
                      .ifPresent(
                          c -> {
                            component(c, f.at("uniform"));
                            rules.add(new CompatRule.Uniform(id, c, scope, why, f.at()));
                          });
                } else if (requires) {
                  if (!f.has("when") || !f.has("needs")) {
                    problems.error(
                        f.at(),
                        "rule-kind",
                        "rule `" + id + "` needs both `when` and `needs`",
                        null);
                  } else {
                    rules.add(
                        new CompatRule.Requires(
                            id,
                            versions(f.node("when").orElseThrow()),
                            versions(f.node("needs").orElseThrow()),
                            scope,
                            why,
                            f.at()));
                  }
                } else {
                  rules.add(
                      new CompatRule.Allow(
                          id, versions(f.node("allow").orElseThrow()), scope, why, f.at()));
                }
                f.finish();
              });
    }
    return rules;
  }

  private Map<String, CompatRule.VersionCondition> versions(Node n) {
    Map<String, CompatRule.VersionCondition> out = new LinkedHashMap<>();
    Fields.of(n, "a version condition", problems)
        .ifPresent(
            f -> {
              for (Node.Entry e : f.mapping().entries()) {
                f.accept(e.key().value());
                component(e.key().value(), e.key().at());
                Fields.text(e.value(), "the version of `" + e.key().value() + "`", problems)
                    .ifPresent(
                        v -> {
                          boolean orNewer = v.startsWith(">=");
                          String release = orNewer ? v.substring(2).trim() : v.trim();
                          if (!releases.isEmpty() && !releases.contains(release)) {
                            problems.error(
                                e.value().at(),
                                "unknown-release",
                                "`" + release + "` is not in `releases`",
                                Suggest.hint(release, releases));
                          }
                          out.put(
                              e.key().value(), new CompatRule.VersionCondition(release, orNewer));
                        });
              }
            });
    return out;
  }

  private void component(String name, Position at) {
    if (!components.isEmpty() && !components.contains(name)) {
      problems.error(
          at,
          "unknown-component",
          "unknown component `" + name + "`",
          Suggest.hint(name, components));
    }
  }

  private static CompatRule.Scope scope(String s) {
    return Arrays.stream(CompatRule.Scope.values())
        .filter(v -> v.name().toLowerCase(Locale.ROOT).equals(s.trim()))
        .findFirst()
        .orElse(null);
  }
}
