package io.upshift.serve;

import io.javalin.http.sse.SseClient;
import io.upshift.engine.Estimate;
import io.upshift.engine.RunSummary;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import io.upshift.journal.Requests;
import io.upshift.journal.RunRecord;
import io.upshift.journal.Tail;
import io.upshift.plan.Plan;
import io.upshift.verify.Verifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One run as the dashboard follows it: a thread polls the run's journal (one thread per run served,
 * whatever the number of browsers), folds the new events, renders the page's parts once and pushes
 * them to every browser watching. Everything it shows comes from the journal, so the page is the
 * same whichever process drives the run.
 */
final class RunWatch implements AutoCloseable {
  /** How often the journal is read while the run goes on. */
  static final long POLL_MILLIS = 200;

  /** How many events one poll folds at most, so that the page shows progress while catching up. */
  static final int EVENTS_PER_POLL = 50_000;

  private final Journal journal;
  private final String runId;
  private final Plan plan;
  private final LiveRun live;
  private final RunSummary summary;
  private final Tail tail;
  private final Estimate estimate;
  private final Metrics.RunMeters meters;
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile RunRecord record;
  private volatile Parts parts;
  private volatile long journalSeq;
  private volatile long lastPollAt;
  private volatile boolean closed;
  private volatile String error;
  private Verifier.Report predicted;
  private boolean predictedTried;

  /** The rendered parts of the run page, with the number of the last event they show. */
  record Parts(long seq, long renderedAt, Map<String, String> html) {}

  private RunWatch(Journal journal, RunRecord record, Plan plan, Metrics metrics, boolean predict) {
    this.journal = journal;
    this.runId = record.id();
    this.record = record;
    this.plan = plan;
    this.summary = new RunSummary(plan, record.target(), record.seed());
    this.meters = metrics.forRun(this);
    this.live = new LiveRun(plan, meters::stepFinished);
    this.tail = new Tail(journal, runId, plan, List.of(summary, live));
    this.estimate = new Estimate(plan);
    this.predictedTried = !predict;
    synchronized (this) {
      parts = render();
    }
    thread = Thread.ofPlatform().daemon().name("upshift-watch-" + runId).start(this::loop);
  }

  /** Starts following a run; its plan is read from where the run started. */
  static RunWatch start(
      Supplier<Journal> opener, RunRecord record, Metrics metrics, boolean predict) {
    Plan plan = PlanFiles.load(record);
    return new RunWatch(opener.get(), record, plan, metrics, predict);
  }

  private void loop() {
    while (!closed) {
      boolean more = false;
      try {
        more = pollOnce();
        error = null;
      } catch (JournalException e) {
        error = e.getMessage();
      } catch (RuntimeException e) {
        error = "internal error while reading the journal: " + e;
      }
      if (closed) {
        break;
      }
      if (!more && finished() && clients.isEmpty()) {
        // the run has ended and is read to its end: nothing changes any more
        synchronized (this) {
          try {
            wait(POLL_MILLIS * 5);
          } catch (InterruptedException e) {
            return;
          }
        }
        continue;
      }
      if (!more) {
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Reads the journal once; returns whether more events wait to be folded. */
  boolean pollOnce() {
    RunRecord r = journal.run(runId).orElse(record);
    boolean recordChanged = !r.equals(record);
    record = r;
    int n;
    synchronized (this) {
      n = tail.poll(EVENTS_PER_POLL);
    }
    lastPollAt = System.currentTimeMillis();
    journalSeq = n == EVENTS_PER_POLL ? journal.lastSeq(runId) : tail.lastSeq();
    if (n > 0 || recordChanged || parts == null) {
      Parts p;
      synchronized (this) {
        p = render();
      }
      Parts before = parts;
      parts = p;
      broadcast(changed(before, p));
    } else if (!clients.isEmpty()) {
      clients.removeIf(SseClient::terminated);
    }
    if (!predictedTried && n < EVENTS_PER_POLL) {
      predictedTried = true;
      predicted = predict(plan);
      synchronized (this) {
        parts = render();
      }
      broadcast(parts);
    }
    return n == EVENTS_PER_POLL;
  }

  private static Verifier.Report predict(Plan plan) {
    try {
      return Verifier.verify(plan, false);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether the run has ended and every one of its events is folded. */
  boolean finished() {
    return Requests.terminal(record.status()) && tail.lastSeq() >= journalSeq;
  }

  private Parts render() {
    RunPage page =
        new RunPage(
            record,
            live,
            summary,
            tail.state(),
            estimate,
            predicted,
            tail.lastSeq(),
            journalSeq,
            error);
    return new Parts(tail.lastSeq(), System.currentTimeMillis(), page.parts());
  }

  /** The parts of {@code now} that differ from {@code before}: only those are sent. */
  private static Parts changed(Parts before, Parts now) {
    if (before == null) {
      return now;
    }
    Map<String, String> m = new LinkedHashMap<>();
    now.html()
        .forEach(
            (k, v) -> {
              if (!v.equals(before.html().get(k))) {
                m.put(k, v);
              }
            });
    return new Parts(now.seq(), now.renderedAt(), m);
  }

  private void broadcast(Parts p) {
    for (SseClient c : clients) {
      if (c.terminated()) {
        clients.remove(c);
        continue;
      }
      send(c, p);
    }
  }

  private static void send(SseClient c, Parts p) {
    for (var e : p.html().entrySet()) {
      c.sendEvent(e.getKey(), e.getValue());
    }
  }

  /** Adds a browser: it gets the page's parts now, then each change. */
  void add(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    send(client, parts);
    synchronized (this) {
      notifyAll();
    }
  }

  /** The page's parts as last rendered. */
  Parts parts() {
    return parts;
  }

  /** A host's page: its state and actions, rendered under the watcher's lock. */
  synchronized String hostPage(String name) {
    return new HostPage(record, live, plan).render(name);
  }

  /** A cell's hosts, rendered under the watcher's lock. */
  synchronized String cellPage(String site, String cell) {
    return new HostPage(record, live, plan).cell(site, cell);
  }

  /** Counts for the metrics, read under the watcher's lock. */
  synchronized long[] counts() {
    long[] c = new long[LiveRun.HostState.values().length + 3];
    for (LiveRun.HostState s : LiveRun.HostState.values()) {
      c[s.ordinal()] = live.count(s);
    }
    int n = LiveRun.HostState.values().length;
    c[n] = live.actionsSucceeded();
    c[n + 1] = live.actionsFailed();
    c[n + 2] = tail.lastSeq();
    return c;
  }

  /** Who approved what so far, read under the watcher's lock. */
  synchronized List<String> approvals() {
    return live.approvals();
  }

  /** Whether each capability is up now, read under the watcher's lock. */
  synchronized Map<String, Boolean> capabilities() {
    return Map.copyOf(live.capabilities());
  }

  String runId() {
    return runId;
  }

  RunRecord record() {
    return record;
  }

  Plan plan() {
    return plan;
  }

  long foldedSeq() {
    return tail.lastSeq();
  }

  /** How many of the run's events the journal holds that are not folded yet (asks the journal). */
  long lagEvents() {
    long folded = tail.lastSeq();
    return Math.max(0, journal.lastSeq(runId) - folded);
  }

  long journalSeq() {
    return journalSeq;
  }

  long lastPollAt() {
    return lastPollAt;
  }

  int clients() {
    return clients.size();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    predictedTried = true; // not worth a walk of the plan any more
    try {
      pollOnce(); // the browsers see the run as the journal last holds it
    } catch (RuntimeException e) {
      // closing anyway
    }
    clients.forEach(SseClient::close);
    meters.remove();
    journal.close();
  }
}
