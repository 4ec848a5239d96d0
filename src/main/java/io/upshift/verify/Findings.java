package io.upshift.verify;

import io.upshift.source.Position;
import io.upshift.source.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects findings, merging repeats: the same rule broken the same way by the same step in many
 * waves is one finding, with all the hosts concerned and the first wave where it happens.
 */
final class Findings {
  private static final int NAMED_HOSTS = 5;

  /** The first finding of its kind (its hosts left out) and every host concerned so far. */
  private record Draft(Finding first, Set<String> hosts) {}

  private final Map<String, Draft> drafts = new LinkedHashMap<>();

  void add(
      String rule,
      Severity severity,
      String stage,
      String step,
      String wave,
      Position at,
      String message,
      String why,
      String hint,
      Iterable<String> hosts) {
    String key = rule + '\u0000' + stage + '\u0000' + step + '\u0000' + message;
    Draft d =
        drafts.computeIfAbsent(
            key,
            k ->
                new Draft(
                    new Finding(
                        rule,
                        severity,
                        stage,
                        step,
                        wave == null ? "" : wave,
                        at,
                        0,
                        List.of(),
                        message,
                        why,
                        hint),
                    new LinkedHashSet<>()));
    hosts.forEach(d.hosts()::add);
  }

  List<Finding> list() {
    List<Finding> out = new ArrayList<>();
    for (Draft d : drafts.values()) {
      Finding f = d.first();
      List<String> named = d.hosts().stream().limit(NAMED_HOSTS).toList();
      out.add(
          new Finding(
              f.rule(),
              f.severity(),
              f.stage(),
              f.step(),
              f.wave(),
              f.at(),
              d.hosts().size(),
              named,
              f.message(),
              f.why(),
              f.hint()));
    }
    return out;
  }
}
