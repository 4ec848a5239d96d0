package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.journal.Control;
import io.upshift.journal.JdbcJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real HTTP, steering requests that lack the token, carry a wrong one, come from another
 * site's page, to another host name, or replay an earlier request are all refused, and none of them
 * reaches the journal; one right request does.
 */
class ForgedSteeringTest {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final List<String> ACTS =
      List.of("pause", "resume", "abort", "abort-undo", "approve", "reject");

  @TempDir Path dir;

  @Test
  void noForgedOrTokenlessRequestIsAccepted() throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    try (Rehearsal run =
            new Rehearsal(dir.resolve("plan"), "r1", Rehearsal.plan("forged", "One"), 1, 10, 0);
        Dashboard d =
            Dashboard.start(
                () -> JdbcJournal.sqlite(run.journalFile),
                new Dashboard.Options("127.0.0.1:0", tokenFile, null))) {
      int port = Integer.parseInt(d.url().substring(d.url().lastIndexOf(':') + 1));
      String self = "http://127.0.0.1:" + port;
      String form = "by=mallory&comment=forged";

      // one right request, whose id the replays below reuse
      Map<String, String> ok = headers(TOKEN, self, "first-request-0001");
      Http.Response accepted = Http.send(port, "POST", "/api/runs/r1/pause", ok, form);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      assertThat(run.journal.pending("r1")).hasSize(1);

      List<String> refusals = new ArrayList<>();
      int sent = 0;
      int n = 0;
      for (String act : ACTS) {
        String path = "/api/runs/r1/" + act;
        List<Map<String, String>> forged = new ArrayList<>();
        forged.add(headers(null, self, id(n++))); // no token
        forged.add(headers("", self, id(n++))); // empty token
        forged.add(headers("wrong-token-0123456789abcdef", self, id(n++)));
        forged.add(headers(TOKEN + "x", self, id(n++))); // right token, one character more
        forged.add(headers(TOKEN.substring(1), self, id(n++))); // one character less
        forged.add(headers(TOKEN.toUpperCase(), self, id(n++))); // other case
        forged.add(headers(TOKEN, "http://evil.example", id(n++))); // another site's page
        forged.add(headers(TOKEN, "null", id(n++))); // a sandboxed or file page
        forged.add(headers(TOKEN, "http://127.0.0.1:" + (port + 1), id(n++))); // another port
        Map<String, String> crossSite = headers(TOKEN, null, id(n++));
        crossSite.put("Sec-Fetch-Site", "cross-site");
        forged.add(crossSite);
        Map<String, String> rebound = headers(TOKEN, null, id(n++)); // DNS rebinding
        rebound.put("Host", "evil.example:" + port);
        forged.add(rebound);
        Map<String, String> cookie = headers(null, self, id(n++)); // a cookie proves nothing
        cookie.put("Cookie", "token=" + TOKEN + "; upshift=" + TOKEN);
        forged.add(cookie);
        forged.add(headers(TOKEN, self, null)); // no request id
        forged.add(headers(TOKEN, self, "first-request-0001")); // replay of the right request
        Map<String, String> basic = headers(null, self, id(n++));
        basic.put("Authorization", "Bearer " + TOKEN); // only the dashboard's header counts
        forged.add(basic);
        for (Map<String, String> h : forged) {
          Http.Response r = Http.send(port, "POST", path, h, form);
          sent++;
          refusals.add(act + " " + h + " -> " + r.status());
          assertThat(r.status()).as(act + " " + h + ": " + r.body()).isIn(400, 401, 403, 409);
        }
        // the token in the form's body or the query string, as a replayed form would carry it
        for (String body : List.of(form + "&token=" + TOKEN, form + "&X-Upshift-Token=" + TOKEN)) {
          Http.Response r = Http.send(port, "POST", path, headers(null, self, id(n++)), body);
          sent++;
          assertThat(r.status()).as(act + " token in body").isEqualTo(401);
        }
        Http.Response q =
            Http.send(port, "POST", path + "?token=" + TOKEN, headers(null, self, id(n++)), form);
        sent++;
        assertThat(q.status()).as(act + " token in query").isEqualTo(401);
      }
      assertThat(sent).isGreaterThanOrEqualTo(100);
      List<Control> pending = run.journal.pending("r1");
      assertThat(pending).as("controls in the journal after %d forged requests", sent).hasSize(1);
      assertThat(pending.get(0).by()).isEqualTo("mallory");
      assertThat(pending.get(0).kind()).isEqualTo(Control.Kind.PAUSE);
      System.out.println("forged steering requests sent: " + sent + ", accepted: 0");
    }
  }

  private static String id(int n) {
    return String.format("forged-request-%04d", n);
  }

  private static Map<String, String> headers(String token, String origin, String requestId) {
    Map<String, String> h = new LinkedHashMap<>();
    if (token != null) {
      h.put(Guard.TOKEN_HEADER, token);
    }
    if (origin != null) {
      h.put("Origin", origin);
    }
    if (requestId != null) {
      h.put(Guard.REQUEST_HEADER, requestId);
    }
    return h;
  }
}
