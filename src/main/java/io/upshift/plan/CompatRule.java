package io.upshift.plan;

import io.upshift.source.Position;
import java.util.Map;

/**
 * A fact about mixed versions, checked on every intermediate state of a plan. Parsed with the plan;
 * enforced by the verifier.
 */
public sealed interface CompatRule {
  String id();

  Scope scope();

  String why();

  Position at();

  /** Where a rule looks at once. */
  enum Scope {
    HOST,
    CELL,
    SITE,
    GLOBAL
  }

  /** A version condition: exactly {@code version}, or {@code version} or newer. */
  record VersionCondition(String version, boolean orNewer) {
    @Override
    public String toString() {
      return (orNewer ? ">=" : "") + version;
    }
  }

  /** When the {@code when} components are at their versions, the {@code needs} ones must be too. */
  record Requires(
      String id,
      Map<String, VersionCondition> when,
      Map<String, VersionCondition> needs,
      Scope scope,
      String why,
      Position at)
      implements CompatRule {}

  /** All serving instances of a component in one scope run one version. */
  record Uniform(String id, String component, Scope scope, String why, Position at)
      implements CompatRule {}

  /** A documented known-good mix of versions. */
  record Allow(
      String id, Map<String, VersionCondition> versions, Scope scope, String why, Position at)
      implements CompatRule {}
}
