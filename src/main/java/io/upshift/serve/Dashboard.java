package io.upshift.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.upshift.engine.RunEvent;
import io.upshift.journal.Control;
import io.upshift.journal.EventCodec;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import io.upshift.journal.Requests;
import io.upshift.journal.Resumption;
import io.upshift.journal.RunRecord;
import io.upshift.report.Html;
import io.upshift.report.HtmlReport;
import io.upshift.report.ReportData;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live dashboard: the journal's runs, each run's page updated as events are journaled, steering
 * requests with a token, and Prometheus metrics. It reads the journal only, so it serves runs
 * driven by any process; it listens on loopback unless told otherwise.
 */
public final class Dashboard implements AutoCloseable {
  /** What the command line says about serving. */
  public record Options(String bind, Path tokenFile, String environmentToken) {}

  private static final String CSP =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  private final Supplier<Journal> opener;
  private final Journal journal;
  private final Metrics metrics = new Metrics();
  private final Watches watches;
  private final Token token;
  private final Guard guard;
  private final Javalin app;
  private final String url;
  private final Map<String, List<String>> endedApprovals = new ConcurrentHashMap<>();

  private Dashboard(Supplier<Journal> opener, Token token, String host, int port, boolean anyHost) {
    this.opener = opener;
    this.journal = opener.get();
    this.token = token;
    this.watches = new Watches(opener, metrics, true);
    this.app = Javalin.create(this::configure);
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      journal.close();
      throw new IllegalStateException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + rootMessage(e)
              + "); choose another port with --bind ADDR:PORT",
          e);
    }
    int actual = app.port();
    String shown = host.contains(":") ? "[" + host + "]" : host;
    this.url = "http://" + (anyHost ? "127.0.0.1" : shown) + ":" + actual;
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add((shown + ":" + actual).toLowerCase(Locale.ROOT));
    if (loopback(host)) {
      hosts.add("127.0.0.1:" + actual);
      hosts.add("localhost:" + actual);
      hosts.add("[::1]:" + actual);
    }
    this.guard = new Guard(token, hosts, anyHost);
    this.discoverer =
        Thread.ofPlatform().daemon().name("upshift-discover").start(this::discoverLoop);
  }

  /** How often the journal is looked at for runs that started. */
  static final long DISCOVER_MILLIS = 1000;

  private final Thread discoverer;

  /**
   * Follows every run going on from when it appears in the journal, so that its page is ready when
   * a browser asks and its metrics are there without a scrape having asked first.
   */
  private void discoverLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        for (RunRecord r : journal.runs(20)) {
          if (!Requests.terminal(r.status()) && watches.existing(r.id()) == null) {
            watches.of(r);
          }
        }
      } catch (RuntimeException e) {
        // the journal or a plan cannot be read now: the pages say why when asked
      }
      try {
        Thread.sleep(DISCOVER_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Starts serving the journal the opener opens (each watcher opens its own connection).
   *
   * @throws IllegalArgumentException when the options are wrong (what and how to fix it)
   * @throws IllegalStateException when the address cannot be listened on
   */
  public static Dashboard start(Supplier<Journal> opener, Options options) {
    Token token =
        options.tokenFile() != null
            ? Token.fromFile(options.tokenFile())
            : Token.fromEnvironment(options.environmentToken());
    if (token == null) {
      token = Token.random();
    }
    String bind = options.bind() == null ? "127.0.0.1:8080" : options.bind();
    int colon = bind.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : bind.substring(0, colon);
    String portText = colon < 0 ? bind : bind.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "`" + bind + "` is not ADDR:PORT or PORT (e.g. 127.0.0.1:8080, or 0 for any free port)");
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("`" + host + "` is not an address of this machine");
    }
    boolean any = host.equals("0.0.0.0") || host.equals("::");
    return new Dashboard(opener, token, host, port, any);
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Where the dashboard is, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return url;
  }

  /** The token, when it was made at start and so must be shown once; else null. */
  public String tokenToShow() {
    return token.source.equals("made now") ? token.reveal() : null;
  }

  /** Where the token came from: made now, a file, the environment. */
  public String tokenSource() {
    return token.source;
  }

  private void configure(io.javalin.config.JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.staticFiles.enableWebjars();
    config.http.defaultContentType = "text/html; charset=utf-8";
    var r = config.routes;
    r.before(
        ctx -> {
          ctx.header("Content-Security-Policy", CSP);
          ctx.header("X-Content-Type-Options", "nosniff");
          ctx.header("Referrer-Policy", "no-referrer");
          ctx.header("Cache-Control", "no-store");
        });
    r.get("/", this::runsPage);
    r.get("/metrics", this::metrics);
    r.get("/assets/{file}", this::asset);
    r.get("/runs/{id}", this::runPage);
    r.get("/runs/{id}/report", this::report);
    r.get(
        "/runs/{id}/host",
        ctx -> ctx.redirect(hostPath(ctx.pathParam("id"), ctx.queryParam("name"))));
    r.get("/runs/{id}/hosts/{name}", this::hostPage);
    r.get("/runs/{id}/cells/{site}/{cell}", this::cellPage);
    r.sse(
        "/runs/{id}/events",
        client -> {
          RunRecord rec = journal.run(client.ctx().pathParam("id")).orElse(null);
          if (rec == null) {
            client.close();
            return;
          }
          watches.of(rec).add(client);
        });
    r.post("/api/token", this::tokenCheck);
    r.post("/api/runs/{id}/{act}", this::steer);
    r.exception(
        JournalException.class,
        (e, ctx) -> ctx.status(404).html(Pages.problem("Not available", e.getMessage())));
    r.exception(
        Exception.class,
        (e, ctx) ->
            ctx.status(500)
                .html(
                    Pages.problem(
                        "Internal error",
                        "the dashboard failed on this request (" + e + "); this is a bug")));
  }

  private static String hostPath(String run, String name) {
    return "/runs/" + Links.path(run) + "/hosts/" + Links.path(name == null ? "" : name.trim());
  }

  private void runsPage(Context ctx) {
    String status = param(ctx, "status");
    String plan = param(ctx, "plan");
    List<Pages.RunRow> rows = new ArrayList<>();
    for (RunRecord r : journal.runs(500)) {
      if (!status.isEmpty() && !r.statusWord().equalsIgnoreCase(status)) {
        continue;
      }
      if (!plan.isEmpty()
          && !r.planName().toLowerCase(Locale.ROOT).contains(plan.toLowerCase(Locale.ROOT))
          && !r.planFile().toLowerCase(Locale.ROOT).contains(plan.toLowerCase(Locale.ROOT))) {
        continue;
      }
      rows.add(new Pages.RunRow(r, approvals(r)));
    }
    ctx.html(
        Pages.layout(
            "Runs",
            Pages.runs(rows, status, plan, journal.describe(), System.currentTimeMillis()),
            false));
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v.trim();
  }

  /**
   * Who approved what in a run: from its watcher when the dashboard follows it (every run going
   * on), else read from the journal, and kept once the run has ended.
   */
  private List<String> approvals(RunRecord r) {
    RunWatch w = watches.existing(r.id());
    if (w != null && w.foldedSeq() > 0) {
      return w.approvals();
    }
    List<String> kept = endedApprovals.get(r.id());
    if (kept != null) {
      return kept;
    }
    List<String> out = new ArrayList<>();
    journal.read(
        r.id(),
        1,
        Set.of("approved"),
        s -> {
          if (EventCodec.decode(s.type(), s.version(), s.body()) instanceof RunEvent.Approved a) {
            out.add(LiveRun.approval(a));
          }
        });
    if (Requests.terminal(r.status())) {
      endedApprovals.put(r.id(), out);
    }
    return out;
  }

  private RunRecord find(Context ctx) {
    String id = ctx.pathParam("id");
    return journal
        .run(id)
        .orElseThrow(
            () ->
                new JournalException(
                    "no run `"
                        + id
                        + "` in the journal "
                        + journal.describe()
                        + " (see the runs list)"));
  }

  private void runPage(Context ctx) {
    RunRecord r = find(ctx);
    RunWatch w = watches.of(r);
    ctx.html(Pages.layout("Run " + r.id(), Pages.run(r, w.parts().html()), true));
  }

  private void hostPage(Context ctx) {
    RunRecord r = find(ctx);
    String body = watches.of(r).hostPage(ctx.pathParam("name"));
    if (body == null) {
      ctx.status(404)
          .html(
              Pages.problem(
                  "No such host",
                  "the plan of run " + r.id() + " has no host `" + ctx.pathParam("name") + "`"));
      return;
    }
    ctx.html(Pages.layout("Host " + ctx.pathParam("name"), back(r) + body, false));
  }

  private void cellPage(Context ctx) {
    RunRecord r = find(ctx);
    String body = watches.of(r).cellPage(ctx.pathParam("site"), ctx.pathParam("cell"));
    if (body == null) {
      ctx.status(404)
          .html(Pages.problem("No such cell", "the plan of run " + r.id() + " has no such cell"));
      return;
    }
    ctx.html(Pages.layout("Cell " + ctx.pathParam("cell"), back(r) + body, false));
  }

  private static String back(RunRecord r) {
    return "<p><a href=\"/runs/" + Links.path(r.id()) + "\">← run " + Html.esc(r.id()) + "</a></p>";
  }

  private void report(Context ctx) {
    RunRecord r = find(ctx);
    var plan = PlanFiles.load(r);
    long began;
    try {
      began = Instant.parse(r.createdAt()).toEpochMilli();
    } catch (DateTimeParseException e) {
      began = -1;
    }
    ReportData data =
        new ReportData(
            plan,
            new ReportData.Header(r.id(), r.target(), r.seed(), r.target().equals("sim"), began));
    try (Journal own = opener.get()) {
      Resumption.replay(own, r.id(), plan, List.of(data));
    }
    Verifier.Report predicted;
    try {
      predicted = Verifier.verify(plan, true);
    } catch (RuntimeException e) {
      predicted = null;
    }
    ctx.html(HtmlReport.render(data, predicted, System.currentTimeMillis()));
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private void asset(Context ctx) throws IOException {
    String file = ctx.pathParam("file");
    String type =
        switch (file) {
          case "dashboard.js" -> "text/javascript; charset=utf-8";
          case "dashboard.css" -> "text/css; charset=utf-8";
          default -> null;
        };
    if (type == null) {
      ctx.status(404).result("no such file");
      return;
    }
    try (InputStream in = Dashboard.class.getResourceAsStream(file)) {
      if (in == null) {
        ctx.status(404).result("no such file");
        return;
      }
      ctx.header("Cache-Control", "max-age=300");
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  /** Refuses the request (and says why) unless the guard lets it through. */
  private boolean refused(Context ctx, boolean consume) {
    Guard.Refusal no =
        guard.check(
            ctx.header("Host"),
            ctx.header("Origin"),
            ctx.header("Sec-Fetch-Site"),
            ctx.header(Guard.TOKEN_HEADER),
            ctx.header(Guard.REQUEST_HEADER),
            consume);
    if (no == null) {
      return false;
    }
    ctx.status(no.status()).contentType("text/plain; charset=utf-8").result(no.message());
    return true;
  }

  /** Answers 204 when the request carries the right token: the page then offers steering. */
  private void tokenCheck(Context ctx) {
    if (!refused(ctx, false)) {
      ctx.status(204);
    }
  }

  private void steer(Context ctx) {
    if (refused(ctx, true)) {
      return;
    }
    String act = ctx.pathParam("act");
    Control.Kind kind =
        switch (act) {
          case "pause" -> Control.Kind.PAUSE;
          case "resume" -> Control.Kind.RESUME;
          case "abort", "reject" -> Control.Kind.ABORT;
          case "abort-undo" -> Control.Kind.ABORT_UNDO;
          case "approve" -> Control.Kind.APPROVE;
          default -> null;
        };
    if (kind == null) {
      text(
          ctx, 404, "no such act `" + act + "`: pause, resume, abort, abort-undo, approve, reject");
      return;
    }
    String by = ctx.formParam("by");
    String comment = ctx.formParam("comment");
    by = by == null ? "" : by.strip();
    comment = comment == null ? "" : comment.strip();
    if (by.isEmpty() || by.length() > 100) {
      text(ctx, 400, "give your name (up to 100 characters): the journal records who did what");
      return;
    }
    if (comment.length() > 1000) {
      text(ctx, 400, "the comment is longer than 1,000 characters");
      return;
    }
    RunRecord r = journal.run(ctx.pathParam("id")).orElse(null);
    if (r == null) {
      text(ctx, 404, "no run `" + ctx.pathParam("id") + "` in the journal");
      return;
    }
    if (act.equals("reject")) {
      if (r.gate().isEmpty()) {
        text(
            ctx,
            409,
            "run " + r.id() + " is not waiting for an approval (status " + r.statusWord() + ")");
        return;
      }
      comment = "rejected the gate at step " + r.gate() + (comment.isEmpty() ? "" : ": " + comment);
    }
    Requests.Result result =
        Requests.ask(journal, r, kind, by, comment, System.currentTimeMillis());
    text(ctx, result instanceof Requests.Recorded ? 200 : 409, result.message());
  }

  private static void text(Context ctx, int status, String message) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(message);
  }

  /** Stops serving and lets go of the journal. */
  @Override
  public void close() {
    discoverer.interrupt();
    try {
      discoverer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watches.close();
    app.stop();
    journal.close();
  }
}
