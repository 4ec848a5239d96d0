package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent;
import io.upshift.journal.EventCodec;
import io.upshift.journal.JdbcJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} is Prometheus text, and its counts (events, actions by outcome, failed
 * hosts, finished steps) equal those counted from the run's journal directly.
 */
class MetricsTest {
  /** A sample line of the Prometheus text format: name, optional labels, value. */
  static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)");

  @TempDir Path dir;

  @Test
  void metricsEqualTheJournalsCounts() throws Exception {
    String plan =
        TestPlans.header("metrics")
            + "rehearsal:\n  faults:\n    - kind: upgrade\n      probability: 0.05\n"
            + "stages:\n"
            + "  - name: One\n    steps:\n"
            + "      - upgrade: app\n        duration: 2m..4m\n"
            + "        waves: {batch: 10%, group-by: cell, max-failures: 100%}\n"
            + "      - restart: app\n        duration: 30s..60s\n"
            + "        waves: {batch: 25%, max-failures: 100%}\n";
    try (Rehearsal run = new Rehearsal(dir.resolve("plan"), "m1", plan, 3, 100, 0).start()) {
      run.await(120_000);
      try (Dashboard d =
          Dashboard.start(
              () -> JdbcJournal.sqlite(run.journalFile),
              new Dashboard.Options("127.0.0.1:0", null, "metrics-test-token-0123456789"))) {
        HttpClient http = HttpClient.newHttpClient();
        get(http, d.url() + "/runs/m1"); // the dashboard follows the run from now on
        long last = run.journal.lastSeq("m1");
        // counted from the journal itself
        long[] actions = new long[2];
        Set<Integer> failedHosts = new HashSet<>();
        long[] steps = {0};
        run.journal.read(
            "m1",
            1,
            s -> {
              switch (EventCodec.decode(s.type(), s.version(), s.body())) {
                case RunEvent.ActionFinished a -> {
                  actions[a.outcome().ok() ? 0 : 1]++;
                  if (!a.outcome().ok() && a.phase() != Phase.UNDO) {
                    failedHosts.add(a.host());
                  }
                }
                case RunEvent.StepFinished f -> steps[0]++;
                default -> {}
              }
            });
        // the meters are read one by one: wait until the scrape has caught up on every count
        Map<String, Double> samples = Map.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
          samples = parse(get(http, d.url() + "/metrics"));
          if (Double.valueOf(last).equals(samples.get("upshift_journal_events_total{run=\"m1\"}"))
              && Double.valueOf(steps[0])
                  .equals(samples.get("upshift_step_duration_seconds_count{run=\"m1\"}"))
              && Double.valueOf(0).equals(samples.get("upshift_journal_lag_events{run=\"m1\"}"))) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(actions[1]).as("the fault made some actions fail").isPositive();
        assertThat(samples)
            .containsEntry("upshift_journal_events_total{run=\"m1\"}", (double) last)
            .containsEntry(
                "upshift_actions_total{outcome=\"succeeded\",run=\"m1\"}", (double) actions[0])
            .containsEntry(
                "upshift_actions_total{outcome=\"failed\",run=\"m1\"}", (double) actions[1])
            .containsEntry(
                "upshift_hosts{run=\"m1\",state=\"failed\"}", (double) failedHosts.size())
            .containsEntry("upshift_step_duration_seconds_count{run=\"m1\"}", (double) steps[0])
            .containsEntry("upshift_journal_lag_events{run=\"m1\"}", 0.0)
            .containsKey("upshift_capability_up{capability=\"service\",run=\"m1\"}");
        double hosts = 0;
        for (String state : new String[] {"waiting", "running", "done", "failed"}) {
          hosts += samples.get("upshift_hosts{run=\"m1\",state=\"" + state + "\"}");
        }
        assertThat(hosts).isEqualTo(300.0);
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  /** Every sample by its name and labels; fails on a line that is not Prometheus text. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        assertThat(line).matches("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a Prometheus sample: %s", line).isTrue();
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }
}
