package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code requires} rule inside one batch: its hosts change in any order, so one host already
 * changed meets another not yet changed; one host alone never meets itself at another moment. Hosts
 * alike share their moments in the walk, which must not hide the first case.
 */
class RequiresInBatchTest {
  @TempDir Path dir;

  /** A step that upgrades a and b together on every host, in one batch. */
  private static String plan(String scope) {
    return TestPlans.header("together")
        + "compatibility:\n"
        + "  - id: a-needs-b\n"
        + "    when: {a: v2}\n"
        + "    needs: {b: v2}\n"
        + "    scope: "
        + scope
        + "\n"
        + "    why: the new a speaks only to the new b\n"
        + "stages:\n"
        + "  - name: both\n"
        + "    steps:\n"
        + "      - upgrade: [a, b]\n"
        + "        waves: {batch: 100%}\n";
  }

  private static String inventory(String... hosts) {
    StringBuilder b =
        new StringBuilder(
            "defaults: {version: v1}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n");
    for (String h : hosts) {
      b.append("          - ").append(h).append('\n');
    }
    return b.toString();
  }

  private List<String> rules(String name, String scope, String... hosts) {
    Path p = TestPlans.write(dir.resolve(name), plan(scope), inventory(hosts));
    return Verifier.verify(PlanLoader.load(p)).findings().stream().map(Finding::rule).toList();
  }

  @Test
  void hostsAlikeInOneBatchMeetEachOther() {
    assertThat(rules("alike", "cell", "{name: \"n-[1:4]\", components: [a, b, app]}"))
        .containsExactly("a-needs-b");
  }

  @Test
  void hostsUnlikeInOneBatchMeetEachOther() {
    assertThat(
            rules(
                "unlike",
                "cell",
                "{name: n-1, components: [a, b, app]}",
                "{name: n-2, components: [a, b, app, c]}"))
        .containsExactly("a-needs-b");
  }

  @Test
  void aHostAloneInItsScopeNeverMeetsItself() {
    assertThat(rules("per-host", "host", "{name: \"n-[1:4]\", components: [a, b, app]}")).isEmpty();
    assertThat(rules("one", "cell", "{name: n-1, components: [a, b, app]}")).isEmpty();
  }
}
