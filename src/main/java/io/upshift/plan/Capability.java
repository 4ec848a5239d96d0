package io.upshift.plan;

import io.upshift.inventory.Selector;
import io.upshift.source.Position;
import java.util.List;

/**
 * Something users get from the cloud ("list images", "VMs keep running"), defined by which
 * components must be serving. Its downtime is derived from component states, never typed in.
 *
 * @param every true for {@code needs-every}: every instance must serve; false for {@code needs}: at
 *     least one serving instance of each component
 * @param on the hosts whose instances count (every host when null)
 * @param maxDowntimeMillis the downtime budget, or -1 when none is set
 * @param probes how the capability is measured during a run (none: only predicted)
 * @param uses other capabilities this one works through (every API needs its tokens checked by
 *     identity): it is down whenever one of them is, whatever its own components do
 */
public record Capability(
    String name,
    boolean every,
    List<String> components,
    Selector on,
    long maxDowntimeMillis,
    List<Probe> probes,
    List<String> uses,
    Position at) {}
