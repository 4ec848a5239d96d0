package io.upshift.probe;

import io.upshift.clock.RunClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.plan.Capability;
import io.upshift.plan.Plan;
import io.upshift.plan.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probes of a real run: each samples its capability from this machine at its interval, on the
 * wall clock, for as long as the run goes (an HTTP GET, a TCP connection, a command that must exit
 * 0). A sample that fails marks the capability measured down until one passes again. Samples run on
 * their own threads, so a slow step never delays them, and a slow probe delays only itself.
 */
public final class LiveProbes implements Engine.Controls, AutoCloseable {
  private final RunClock clock;
  private final List<Sampler> samplers = new ArrayList<>();
  private final ConcurrentLinkedQueue<RunEvent> changes = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;

  /** How long the uncounted first try of a probe may take. */
  private static final long WARM_UP_MILLIS = 10_000;

  private final class Sampler implements Runnable {
    final Capability capability;
    final Probe probe;
    final AtomicLong samples = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile boolean up = true;

    Sampler(Capability capability, Probe probe) {
      this.capability = capability;
      this.probe = probe;
    }

    @Override
    public void run() {
      long at = clock.now();
      String failure;
      try {
        failure = sample(probe);
      } catch (RuntimeException e) {
        failure = "probe error: " + e.getMessage();
      }
      samples.incrementAndGet();
      if (failure != null) {
        failed.incrementAndGet();
      }
      boolean nowUp = failure == null;
      if (nowUp != up) {
        up = nowUp;
        changes.add(
            new RunEvent.ProbeChanged(
                at, capability.name(), probe.describe(), nowUp, nowUp ? "" : failure));
      }
    }
  }

  public LiveProbes(Plan plan, RunClock clock) {
    this.clock = clock;
    for (Capability c : plan.capabilities().values()) {
      for (Probe p : c.probes()) {
        samplers.add(new Sampler(c, p));
      }
    }
    this.scheduler =
        Executors.newScheduledThreadPool(
            Math.max(1, Math.min(8, samplers.size())),
            r -> {
              Thread t = new Thread(r, "upshift-probe");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Whether the plan declares any probe. */
  public boolean any() {
    return !samplers.isEmpty();
  }

  /**
   * Starts sampling, one sample per interval. Each probe is first tried once and not counted, with
   * time to spare: the first request of a client pays for its set-up (connections, code loading),
   * which a busy machine can stretch past the probe's timeout and report as an outage that never
   * was. A capability down at the start is still measured from the first counted sample.
   */
  public LiveProbes start() {
    List<Future<?>> warm = new ArrayList<>();
    for (Sampler s : samplers) {
      Probe p = s.probe;
      Probe patient =
          new Probe(
              p.http(),
              p.expect(),
              p.tcp(),
              p.command(),
              p.intervalMillis(),
              Math.max(p.timeoutMillis(), WARM_UP_MILLIS),
              p.at());
      warm.add(scheduler.submit(() -> sample(patient)));
    }
    for (var f : warm) {
      try {
        f.get(WARM_UP_MILLIS + 1_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // a probe that cannot even be tried is measured by its counted samples
      }
    }
    for (Sampler s : samplers) {
      scheduler.scheduleWithFixedDelay(s, 0, s.probe.intervalMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public List<RunEvent> poll(RunState state, long now) {
    List<RunEvent> out = new ArrayList<>();
    for (RunEvent e; (e = changes.poll()) != null; ) {
      out.add(e);
    }
    return out;
  }

  @Override
  public List<RunEvent> close(RunState state, long now) {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<RunEvent> out = new ArrayList<>(poll(state, now));
    for (Sampler s : samplers) {
      out.add(
          new RunEvent.ProbeTally(
              now, s.capability.name(), s.probe.describe(), s.samples.get(), s.failed.get()));
    }
    return out;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    // not close(): it waits for every exchange to end, and one whose answer came after its
    // sample gave up can hold it forever
    http.shutdownNow();
    try {
      http.awaitTermination(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Takes one sample: null when it passed, else why it failed. */
  private String sample(Probe p) {
    if (p.http() != null) {
      return http(p);
    }
    if (p.tcp() != null) {
      return tcp(p);
    }
    return command(p);
  }

  private String http(Probe p) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(p.http()))
              .timeout(Duration.ofMillis(p.timeoutMillis()))
              .GET()
              .build();
      var pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
      HttpResponse<InputStream> response;
      try {
        response = pending.get(p.timeoutMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | InterruptedException e) {
        pending.cancel(true); // aborts the exchange: nothing is left open for close() to wait on
        throw e;
      }
      try (InputStream in = response.body()) {
        in.readNBytes(1 << 20);
      }
      return response.statusCode() == p.expect()
          ? null
          : "HTTP " + response.statusCode() + ", wanted " + p.expect();
    } catch (TimeoutException e) {
      return "no answer within " + p.timeoutMillis() + " ms";
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    } catch (IOException e) {
      return "reading the answer failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null; // stopping: not a measurement
    }
  }

  private static String tcp(Probe p) {
    int colon = p.tcp().lastIndexOf(':');
    String host = p.tcp().substring(0, colon);
    int port = Integer.parseInt(p.tcp().substring(colon + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) Math.min(p.timeoutMillis(), 60_000));
      return null;
    } catch (SocketTimeoutException e) {
      return "connection to " + p.tcp() + " timed out";
    } catch (IOException e) {
      return "connection to " + p.tcp() + " failed: " + e.getMessage();
    }
  }

  private static String command(Probe p) {
    try {
      Process proc =
          new ProcessBuilder("sh", "-c", p.command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!proc.waitFor(p.timeoutMillis(), TimeUnit.MILLISECONDS)) {
        proc.destroyForcibly();
        return "did not finish within " + p.timeoutMillis() + " ms";
      }
      return proc.exitValue() == 0 ? null : "exit " + proc.exitValue();
    } catch (IOException e) {
      return "could not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
