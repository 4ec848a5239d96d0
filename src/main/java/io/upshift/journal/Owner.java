package io.upshift.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Names the process that drives a run ({@code pid@host}, and the process's start time) and judges
 * whether it still does.
 *
 * <p>A process id alone does not name a process for long: when the driver was killed, its id is
 * free, and another process may get it; a driver that died but was not reaped by its parent still
 * has its id (a zombie). So the journal keeps the driver's start time beside its id: on Linux the
 * {@code starttime} field of {@code /proc/PID/stat} (field 22, clock ticks since boot), elsewhere
 * the start instant the JDK reports, in milliseconds. Both sides of the comparison are read on the
 * same host, the same way.
 */
public final class Owner {
  private Owner() {}

  /** This process, as {@code pid@host}. */
  public static String self() {
    return ProcessHandle.current().pid() + "@" + host();
  }

  /** This process's start time (see the class comment), or 0 when it cannot be read. */
  public static long selfStart() {
    return start(ProcessHandle.current().pid());
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** What the system says of a process id now. */
  enum State {
    /** No such process, or one that has exited (a zombie, not yet reaped). */
    GONE,
    /** A live process, started at {@code start}. */
    RUNNING
  }

  /** A process id as the system sees it: whether it runs, and since when (0: unknown). */
  record Seen(State state, long start) {}

  /** The start time of a live process, or 0 when it is gone or cannot be read. */
  static long start(long pid) {
    Seen seen = see(pid);
    return seen.state() == State.RUNNING ? seen.start() : 0;
  }

  /** Looks at a process: /proc on Linux, the JDK's view elsewhere. */
  static Seen see(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.isDirectory(Path.of("/proc/self"))) {
      String text;
      try {
        text = Files.readString(stat);
      } catch (IOException e) {
        return new Seen(State.GONE, 0); // no such process
      }
      return parseStat(text);
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(
            h ->
                new Seen(
                    State.RUNNING, h.info().startInstant().map(Instant::toEpochMilli).orElse(0L)))
        .orElse(new Seen(State.GONE, 0));
  }

  /**
   * Reads a line of {@code /proc/PID/stat}: {@code pid (comm) state ppid ...}, where {@code comm}
   * may hold spaces and parentheses, so the fields are counted from the last {@code )}. Field 3 is
   * the state ({@code Z} a zombie, {@code X} dead), field 22 the start time.
   */
  static Seen parseStat(String text) {
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return new Seen(State.GONE, 0);
    }
    String[] fields = text.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (the state); field 22 is fields[19]
    if (fields.length < 20) {
      return new Seen(State.GONE, 0);
    }
    String state = fields[0];
    if (state.equals("Z") || state.equals("X") || state.equals("x")) {
      return new Seen(State.GONE, 0);
    }
    try {
      return new Seen(State.RUNNING, Long.parseLong(fields[19]));
    } catch (NumberFormatException e) {
      return new Seen(State.RUNNING, 0);
    }
  }

  /**
   * Whether the owner of a run still drives it. On this host: its process runs, is not a zombie,
   * and is the same process (its start time is the one recorded); a journal written before start
   * times were recorded has none, and then the heartbeat must be fresh too, since the id may have
   * been given to another process. On another host: whether its heartbeat is fresh.
   *
   * @param start the owner's recorded start time, or 0 when none was recorded
   */
  public static boolean alive(String owner, long start, long heartbeatAt, long nowMillis) {
    if (owner == null) {
      return false;
    }
    boolean fresh = nowMillis - heartbeatAt < JournalWriter.STALE_MILLIS;
    int at = owner.indexOf('@');
    if (at > 0 && owner.substring(at + 1).equals(host())) {
      long pid;
      try {
        pid = Long.parseLong(owner.substring(0, at));
      } catch (NumberFormatException e) {
        return false;
      }
      Seen seen = see(pid);
      if (seen.state() != State.RUNNING) {
        return false;
      }
      return start != 0 && seen.start() != 0 ? seen.start() == start : fresh;
    }
    return fresh;
  }
}
