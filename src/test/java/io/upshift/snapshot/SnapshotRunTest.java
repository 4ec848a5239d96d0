package io.upshift.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and probes on real commands (local target, wall clock): a compare step fails the host
 * whose data changed and shows the diff; probes measure a capability down while a step holds it
 * down; a rehearsal samples the simulated fleet.
 */
class SnapshotRunTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:3]
                  roles: [node]
                  components: [app]
      """;

  private static final String HEADER =
      "upshift: 1\nname: captures\ninventory: inventory.yaml\nreleases: [v1, v2]\nfrom: v1\nto: v2\n";

  private Cli.Result run(Path plan, String target) {
    return Cli.run(
        "run",
        plan.toString(),
        "--target",
        target,
        "--journal",
        dir.resolve("journal.db").toString(),
        "--summary-json",
        dir.resolve("s.json").toString());
  }

  @Test
  void compareFailsTheHostWhoseDataChangedWithItsDiff() throws Exception {
    for (int i = 1; i <= 3; i++) {
      Files.writeString(dir.resolve("h" + i + ".txt"), "id|name\n1|alpha\n2|beta\n3|gamma\n");
    }
    String plan =
        HEADER
            + """
            stages:
              - name: Capture
                steps:
                  - snapshot: {name: rows, command: "cat {{host}}.txt"}
                    on: role=node
              - name: Change
                steps:
                  - command: "sed -i 's/beta/BETA/' {{host}}.txt"
                    on: host=h2
              - name: Compare
                steps:
                  - compare: rows
            """;
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = run(p, "local");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    String summary = Files.readString(dir.resolve("s.json"));
    assertThat(summary).contains("snapshot `rows` differs: 1 line(s) gone, 1 line(s) new");
    assertThat(summary).contains("\"h2\"").doesNotContain("\"h1\"");
    Cli.Result shown = Cli.run("show", "--journal", dir.resolve("journal.db").toString(), "last");
    assertThat(shown.out()).contains("h2: snapshot rows differs");
  }

  @Test
  void unchangedDataComparesEqual() throws Exception {
    for (int i = 1; i <= 3; i++) {
      Files.writeString(dir.resolve("h" + i + ".txt"), "{\"b\": 1, \"a\": [1, 2]}\n");
    }
    String plan =
        HEADER
            + """
            stages:
              - name: Capture
                steps:
                  - snapshot: {name: doc, command: "cat {{host}}.txt"}
                    on: role=node
                  - command: "true"
                  - compare: doc
            """;
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = run(p, "local");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @Test
  void probesMeasureTheCapabilityDownWhileAStepHoldsItDown() throws Exception {
    Path flag = dir.resolve("down.flag");
    String plan =
        HEADER
            + """
            capabilities:
              app-served:
                needs: [app]
                probes:
                  - command: "test ! -e FLAG"
                    interval: 50ms
            stages:
              - name: Outage
                steps:
                  - command: "sleep 0.3 && touch FLAG && sleep 0.6 && rm FLAG && sleep 0.3"
                    on: host=h1
            """
                .replace("FLAG", flag.toString());
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = run(p, "local");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    String summary = Files.readString(dir.resolve("s.json"));
    // predicted: no step stops the app, so no downtime; measured: about 0.6 s
    assertThat(summary).containsPattern("\"name\" : \"app-served\",\\s*\"downtime_s\" : 0.0");
    Matcher m =
        Pattern.compile("\"measured\" : \\{\\s*\"downtime_s\" : ([0-9.]+)").matcher(summary);
    assertThat(m.find()).as(summary).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isBetween(0.4, 0.9);
    assertThat(r.out()).contains("measured");
  }

  @Test
  void rehearsalProbesSampleTheSimulatedFleet() throws Exception {
    String plan =
        HEADER
            + """
            capabilities:
              app-served:
                needs: [app]
                probes:
                  - http: "http://lb.example/"
                    interval: 10s
            stages:
              - name: Outage
                steps:
                  - stop: app
                    duration: 5m
                  - start: app
                    duration: 1m
            """;
    Path p = TestPlans.write(dir, plan, INVENTORY);
    Cli.Result r = run(p, "sim");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    String summary = Files.readString(dir.resolve("s.json"));
    // predicted 6 minutes down (stop started .. start finished); sampled every 10 s
    assertThat(summary).contains("\"downtime_s\" : 360.0");
    assertThat(summary)
        .containsPattern(
            "\"measured\" : \\{\\s*\"downtime_s\" : 350.0,\\s*\"samples\" : 37,\\s*\"failed_samples\" : 35");
  }
}
