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

  private static final class Draft {
    final String rule;
    final Severity severity;
    final String stage;
    final String step;
    final String wave;
    final Position at;
    final String message;
    final String why;
    final String hint;
    final Set<String> hosts = new LinkedHashSet<>();

    Draft(
        String rule,
        Severity severity,
        String stage,
        String step,
        String wave,
        Position at,
        String message,
        String why,
        String hint) {
      this.rule = rule;
      this.severity = severity;
      this.stage = stage;
      this.step = step;
      this.wave = wave;
      this.at = at;
      this.message = message;
      this.why = why;
      this.hint = hint;
    }
  }

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
            key, k -> new Draft(rule, severity, stage, step, wave, at, message, why, hint));
    hosts.forEach(d.hosts::add);
  }

  boolean isEmpty() {
    return drafts.isEmpty();
  }

  List<Finding> list() {
    List<Finding> out = new ArrayList<>();
    for (Draft d : drafts.values()) {
      List<String> named = d.hosts.stream().limit(NAMED_HOSTS).toList();
      out.add(
          new Finding(
              d.rule,
              d.severity,
              d.stage,
              d.step,
              d.wave == null ? "" : d.wave,
              d.at,
              d.hosts.size(),
              named,
              d.message,
              d.why,
              d.hint));
    }
    return out;
  }
}
