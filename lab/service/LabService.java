import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab's web service: a small HTTP service that reads the {@code items} table of the lab
 * database on every request.
 *
 * <p>lab/up builds it twice, once per version: the build replaces the value of {@link #VERSION}. v2
 * reads and returns the {@code items.tags} column added by {@code v2-schema.sql}, and its {@code
 * /health} fails until that column exists. v1 never reads it, so it keeps working once the column
 * is there.
 *
 * <p>Endpoints: {@code GET /items[?from=ID&limit=N]} (JSON array), {@code GET /health} (200 with
 * the version and the row count when it can serve, else 503 or 500 with the reason), {@code GET
 * /version}. Every answer names its instance and version in the headers {@code X-Lab-Host} and
 * {@code X-Lab-Version}.
 *
 * <p>Arguments: {@code --host NAME --listen ADDRESS:PORT --dir HOST_DIR [--threads N]}. The
 * database comes from the environment: {@code LAB_DB_URL}, {@code LAB_DB_USER}, {@code
 * LAB_DB_PASSWORD}. On SIGTERM it stops accepting connections, lets the requests in flight finish
 * (up to {@code --grace} seconds, 10 by default) and exits.
 */
public final class LabService {
  static final String VERSION = "v1";

  private static final boolean V2 = VERSION.compareTo("v2") >= 0;
  private static final String ITEMS_SQL =
      V2
          ? "SELECT id, name, body, tags FROM items WHERE id >= ? ORDER BY id LIMIT ?"
          : "SELECT id, name, body FROM items WHERE id >= ? ORDER BY id LIMIT ?";
  private static final String COUNT_SQL = "SELECT count(*) FROM items";
  private static final String TAGS_SQL =
      "SELECT 1 FROM information_schema.columns"
          + " WHERE table_schema = current_schema() AND table_name = 'items'"
          + " AND column_name = 'tags'";

  private final String host;
  private final String url;
  private final String user;
  private final String password;
  private final Path brokenFile;
  private final ThreadLocal<Connection> connections = new ThreadLocal<>();
  private volatile boolean stopping;

  private LabService(String host, String url, String user, String password, Path hostDir) {
    this.host = host;
    this.url = url;
    this.user = user;
    this.password = password;
    this.brokenFile = hostDir.resolve("broken");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    String host = require(opts, "host");
    String listen = require(opts, "listen");
    Path dir = Path.of(require(opts, "dir"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "8"));
    int grace = Integer.parseInt(opts.getOrDefault("grace", "10"));
    LabService service =
        new LabService(
            host,
            env("LAB_DB_URL"),
            env("LAB_DB_USER"),
            System.getenv().getOrDefault("LAB_DB_PASSWORD", ""),
            dir);

    int colon = listen.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // Idle keep-alive connections stay open longer than HAProxy keeps them in its pool, so it is
    // always HAProxy that closes them (never a request racing a close here).
    System.setProperty("sun.net.httpserver.idleInterval", "300");
    HttpServer server = HttpServer.create(address, 128);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // Requests handed to the pool and not yet answered; the JDK's own count is not exposed.
    AtomicInteger inFlight = new AtomicInteger();
    server.setExecutor(
        task -> {
          inFlight.incrementAndGet();
          try {
            pool.execute(
                () -> {
                  try {
                    task.run();
                  } finally {
                    inFlight.decrementAndGet();
                  }
                });
          } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
          }
        });
    server.createContext("/items", service::items);
    server.createContext("/health", service::health);
    server.createContext("/version", service::version);
    server.createContext("/", e -> service.send(e, 404, "{\"error\":\"not found\"}"));
    Thread hook =
        new Thread(
            () -> {
              service.stopping = true;
              log(
                  host
                      + " "
                      + VERSION
                      + ": stopping (requests in flight get up to "
                      + grace
                      + " s)");
              // stop() closes the listener at once, then waits for the exchanges in progress;
              // it may wait out the whole delay, so this also watches the requests in flight and
              // exits as soon as none is left (the open connections close with the process).
              Thread stopper = new Thread(() -> server.stop(grace), "stop");
              stopper.setDaemon(true);
              stopper.start();
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(grace);
              int quiet = 0;
              try {
                while (stopper.isAlive() && quiet < 3 && System.nanoTime() < deadline) {
                  Thread.sleep(50);
                  quiet = inFlight.get() == 0 ? quiet + 1 : 0;
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              log(
                  host
                      + " "
                      + VERSION
                      + ": stopped ("
                      + inFlight.get()
                      + " requests left in flight)");
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.start();
    log(
        host
            + " "
            + VERSION
            + ": listening on "
            + listen
            + " (pid "
            + ProcessHandle.current().pid()
            + ")");
  }

  private void items(HttpExchange e) throws IOException {
    try (e) {
      drain(e);
      if (!"GET".equals(e.getRequestMethod())) {
        send(e, 405, "{\"error\":\"only GET\"}");
        return;
      }
      Map<String, String> q = query(e.getRequestURI().getRawQuery());
      int from;
      int limit;
      try {
        from = Integer.parseInt(q.getOrDefault("from", "1"));
        limit = Math.max(1, Math.min(500, Integer.parseInt(q.getOrDefault("limit", "10"))));
      } catch (NumberFormatException ex) {
        send(e, 400, "{\"error\":\"from and limit are integers\"}");
        return;
      }
      String body;
      try {
        body = withConnection(c -> readItems(c, from, limit));
      } catch (SQLException ex) {
        send(
            e,
            503,
            "{\"version\":\""
                + VERSION
                + "\",\"error\":"
                + json("database: " + ex.getMessage())
                + "}");
        return;
      }
      send(e, 200, body);
    }
  }

  private static String readItems(Connection c, int from, int limit) throws SQLException {
    StringBuilder out = new StringBuilder(limit * 96).append('[');
    try (PreparedStatement s = c.prepareStatement(ITEMS_SQL)) {
      s.setInt(1, from);
      s.setInt(2, limit);
      try (ResultSet r = s.executeQuery()) {
        boolean first = true;
        while (r.next()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          out.append("{\"id\":").append(r.getInt(1));
          out.append(",\"name\":").append(json(r.getString(2)));
          out.append(",\"body\":").append(json(r.getString(3)));
          if (V2) {
            out.append(",\"tags\":").append(json(r.getString(4)));
          }
          out.append('}');
        }
      }
    }
    return out.append(']').toString();
  }

  private void health(HttpExchange e) throws IOException {
    try (e) {
      drain(e);
      if (stopping) {
        send(e, 503, reason("stopping"));
        return;
      }
      if (V2 && Files.exists(brokenFile)) {
        send(e, 500, reason("broken on purpose"));
        return;
      }
      long count;
      try {
        count =
            withConnection(
                c -> {
                  if (V2) {
                    try (PreparedStatement s = c.prepareStatement(TAGS_SQL);
                        ResultSet r = s.executeQuery()) {
                      if (!r.next()) {
                        return -1L;
                      }
                    }
                  }
                  try (PreparedStatement s = c.prepareStatement(COUNT_SQL);
                      ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                  }
                });
      } catch (SQLException ex) {
        send(e, 503, reason("database: " + ex.getMessage()));
        return;
      }
      if (count < 0) {
        send(e, 503, reason("schema too old: items.tags missing"));
        return;
      }
      send(e, 200, "{\"version\":\"" + VERSION + "\",\"items\":" + count + "}");
    }
  }

  private void version(HttpExchange e) throws IOException {
    try (e) {
      drain(e);
      send(e, 200, "{\"version\":\"" + VERSION + "\"}");
    }
  }

  private static String reason(String why) {
    return "{\"version\":\"" + VERSION + "\",\"error\":" + json(why) + "}";
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs work on this thread's connection, opening it on first use; a failed connection is closed
   * and the work is tried once more on a fresh one (the database may have restarted).
   */
  private <T> T withConnection(Work<T> work) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      Connection c = connections.get();
      if (c == null) {
        c = DriverManager.getConnection(url, user, password);
        connections.set(c);
      }
      try {
        return work.run(c);
      } catch (SQLException ex) {
        boolean broken;
        try {
          broken = !c.isValid(1);
        } catch (SQLException ignored) {
          broken = true;
        }
        if (broken) {
          connections.remove();
          try {
            c.close();
          } catch (SQLException ignored) {
            // already gone
          }
        }
        if (!broken || attempt > 0) {
          throw ex;
        }
      }
    }
  }

  private void send(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().set("Content-Type", "application/json");
    e.getResponseHeaders().set("X-Lab-Version", VERSION);
    e.getResponseHeaders().set("X-Lab-Host", host);
    e.sendResponseHeaders(status, bytes.length);
    e.getResponseBody().write(bytes);
  }

  private static void drain(HttpExchange e) throws IOException {
    try (InputStream in = e.getRequestBody()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  static String json(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String require(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return v;
  }

  private static void log(String message) {
    System.out.println(java.time.Instant.now() + " " + message);
    System.out.flush();
  }
}
