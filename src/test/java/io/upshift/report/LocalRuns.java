package io.upshift.report;

import io.upshift.TestPlans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small plan of real commands for the local target, with something of everything a report shows:
 * waves, an approval gate, a failed check, a failed command with output (and a secret in it), a
 * failed check step.
 */
final class LocalRuns {
  static final String SECRET = "s3cr3t-value-9f2";

  static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:4]
                  roles: [node]
                  components: [app]
            c2:
              hosts:
                - name: k[1:2]
                  roles: [node]
                  components: [app]
      """;

  static final String PLAN =
      """
      upshift: 1
      name: local report
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      secrets:
        token: {file: token.txt}
      capabilities:
        service: {needs: [app]}
      stages:
        - name: One
          steps:
            - command: "echo step1 {{host}}"
              on: role=node
              waves: {batch: 2}
            - approve: "go on?"
            - stop: app
              run: "echo stopping {{host}}"
              waves: {batch: 3}
            - start: app
              run: "echo starting {{host}}"
              check: "test {{host}} != h2"
              waves: {max-failures: 2}
        - name: Two
          steps:
            - command: "echo 'the <b>output</b> of {{host}} with {{secret.token}}'; test {{host}} != h3"
              on: role=node
              waves: {max-failures: 2}
            - check: "test {{host}} != k1"
              on: role=node
              waves: {max-failures: 2}
      """;

  private LocalRuns() {}

  /** Writes the plan, its inventory and its secret into {@code dir}; returns the folder. */
  static Path write(Path dir) throws IOException {
    Path p = TestPlans.write(dir, PLAN, INVENTORY);
    Files.writeString(p.resolve("token.txt"), SECRET + "\n");
    return p;
  }
}
