package io.upshift.serve;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's Prometheus endpoint: for each run it follows, hosts by state, actions by outcome,
 * events read, step durations (run clock) as a histogram, each capability up or down, and how far
 * the dashboard lags behind the journal. The counts are those folded from the journal, so they
 * equal what the journal holds once the dashboard has read it.
 */
final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The Prometheus text of every meter. */
  String scrape() {
    return registry.scrape();
  }

  /** The meters of one run, removed when the dashboard stops following it. */
  final class RunMeters {
    private final List<Meter> meters = new ArrayList<>();
    private final DistributionSummary steps;

    RunMeters(RunWatch w) {
      String run = w.runId();
      for (LiveRun.HostState s : LiveRun.HostState.values()) {
        meters.add(
            Gauge.builder("upshift.hosts", w, x -> x.counts()[s.ordinal()])
                .description("Hosts of the run by state: waiting, running, done, failed")
                .tags("run", run, "state", s.word())
                .register(registry));
      }
      int n = LiveRun.HostState.values().length;
      meters.add(
          FunctionCounter.builder("upshift.actions", w, x -> x.counts()[n])
              .description("Actions finished, by outcome")
              .tags("run", run, "outcome", "succeeded")
              .register(registry));
      meters.add(
          FunctionCounter.builder("upshift.actions", w, x -> x.counts()[n + 1])
              .description("Actions finished, by outcome")
              .tags("run", run, "outcome", "failed")
              .register(registry));
      meters.add(
          FunctionCounter.builder("upshift.journal.events", w, x -> x.counts()[n + 2])
              .description("Events of the run read from the journal")
              .tags("run", run)
              .register(registry));
      meters.add(
          Gauge.builder("upshift.journal.lag.events", w, RunWatch::lagEvents)
              .description("Events in the journal the dashboard has not read yet")
              .tags("run", run)
              .register(registry));
      meters.add(
          Gauge.builder(
                  "upshift.journal.lag.seconds",
                  w,
                  x ->
                      x.lastPollAt() == 0
                          ? Double.NaN
                          : (System.currentTimeMillis() - x.lastPollAt()) / 1000.0)
              .description("Time since the dashboard last read the run's journal")
              .tags("run", run)
              .register(registry));
      for (String cap : w.plan().capabilities().keySet()) {
        meters.add(
            Gauge.builder(
                    "upshift.capability.up",
                    w,
                    x -> Boolean.TRUE.equals(x.capabilities().get(cap)) ? 1 : 0)
                .description("Whether a capability is up (1) or down (0), as the plan defines it")
                .tags("run", run, "capability", cap)
                .register(registry));
      }
      steps =
          DistributionSummary.builder("upshift.step.duration")
              .baseUnit("seconds")
              .description("Length of each finished step, on the run's clock")
              .tags("run", run)
              .serviceLevelObjectives(10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600)
              .distributionStatisticExpiry(Duration.ofDays(3650))
              .register(registry);
      meters.add(steps);
    }

    /** Records a finished step's length. */
    void stepFinished(long millis) {
      steps.record(millis / 1000.0);
    }

    void remove() {
      meters.forEach(registry::remove);
    }
  }

  RunMeters forRun(RunWatch w) {
    return new RunMeters(w);
  }
}
