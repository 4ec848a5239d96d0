package io.upshift.serve;

import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runs the dashboard follows, one watcher each, made when a page, a browser's stream or the
 * metrics first ask for a run. The least recently asked are let go beyond {@link #MAX}.
 */
final class Watches implements AutoCloseable {
  static final int MAX = 16;

  private final Supplier<Journal> opener;
  private final Metrics metrics;
  private final boolean predict;
  private final Map<String, RunWatch> watches = new LinkedHashMap<>(16, 0.75f, true);

  Watches(Supplier<Journal> opener, Metrics metrics, boolean predict) {
    this.opener = opener;
    this.metrics = metrics;
    this.predict = predict;
  }

  /** The watcher of a run, started when there is none. */
  RunWatch of(RunRecord record) {
    RunWatch evicted = null;
    RunWatch w;
    synchronized (this) {
      w = watches.get(record.id());
      if (w != null) {
        return w;
      }
      w = RunWatch.start(opener, record, metrics, predict);
      watches.put(record.id(), w);
      if (watches.size() > MAX) {
        var eldest = watches.entrySet().iterator().next();
        if (eldest.getValue().clients() == 0) {
          evicted = eldest.getValue();
          watches.remove(eldest.getKey());
        }
      }
    }
    if (evicted != null) {
      evicted.close();
    }
    return w;
  }

  /** The watcher of a run if there is one. */
  synchronized RunWatch existing(String runId) {
    return watches.get(runId);
  }

  @Override
  public void close() {
    List<RunWatch> all;
    synchronized (this) {
      all = new ArrayList<>(watches.values());
      watches.clear();
    }
    all.forEach(RunWatch::close);
  }
}
