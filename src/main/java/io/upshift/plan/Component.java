package io.upshift.plan;

import io.upshift.source.Position;
import java.util.List;

/**
 * A deployable service: its packages, the name of its service unit, and the database whose schema
 * its code needs (if any).
 */
public record Component(
    String name,
    List<String> packages,
    String service,
    String database,
    Balancer balancer,
    Position at) {}
