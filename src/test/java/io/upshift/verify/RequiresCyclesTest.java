package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code requires} rules that each need the other's component upgraded first. */
class RequiresCyclesTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:4]
                  roles: [node]
                  components: [api, db]
      """;

  private static final String RULES =
      """
      upshift: 1
      name: cycle
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      compatibility:
        - id: api-needs-db
          when: {api: v2}
          needs: {db: v2}
          scope: cell
      """;

  private static final String SECOND_RULE =
      """
        - id: db-needs-api
          when: {db: v2}
          needs: {api: v2}
          scope: cell
      """;

  private static final String STAGES =
      """
      stages:
        - name: API
          steps:
            - upgrade: [api]
              on: all
        - name: DB
          steps:
            - upgrade: [db]
              on: all
      """;

  private List<Finding> verify(String plan) {
    return Verifier.verify(PlanLoader.load(TestPlans.write(dir, plan, INVENTORY)), false)
        .findings();
  }

  @Test
  void aCycleIsOneFindingNamingBothRules() {
    List<Finding> findings = verify(RULES + SECOND_RULE + STAGES);
    assertThat(findings).as("%s", findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.rule()).isEqualTo("requires-cycle");
    String plan = dir.resolve("plan.yaml").toString();
    assertThat(f.at().toString()).isEqualTo(plan + ":8:5");
    assertThat(f.message())
        .contains("`api-needs-db` (" + plan + ":8:5)")
        .contains("`db-needs-api` (" + plan + ":12:5)")
        .contains("form a cycle")
        .contains("`api` v2 needs `db` v2 first")
        .contains("`db` v2 needs `api` v2 first");
    assertThat(f.hostCount()).isEqualTo(4);
    assertThat(f.hint()).contains("`allow` rule");
    assertThat(f.render()).doesNotContain("first in cell"); // no hint to do each thing first
  }

  @Test
  void bothComponentsInOneStepAreTheSameCycle() {
    String oneStep =
        STAGES.substring(0, STAGES.indexOf("  - name: DB")).replace("[api]", "[api, db]");
    List<Finding> findings = verify(RULES + SECOND_RULE + oneStep);
    assertThat(findings).extracting(Finding::rule).containsExactly("requires-cycle");
  }

  @Test
  void oneRuleAloneIsStillReportedAsTheRuleItBreaks() {
    List<Finding> findings = verify(RULES + STAGES);
    assertThat(findings).isNotEmpty();
    assertThat(findings).extracting(Finding::rule).containsOnly("api-needs-db");
    assertThat(findings.get(0).hint()).contains("upgrade `db` v2 in cell c1 first");
  }

  @Test
  void aCycleThePlanNeverEntersIsNoFinding() {
    String upgradesOnlyDbAfterApiAllowed =
        RULES
            + SECOND_RULE
            + """
              - id: mixed-ok
                allow: {api: v2, db: v1}
                scope: cell
              - id: mixed-ok-too
                allow: {api: v1, db: v2}
                scope: cell
            """
            + STAGES;
    assertThat(verify(upgradesOnlyDbAfterApiAllowed)).isEmpty();
  }
}
