package io.upshift.plan;

import io.upshift.inventory.Selector;
import io.upshift.source.Position;

/**
 * A fault injected in rehearsal: the probability that a step fails on a host, for one step kind,
 * for some hosts, or both.
 *
 * @param kind the step kind it applies to, or null for every kind
 * @param hosts the hosts it applies to, or null for every host
 */
public record Fault(StepKind kind, Selector hosts, double probability, Position at) {}
