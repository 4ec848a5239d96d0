package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.journal.JdbcJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /} lists the journal's runs with status, plan, target, start, duration and who
 * approved what, filtered by status and plan; names from plans are escaped.
 */
class RunsListTest {
  @TempDir Path dir;

  @Test
  void listsAndFiltersTheRuns() throws Exception {
    Path journal = dir.resolve("j.db");
    Path alpha =
        TestPlans.write(
            dir.resolve("a"), Rehearsal.plan("alpha", "Gate one", "Two"), TestPlans.fleet(1, 5));
    Path beta =
        TestPlans.write(
            dir.resolve("b"), Rehearsal.plan("beta <i>x</i>", "One"), TestPlans.fleet(1, 5));
    for (Path plan : new Path[] {alpha, beta}) {
      Cli.Result r =
          Cli.run("run", plan.toString(), "--journal", journal.toString(), "--progress", "none");
      assertThat(r.code()).as(r.err()).isZero();
    }
    try (Dashboard d =
        Dashboard.start(
            () -> JdbcJournal.sqlite(journal),
            new Dashboard.Options("127.0.0.1:0", null, "runs-list-token-0123456789"))) {
      HttpClient http = HttpClient.newHttpClient();
      String all = get(http, d.url() + "/");
      assertThat(all)
          .contains("alpha")
          .contains("beta &lt;i&gt;x&lt;/i&gt;")
          .doesNotContain("<i>x");
      assertThat(all).contains("stage 1, step 1 by auto"); // the rehearsal's gate, passed
      assertThat(all.split("<tr data-status=\"succeeded\"", -1)).hasSize(3);
      String onlyAlpha = get(http, d.url() + "/?plan=alph");
      assertThat(onlyAlpha).contains("alpha").doesNotContain("beta &lt;");
      String paused = get(http, d.url() + "/?status=paused");
      assertThat(paused).contains("No run matches.").doesNotContain("<tr data-status");
      // drill down: a cell's hosts, then one host's actions
      String id;
      try (var j = JdbcJournal.sqlite(journal)) {
        id =
            j.runs(10).stream()
                .filter(r -> r.planName().equals("alpha"))
                .findFirst()
                .orElseThrow()
                .id();
      }
      String run = get(http, d.url() + "/runs/" + id);
      assertThat(run).contains("/runs/" + id + "/cells/s1/c01");
      long deadline = System.currentTimeMillis() + 30_000;
      String cell = get(http, d.url() + "/runs/" + id + "/cells/s1/c01");
      while (!cell.contains("h-c01-00005</a></td><td>done")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100); // the watcher is still reading the journal
        cell = get(http, d.url() + "/runs/" + id + "/cells/s1/c01");
      }
      assertThat(cell).contains("Cell s1 / c01: 5 hosts").contains("h-c01-00005</a></td><td>done");
      String host = get(http, d.url() + "/runs/" + id + "/hosts/h-c01-00003");
      assertThat(host).contains("Host h-c01-00003").contains("upgrade app").contains("(exit 0)");
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(d.url() + "/runs/" + id + "/hosts/nope")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("has no host `nope`");
      String hostile = get(http, d.url() + "/?plan=%22%3E%3Cscript%3E");
      assertThat(hostile).doesNotContain("\"><script>").contains("&quot;&gt;&lt;script&gt;");
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
