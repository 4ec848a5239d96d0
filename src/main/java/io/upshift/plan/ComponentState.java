package io.upshift.plan;

import java.util.Locale;

/** What a component instance on a host is doing; only {@link #SERVING} counts for capabilities. */
public enum ComponentState {
  /** Running and taking traffic. */
  SERVING,
  /** Running but taken out of its load balancer: finishes what it has, gets nothing new. */
  DRAINED,
  /** Not running. */
  STOPPED;

  public boolean isServing() {
    return this == SERVING;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
