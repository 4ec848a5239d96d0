package io.upshift.journal;

import io.upshift.engine.RunEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends one run's events to the journal with group commit: the engine hands events over without
 * waiting, a writer thread stores everything queued in one transaction, and {@link #sync} waits
 * until what was handed over is durable. The engine syncs before it sends any command to a host, so
 * a step is on disk as started before it starts (write-ahead); many events share each commit.
 *
 * <p>The writer also refreshes the run's heartbeat every few seconds, so that another process can
 * tell a live driver from a dead one.
 */
public final class JournalWriter implements AutoCloseable {
  /** How often the heartbeat is refreshed when there is nothing to write. */
  public static final long HEARTBEAT_MILLIS = 2_000;

  /** A driver whose heartbeat is older than this is taken for dead. */
  public static final long STALE_MILLIS = 15_000;

  private final Journal journal;
  private final String run;
  private final Thread thread;
  private final Object lock = new Object();
  private List<RunEvent> queued = new ArrayList<>();
  private long nextSeq;
  private long durableSeq;
  private boolean closing;
  private JournalException failure;

  /** Appends to {@code run}, whose last stored event is number {@code lastSeq}. */
  public JournalWriter(Journal journal, String run, long lastSeq) {
    this.journal = journal;
    this.run = run;
    this.nextSeq = lastSeq + 1;
    this.durableSeq = lastSeq;
    this.thread = Thread.ofPlatform().name("upshift-journal").daemon(true).unstarted(this::loop);
    thread.start();
  }

  /** Queues an event; returns its number. Never waits for the disk. */
  public long append(RunEvent event) {
    synchronized (lock) {
      if (failure != null) {
        throw failure;
      }
      queued.add(event);
      lock.notifyAll();
      return nextSeq++;
    }
  }

  /** Waits until every event queued so far is durable. */
  public void sync() {
    synchronized (lock) {
      long wanted = nextSeq - 1;
      while (durableSeq < wanted && failure == null) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JournalException("interrupted while waiting for the journal");
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** The number of the last event handed over. */
  public long lastSeq() {
    synchronized (lock) {
      return nextSeq - 1;
    }
  }

  private void loop() {
    while (true) {
      List<RunEvent> batch;
      long first;
      synchronized (lock) {
        if (queued.isEmpty() && !closing) {
          try {
            lock.wait(HEARTBEAT_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queued.isEmpty() && closing) {
          return;
        }
        batch = queued;
        queued = new ArrayList<>();
        first = durableSeq + 1;
      }
      try {
        List<EventCodec.Encoded> encoded = new ArrayList<>(batch.size());
        for (RunEvent e : batch) {
          encoded.add(EventCodec.encode(e));
        }
        if (encoded.isEmpty()) {
          journal.heartbeat(run, System.currentTimeMillis());
        } else {
          journal.append(run, first, encoded, System.currentTimeMillis());
        }
        synchronized (lock) {
          durableSeq = first + batch.size() - 1;
          lock.notifyAll();
        }
      } catch (RuntimeException e) {
        synchronized (lock) {
          failure =
              e instanceof JournalException j
                  ? j
                  : new JournalException("the journal writer failed: " + e, e);
          lock.notifyAll();
        }
        return;
      }
    }
  }

  /** Stores what is queued, then stops the writer. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      if (failure != null) {
        throw failure;
      }
    }
  }
}
