package io.upshift.journal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where runs are recorded so that they survive the orchestrator: each run's events in order, its
 * record, and the operators' requests to it. Implementations: {@link JdbcJournal} on SQLite (a file
 * per workspace, the default) and on PostgreSQL (shared by a team). An append returns once its
 * events are durable.
 */
public interface Journal extends AutoCloseable {

  /** Where it is, for messages: a file, or a database URL without credentials. */
  String describe();

  /** Records a new run; the id is chosen by the caller. */
  void create(RunRecord run);

  /**
   * Appends events to a run in one durable transaction, numbered from {@code firstSeq}, and
   * refreshes the run's heartbeat.
   *
   * @throws JournalException when it cannot, or when a number is taken (a second driver)
   */
  void append(String run, long firstSeq, List<EventCodec.Encoded> events, long heartbeatAt);

  /**
   * Sets a run's status word, its detail (why it paused or halted), the gate it waits at, its owner
   * (null: none) with the owner's start time ({@link Owner#selfStart}, 0 with no owner) and its
   * heartbeat.
   */
  void update(
      String run,
      String status,
      String detail,
      String gate,
      String owner,
      long ownerStart,
      long heartbeatAt);

  /** Says the run's driver is alive. */
  void heartbeat(String run, long at);

  /** A run by id, or by "last" for the newest, or by a unique prefix of its id. */
  Optional<RunRecord> run(String idOrPrefix);

  /** The newest runs first. */
  List<RunRecord> runs(int limit);

  /** A stored event: its number, type tag, format version and its JSON line. */
  record Stored(long seq, String type, int version, String body) {}

  /** Receives stored events in order. */
  @FunctionalInterface
  interface Reader {
    void accept(Stored event);
  }

  /** Reads a run's events with numbers from {@code fromSeq}, in order. */
  void read(String run, long fromSeq, Reader reader);

  /** Reads a run's events of some types only, in order. */
  void read(String run, long fromSeq, Set<String> types, Reader reader);

  /** The number of a run's last event, or 0 when it has none. */
  long lastSeq(String run);

  /** Records an operator's request; returns it with its id. */
  Control request(String run, Control.Kind kind, String by, String comment, String gate);

  /** A run's requests not yet carried out, oldest first. */
  List<Control> pending(String run);

  /** Marks a request as carried out (before the event that records it is written). */
  void done(long controlId);

  @Override
  void close();
}
