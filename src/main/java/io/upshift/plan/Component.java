package io.upshift.plan;

import io.upshift.source.Position;
import java.util.List;

/**
 * A deployable service: its packages, the name of its service unit, the database whose schema its
 * code needs (if any) and the command that migrates that schema ({@code sync}, e.g. {@code
 * nova-manage db sync}), and where its instances sit in a load balancer.
 */
public record Component(
    String name,
    List<String> packages,
    String service,
    String database,
    String sync,
    Balancer balancer,
    Position at) {}
