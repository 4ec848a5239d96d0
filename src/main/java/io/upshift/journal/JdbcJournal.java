package io.upshift.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The journal in a SQL database: SQLite (one file, readable with the {@code sqlite3} tool) or
 * PostgreSQL. Appends go through their own connection, so a long commit never holds up reads of the
 * operators' requests; every other call shares a second one.
 *
 * <p>Tables (format 1): {@code runs}, {@code events (run, seq, at, type, version, body)}, {@code
 * controls}, and {@code upshift_meta} with the format number.
 */
public final class JdbcJournal implements Journal {
  /** The table layout this code writes; older ones are upgraded on open, newer ones refused. */
  static final int FORMAT = 1;

  /** The two databases, and where their SQL differs. */
  public enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT"),
    POSTGRESQL("BIGSERIAL PRIMARY KEY");

    final String serial;

    Dialect(String serial) {
      this.serial = serial;
    }
  }

  private final Dialect dialect;
  private final String describe;
  private final Connection appends;
  private final Connection other;

  private JdbcJournal(Dialect dialect, String describe, Connection appends, Connection other) {
    this.dialect = dialect;
    this.describe = describe;
    this.appends = appends;
    this.other = other;
  }

  /** Opens (creating when needed) a SQLite journal file. */
  public static JdbcJournal sqlite(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new JournalException("cannot create the folder of the journal " + file + ": " + e);
    }
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      Connection a = sqliteConnection(url);
      Connection b = sqliteConnection(url);
      JdbcJournal j = new JdbcJournal(Dialect.SQLITE, file.toString(), a, b);
      j.migrate();
      return j;
    } catch (SQLException e) {
      throw new JournalException("cannot open the journal " + file + ": " + e.getMessage(), e);
    }
  }

  private static Connection sqliteConnection(String url) throws SQLException {
    Properties p = new Properties();
    // A commit is durable when it returns (WAL, synced at each commit); readers never block the
    // writer; another process's writes are waited for, not failed on.
    p.setProperty("journal_mode", "WAL");
    p.setProperty("synchronous", "FULL");
    p.setProperty("busy_timeout", "10000");
    p.setProperty("foreign_keys", "true");
    Connection c = DriverManager.getConnection(url, p);
    c.setAutoCommit(true);
    return c;
  }

  /**
   * Opens a PostgreSQL journal: {@code jdbcUrl} is {@code jdbc:postgresql://HOST:PORT/DB}, with the
   * user and password as parameters or from PGUSER/PGPASSWORD.
   */
  public static JdbcJournal postgresql(String jdbcUrl) {
    String shown = jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    try {
      Properties p = new Properties();
      String user = System.getenv("PGUSER");
      String password = System.getenv("PGPASSWORD");
      if (user != null && !jdbcUrl.contains("user=")) {
        p.setProperty("user", user);
      }
      if (password != null && !jdbcUrl.contains("password=")) {
        p.setProperty("password", password);
      }
      p.setProperty("connectTimeout", "10");
      Connection a = DriverManager.getConnection(jdbcUrl, p);
      Connection b = DriverManager.getConnection(jdbcUrl, p);
      JdbcJournal j = new JdbcJournal(Dialect.POSTGRESQL, shown, a, b);
      j.migrate();
      return j;
    } catch (SQLException e) {
      throw new JournalException("cannot open the journal " + shown + ": " + e.getMessage(), e);
    }
  }

  private void migrate() throws SQLException {
    synchronized (other) {
      try (Statement s = other.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS upshift_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        int found = 0;
        boolean ownerStart = false;
        try (ResultSet r = s.executeQuery("SELECT key, value FROM upshift_meta")) {
          while (r.next()) {
            if (r.getString(1).equals("format")) {
              found = Integer.parseInt(r.getString(2));
            } else if (r.getString(1).equals(OWNER_START)) {
              ownerStart = true;
            }
          }
        }
        if (found > FORMAT) {
          throw new JournalException(
              "the journal "
                  + describe
                  + " has format "
                  + found
                  + ", newer than this Upshift reads ("
                  + FORMAT
                  + "); use a newer Upshift");
        }
        if (found == FORMAT && ownerStart) {
          return;
        }
        s.execute(
            "CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, created_at TEXT NOT NULL,"
                + " plan_file TEXT NOT NULL, plan_name TEXT NOT NULL, fingerprint TEXT NOT NULL,"
                + " target TEXT NOT NULL, seed BIGINT NOT NULL, options TEXT NOT NULL,"
                + " status TEXT NOT NULL, detail TEXT NOT NULL, gate TEXT NOT NULL,"
                + " owner TEXT, heartbeat_at BIGINT NOT NULL,"
                + " updated_at TEXT NOT NULL, last_seq BIGINT NOT NULL DEFAULT 0,"
                + " owner_start BIGINT NOT NULL DEFAULT 0)");
        // Events are stored in chunks, one per commit (at most CHUNK events): a row holds the
        // events first_seq..last_seq as JSON lines. Reading a million events is then a few
        // thousand rows, not a million.
        s.execute(
            "CREATE TABLE IF NOT EXISTS events (run TEXT NOT NULL, first_seq BIGINT NOT NULL,"
                + " last_seq BIGINT NOT NULL, lines TEXT NOT NULL, PRIMARY KEY (run, first_seq))");
        s.execute(
            "CREATE TABLE IF NOT EXISTS controls (id "
                + dialect.serial
                + ", run TEXT NOT NULL, kind TEXT NOT NULL, by_whom TEXT NOT NULL,"
                + " comment TEXT NOT NULL, gate TEXT NOT NULL, at TEXT NOT NULL,"
                + " done INTEGER NOT NULL DEFAULT 0)");
        s.execute("CREATE INDEX IF NOT EXISTS controls_run ON controls (run, id)");
        addOwnerStart(s);
        for (String key : List.of("format", OWNER_START)) {
          s.execute(
              dialect == Dialect.SQLITE
                  ? "INSERT OR REPLACE INTO upshift_meta (key, value) VALUES ('" + key + "', '1')"
                  : "INSERT INTO upshift_meta (key, value) VALUES ('"
                      + key
                      + "', '1') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
        }
      }
    }
  }

  /**
   * Marks a journal whose runs table has the owner's start time: a column added to format 1 rather
   * than a new format, since a release that does not know it reads and writes the other columns as
   * before (a run it starts records no start time, and is judged by its heartbeat).
   */
  private static final String OWNER_START = "runs.owner_start";

  /** Adds the owner's start time to a runs table made before it existed. */
  private void addOwnerStart(Statement s) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      s.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS owner_start BIGINT NOT NULL DEFAULT 0");
      return;
    }
    try (ResultSet r = s.executeQuery("PRAGMA table_info(runs)")) {
      while (r.next()) {
        if (r.getString("name").equals("owner_start")) {
          return;
        }
      }
    }
    s.execute("ALTER TABLE runs ADD COLUMN owner_start BIGINT NOT NULL DEFAULT 0");
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void create(RunRecord run) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "INSERT INTO runs (id, created_at, plan_file, plan_name, fingerprint, target, seed,"
                  + " options, status, detail, gate, owner, heartbeat_at, updated_at, owner_start)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, run.id());
        p.setString(2, run.createdAt());
        p.setString(3, run.planFile());
        p.setString(4, run.planName());
        p.setString(5, run.fingerprint());
        p.setString(6, run.target());
        p.setLong(7, run.seed());
        p.setString(8, run.options());
        p.setString(9, run.status());
        p.setString(10, run.detail());
        p.setString(11, run.gate());
        p.setString(12, run.owner());
        p.setLong(13, run.heartbeatAt());
        p.setString(14, run.updatedAt());
        p.setLong(15, run.ownerStart());
        p.executeUpdate();
      } catch (SQLException e) {
        throw failed("record the new run " + run.id(), e);
      }
    }
  }

  /** The most events stored in one row. */
  static final int CHUNK = 512;

  @Override
  public void append(String run, long firstSeq, List<EventCodec.Encoded> events, long heartbeatAt) {
    if (events.isEmpty()) {
      return;
    }
    long lastSeq = firstSeq + events.size() - 1;
    synchronized (appends) {
      try {
        appends.setAutoCommit(false);
        // The fence: the run's last number moves from firstSeq - 1 to lastSeq, or nothing is
        // written (a second driver appending to the same run finds the number moved).
        try (PreparedStatement p =
            appends.prepareStatement(
                "UPDATE runs SET last_seq = ?, heartbeat_at = ? WHERE id = ? AND last_seq = ?")) {
          p.setLong(1, lastSeq);
          p.setLong(2, heartbeatAt);
          p.setString(3, run);
          p.setLong(4, firstSeq - 1);
          if (p.executeUpdate() != 1) {
            appends.rollback();
            throw new JournalException(
                "cannot append events "
                    + firstSeq
                    + ".. to run "
                    + run
                    + " in the journal "
                    + describe
                    + ": the run's events do not end at "
                    + (firstSeq - 1)
                    + " (another process is driving this run?)");
          }
        }
        try (PreparedStatement p =
            appends.prepareStatement(
                "INSERT INTO events (run, first_seq, last_seq, lines) VALUES (?, ?, ?, ?)")) {
          for (int from = 0; from < events.size(); from += CHUNK) {
            int to = Math.min(events.size(), from + CHUNK);
            StringBuilder lines = new StringBuilder(to - from << 7);
            for (int i = from; i < to; i++) {
              lines.append(events.get(i).line()).append('\n');
            }
            p.setString(1, run);
            p.setLong(2, firstSeq + from);
            p.setLong(3, firstSeq + to - 1);
            p.setString(4, lines.toString());
            p.addBatch();
          }
          p.executeBatch();
        }
        appends.commit();
      } catch (SQLException e) {
        try {
          appends.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the first error is the one to report
        }
        throw failed("append " + events.size() + " event(s) to run " + run, e);
      } finally {
        try {
          appends.setAutoCommit(true);
        } catch (SQLException ignored) {
          // as above
        }
      }
    }
  }

  @Override
  public void update(
      String run,
      String status,
      String detail,
      String gate,
      String owner,
      long ownerStart,
      long heartbeatAt) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "UPDATE runs SET status = ?, detail = ?, gate = ?, owner = ?, owner_start = ?,"
                  + " heartbeat_at = ?, updated_at = ? WHERE id = ?")) {
        p.setString(1, status);
        p.setString(2, detail);
        p.setString(3, gate);
        p.setString(4, owner);
        p.setLong(5, owner == null ? 0 : ownerStart);
        p.setLong(6, heartbeatAt);
        p.setString(7, Instant.now().toString());
        p.setString(8, run);
        p.executeUpdate();
      } catch (SQLException e) {
        throw failed("update run " + run, e);
      }
    }
  }

  @Override
  public void heartbeat(String run, long at) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?")) {
        p.setLong(1, at);
        p.setString(2, run);
        p.executeUpdate();
      } catch (SQLException e) {
        throw failed("refresh the heartbeat of run " + run, e);
      }
    }
  }

  private static final String RUN_COLUMNS =
      "id, created_at, plan_file, plan_name, fingerprint, target, seed, options, status, detail,"
          + " gate, owner, owner_start, heartbeat_at, updated_at";

  @Override
  public Optional<RunRecord> run(String idOrPrefix) {
    if (idOrPrefix.equals("last")) {
      List<RunRecord> newest = runs(1);
      return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(0));
    }
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "SELECT "
                  + RUN_COLUMNS
                  + " FROM runs WHERE id = ? OR id LIKE ? ORDER BY (id = ?) DESC LIMIT 2")) {
        p.setString(1, idOrPrefix);
        p.setString(2, idOrPrefix.replace("%", "").replace("_", "") + "%");
        p.setString(3, idOrPrefix);
        List<RunRecord> found = runs(p);
        if (found.isEmpty()) {
          return Optional.empty();
        }
        if (found.get(0).id().equals(idOrPrefix) || found.size() == 1) {
          return Optional.of(found.get(0));
        }
        throw new JournalException(
            "`" + idOrPrefix + "` names more than one run; give more of the id");
      } catch (SQLException e) {
        throw failed("read run " + idOrPrefix, e);
      }
    }
  }

  @Override
  public List<RunRecord> runs(int limit) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "SELECT " + RUN_COLUMNS + " FROM runs ORDER BY created_at DESC, id DESC LIMIT ?")) {
        p.setInt(1, limit);
        return runs(p);
      } catch (SQLException e) {
        throw failed("list the runs", e);
      }
    }
  }

  private static List<RunRecord> runs(PreparedStatement p) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    try (ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(
            new RunRecord(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getLong(7),
                r.getString(8),
                r.getString(9),
                r.getString(10),
                r.getString(11),
                r.getString(12),
                r.getLong(13),
                r.getLong(14),
                r.getString(15)));
      }
    }
    return out;
  }

  @Override
  public void read(String run, long fromSeq, Reader reader) {
    read(run, fromSeq, null, reader);
  }

  @Override
  public void read(String run, long fromSeq, Set<String> types, Reader reader) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "SELECT first_seq, lines FROM events WHERE run = ? AND last_seq >= ?"
                  + " ORDER BY first_seq")) {
        p.setFetchSize(64);
        p.setString(1, run);
        p.setLong(2, fromSeq);
        boolean autoCommit = other.getAutoCommit();
        if (dialect == Dialect.POSTGRESQL) {
          other.setAutoCommit(false); // PostgreSQL streams with a fetch size only in a transaction
        }
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            long seq = r.getLong(1);
            String lines = r.getString(2);
            int start = 0;
            while (start < lines.length()) {
              int end = lines.indexOf('\n', start);
              if (end < 0) {
                end = lines.length();
              }
              if (seq >= fromSeq) {
                Stored stored = EventCodec.stored(seq, lines.substring(start, end));
                if (types == null || types.contains(stored.type())) {
                  reader.accept(stored);
                }
              }
              seq++;
              start = end + 1;
            }
          }
        } finally {
          if (dialect == Dialect.POSTGRESQL) {
            other.commit();
            other.setAutoCommit(autoCommit);
          }
        }
      } catch (SQLException e) {
        throw failed("read the events of run " + run, e);
      }
    }
  }

  @Override
  public long lastSeq(String run) {
    synchronized (other) {
      try (PreparedStatement p = other.prepareStatement("SELECT last_seq FROM runs WHERE id = ?")) {
        p.setString(1, run);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? r.getLong(1) : 0;
        }
      } catch (SQLException e) {
        throw failed("read run " + run, e);
      }
    }
  }

  @Override
  public Control request(String run, Control.Kind kind, String by, String comment, String gate) {
    String at = Instant.now().toString();
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "INSERT INTO controls (run, kind, by_whom, comment, gate, at)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        p.setString(1, run);
        p.setString(2, kind.word());
        p.setString(3, by);
        p.setString(4, comment);
        p.setString(5, gate);
        p.setString(6, at);
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          return new Control(keys.getLong(1), run, kind, by, comment, gate, at);
        }
      } catch (SQLException e) {
        throw failed("record the request to " + kind.word() + " run " + run, e);
      }
    }
  }

  @Override
  public List<Control> pending(String run) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement(
              "SELECT id, run, kind, by_whom, comment, gate, at FROM controls"
                  + " WHERE run = ? AND done = 0 ORDER BY id")) {
        p.setString(1, run);
        List<Control> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(
                new Control(
                    r.getLong(1),
                    r.getString(2),
                    Control.Kind.of(r.getString(3)),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getString(7)));
          }
        }
        return out;
      } catch (SQLException e) {
        throw failed("read the requests to run " + run, e);
      }
    }
  }

  @Override
  public void done(long controlId) {
    synchronized (other) {
      try (PreparedStatement p =
          other.prepareStatement("UPDATE controls SET done = 1 WHERE id = ?")) {
        p.setLong(1, controlId);
        p.executeUpdate();
      } catch (SQLException e) {
        throw failed("mark request " + controlId + " as carried out", e);
      }
    }
  }

  private JournalException failed(String what, SQLException e) {
    String why = e.getMessage();
    if (why != null && (why.contains("UNIQUE") || why.contains("duplicate key"))) {
      why += " (another process is driving this run?)";
    }
    return new JournalException("cannot " + what + " in the journal " + describe + ": " + why, e);
  }

  @Override
  public void close() {
    for (Connection c : new Connection[] {appends, other}) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: nothing left to do with it
      }
    }
  }
}
