package io.upshift.plan;

import io.upshift.source.Position;
import java.util.List;

/**
 * An ordered part of a plan, usually the upgrade of one component: its steps run one after another.
 */
public record Stage(int index, String name, List<Step> steps, Position at) {}
