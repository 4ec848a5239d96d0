package io.upshift.fuzz;

import io.upshift.TestPlans;

/** The valid plan the fuzz tests start from: every feature of the format, on a small fleet. */
final class Corpus {
  private Corpus() {}

  static final String SMALL_PLAN =
      TestPlans.header("small")
          + "compatibility:\n  - {id: u, uniform: app, scope: cell}\n  - {id: r, when: {app: v2}, needs: {app: \">=v1\"}, scope: host}\n"
          + "stages:\n  - name: A\n    steps:\n      - drain: app\n        waves: {batch: 2, group-by: cell, parallel: 2, pause: 1m, max-failures: 10%}\n"
          + "      - upgrade: app\n        duration: 1m..3m\n        check: {command: \"test -n {{host}}\", output: \"x\"}\n"
          + "      - undrain: app\n      - command: \"echo {{cell}}\"\n        on: cell=c01|c02,role!=x\n        timeout: 5m\n"
          + "  - name: B\n    steps:\n      - approve: go\n      - reboot: true\n        on: host=h-c01-*\n"
          + "rehearsal:\n  seed: 3\n  faults:\n    - {kind: upgrade, probability: 0.1}\n";

  static final String SMALL_INVENTORY = TestPlans.fleet(3, 4);
}
