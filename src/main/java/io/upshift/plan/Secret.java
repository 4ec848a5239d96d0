package io.upshift.plan;

import io.upshift.source.Position;
import java.nio.file.Path;

/**
 * A secret a plan's commands use as {@code {{secret.NAME}}}: read when a real run starts, from an
 * environment variable or a file, never from the plan itself; masked in everything Upshift prints,
 * journals or reports.
 *
 * @param env the environment variable holding it, or null
 * @param file the file holding it (trailing newline dropped), or null
 */
public record Secret(String name, String env, Path file, Position at) {}
